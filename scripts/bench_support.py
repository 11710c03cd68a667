"""What the bench parts share: a throwaway PostgreSQL database, and a child process that runs
the measurement on it and answers with one JSON line (the parent imports no Django)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG = "postgres://postgres@127.0.0.1:5432/"  # trust auth, as on the machines this runs on
# The ffmpeg command lines' encoder: the same preset and crf as the renders they are compared with.
X264_ARGS = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p"]


def print_figures(figures: list[tuple[str, str, str]]) -> None:
    """One line per figure, as `make bench` reports them."""
    for name, value, goal in figures:
        print(f"{name}: {value} (goal {goal})")


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as connection:
        connection.execute(sql)


@contextlib.contextmanager
def throwaway_database(name: str) -> Iterator[str]:
    """A fresh database `name` for the block; its DATABASE_URL. Dropped after, even if busy."""
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _admin(f"CREATE DATABASE {name}")
    try:
        yield PG + name
    finally:
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def child_env(**settings: str) -> dict[str, str]:
    """This process's environment without the studio's own database, broker and debug choices
    (the child names its own), plus `settings`."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG")}
    env.update(settings)
    return env


def run_child(module: str, args: list[str], env: dict[str, str], *, quiet: bool = True) -> dict:
    """`python -m module --child args...`; the JSON of its last line of output. With
    quiet=False its stderr (progress) goes to ours as it runs."""
    out = subprocess.run(  # noqa: S603 — this interpreter, one of our modules
        [sys.executable, "-m", module, "--child", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE if quiet else None,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        tail = (out.stderr or "")[-3000:]
        raise SystemExit(f"{module} failed (exit {out.returncode}):\n{tail}")
    return json.loads(out.stdout.strip().splitlines()[-1])
