"""The hostile suite as a whole must send at least 300 cases: counted per test process, and
summed across pytest-xdist workers by the hooks in tests/conftest.py, so the check holds
however the tests are spread over processes."""

from __future__ import annotations

import sys
from collections import Counter

MINIMUM = 300
GENERATED = ("forms", "reads", "ids", "uploads", "webhooks", "admin")


def counts_here() -> dict[str, int]:
    """What this process's hostile tests sent (nothing if none of them ran here)."""
    harness = sys.modules.get("tests.hostile.harness")
    return dict(harness.CASES) if harness else {}


def verdict(counts: Counter) -> str | None:
    """None when the hostile suite did not run in full (a selection of tests); else a line
    for the report, starting with "FAILED" when the total is under the minimum."""
    if not all(counts.get(name) for name in GENERATED):
        return None
    total = sum(counts[name] for name in GENERATED)
    line = f"hostile cases: {total} {dict(sorted(counts.items()))}"
    return line if total >= MINIMUM else f"FAILED: fewer than {MINIMUM} {line}"
