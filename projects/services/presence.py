"""Who's here: the members looking at the same board or shot right now.

Kept in the cache, never the database (a board marks its viewer every poll): the process's
memory on the embedded default, Redis when REDIS_URL is set so all web processes agree
(studio/settings.py). One entry per place, {username: last seen}; a lost race between two
marks drops a name for one poll at most, as the next poll marks it again."""

from __future__ import annotations

import re
import time

from django.core.cache import cache

HERE_SECONDS = 30
PLACE = re.compile(r"^(board|shot-[1-9][0-9]{0,18})$")


def _key(project_id: int, place: str) -> str:
    return f"live:here:{project_id}:{place}"


def presence_mark(*, project_id: int, place: str, username: str) -> list[str]:
    """Note `username` as looking at `place` now; return everyone here, sorted."""
    key = _key(project_id, place)
    now = time.time()
    seen = {name: at for name, at in (cache.get(key) or {}).items() if now - at < HERE_SECONDS}
    seen[username] = now
    cache.set(key, seen, timeout=HERE_SECONDS * 2)
    return sorted(seen)


def presence_here(*, project_id: int, place: str) -> list[str]:
    now = time.time()
    seen = cache.get(_key(project_id, place)) or {}
    return sorted(name for name, at in seen.items() if now - at < HERE_SECONDS)
