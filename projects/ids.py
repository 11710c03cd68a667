"""Ids typed into URLs and query strings: a database id is a positive 64-bit integer.

Anything else (10^30, "²", "-1") is no id at all, so it finds nothing: a 404 for a path, an
ignored value for a query string, never an OverflowError from the database driver.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_ID = 2**63 - 1  # BigAutoField, and SQLite's INTEGER
_ID = re.compile(r"[0-9]{1,19}")  # ASCII digits only: str.isdigit() accepts "²"


def parse_id(value: object) -> int | None:
    """`value` as an id, or None if it cannot be one."""
    if not isinstance(value, str) or not _ID.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values: Iterable[object]) -> list[int]:
    """The values that are ids, in order, each once; the rest are dropped."""
    found = (parse_id(value) for value in values)
    return list(dict.fromkeys(number for number in found if number is not None))


class IdConverter:
    """`<id:name>` in a URL pattern: like `<int:...>`, but only what fits in a 64-bit id."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("not an id")  # the resolver reads ValueError as "no match": 404
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))
