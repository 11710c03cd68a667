"""The pages half of `make bench` (issue 15): the shot page's throughput under a real server
against the sign-in page's, the queries of the compare page and of a take card's poll, and the
cost dashboard and its CSV over 10,000 ledger rows on a freshly loaded PostgreSQL.

Everything runs against a throwaway PostgreSQL database `bench_pages_<pid>` on 127.0.0.1:5432
(user postgres, trust auth), dropped afterwards. The parent imports no Django: one child process
(`--child`) sets Django up on that database, seeds it, measures, and serves it with gunicorn.

    python -m scripts.bench_pages [--runs 3]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from scripts.bench_support import child_env, print_figures, run_child, throwaway_database

REDIS = "redis://127.0.0.1:6379/0"
LEDGER_ROWS = 10_000
BENCH_SHOT_TAKES = 8
SIGN_IN_QUERIES = 1  # the user, on every signed-in request (the session comes from Redis)


def _env(database_url: str, work: str) -> dict:
    # As docker-compose runs the studio: sessions and shared markup in Redis, under a prefix
    # of the run's own that the child clears when it is done.
    return child_env(
        DATABASE_URL=database_url,
        REDIS_URL=REDIS,
        LIVE_CHANNEL_PREFIX=f"bench-pages-{os.getpid()}",
        DJANGO_SETTINGS_MODULE="studio.settings",
        DEBUG="0",
        SECRET_KEY="bench-pages-not-secret-" + "x" * 40,
        STUDIO_VAR_DIR=work,
        STATIC_ROOT=os.path.join(work, "static"),
        SECURE_COOKIES="0",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    )


def figures(args) -> list[tuple[str, str, str]]:
    runs = getattr(args, "runs", 3) or 3
    with (
        throwaway_database(f"bench_pages_{os.getpid()}") as database_url,
        tempfile.TemporaryDirectory(prefix="pages-bench-") as work,
    ):
        result = run_child("scripts.bench_pages", ["--runs", str(runs)], _env(database_url, work))
    if os.environ.get("BENCH_VERBOSE"):
        print(json.dumps(result), file=sys.stderr)
    return [
        (
            "shot_page_vs_signin_throughput",
            f"{result['throughput_ratio']:.2f}×",
            "≥ 0.5×",
        ),
        ("compare_queries", str(result["compare_queries"]), "≤ 8"),
        # In all, the signed-in user's read included: a poll that finds nothing new (304),
        # and one that sends the card again.
        (
            "poll_queries",
            f"{result['poll_304_queries']} (304) and {result['poll_queries']} (card sent again),"
            f" the user's {SIGN_IN_QUERIES} included",
            "≤ 2",
        ),
        ("dashboard_10k_s", f"{result['dashboard_s']:.3f}", "≤ 0.3"),
        ("dashboard_csv_10k_s", f"{result['csv_s']:.3f}", "≤ 1"),
    ]


# --- the child: Django on the throwaway database ------------------------------------------


def _seed():
    """The demo film, a busy shot (takes in every stage), and 10,000 ledger rows over the last
    30 days, bulk-loaded so PostgreSQL has no statistics on them yet."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from projects.demo import create_demo
    from projects.models import LedgerEntry, LedgerKind, Shot, Take, TakeEvent, TakeState

    user, project, _ = create_demo(username="bench", password="bench-pages-password")
    shots = list(Shot.objects.filter(project=project).order_by("scene__order", "order"))
    shot, others = shots[0], shots[1:]
    now = timezone.now()
    states = [
        TakeState.SUCCEEDED,
        TakeState.RUNNING,
        TakeState.FAILED,
        TakeState.SUCCEEDED,
        TakeState.QUEUED,
        TakeState.SUCCEEDED,
        TakeState.REJECTED,
        TakeState.SUCCEEDED,
    ]
    busy = Take.objects.bulk_create(
        Take(
            project=project,
            shot=shot,
            number=n,
            requested_by=user,
            model="veo-3.1",
            provider="google",
            prompt="A keeper climbs the stairs of the lighthouse.",
            params={"duration": 8, "resolution": "720p"},
            state=state,
            progress=40 if state == TakeState.RUNNING else 0,
            estimated_cost=Decimal("3.20"),
            finished_at=now if state in (TakeState.SUCCEEDED, TakeState.FAILED) else None,
        )
        for n, state in enumerate(states[:BENCH_SHOT_TAKES], start=1)
    )
    TakeEvent.objects.bulk_create(
        TakeEvent(take=take, state=state, message="")
        for take in busy
        for state in (TakeState.QUEUED, TakeState.SUBMITTING, take.state)
    )
    # The ledger: a reserve and a settle (or release) per take, spread over 30 days.
    per_take = 2
    count = LEDGER_ROWS // per_take
    takes = Take.objects.bulk_create(
        Take(
            project=project,
            shot=others[n % len(others)],  # not the bench shot: its page lists its takes
            number=100 + n,
            requested_by=user,
            model=("veo-3.1", "kling-2.6", "seedance-1.5-pro")[n % 3],
            provider=("google", "kling", "bytedance")[n % 3],
            prompt="bench",
            state=TakeState.SUCCEEDED if n % 7 else TakeState.FAILED,
            estimated_cost=Decimal("2.00"),
            finished_at=now - timedelta(minutes=n * 8),
        )
        for n in range(count)
    )
    entries = []
    for take in takes:
        entries.append(
            LedgerEntry(
                project=project,
                take=take,
                user=user,
                kind=LedgerKind.RESERVE,
                reserved_change=Decimal("2.00"),
            )
        )
        settled = take.state == TakeState.SUCCEEDED
        entries.append(
            LedgerEntry(
                project=project,
                take=take,
                user=user,
                kind=LedgerKind.SETTLE if settled else LedgerKind.RELEASE,
                reserved_change=Decimal("-2.00"),
                spent_change=Decimal("1.50") if settled else Decimal("0"),
            )
        )
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    # created_at is auto_now_add: one statement spreads the rows over the last four weeks.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE projects_ledgerentry "
            "SET created_at = now() - (id % 4000) * interval '10 minutes'"
        )
    running = next(take for take in busy if take.state == TakeState.RUNNING)
    return user, project, shot, running


def _median_seconds(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _queries(client, url: str, **headers) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code in (200, 304), (url, response.status_code)
    return len(captured)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _server_pids(master: int) -> list[int]:
    with open(f"/proc/{master}/task/{master}/children") as handle:
        return [master, *(int(pid) for pid in handle.read().split())]


def _get(port: int, path: str, cookie: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise SystemExit(f"{path}: HTTP {response.status}")


def _per_cpu_second(port: int, pids: list[int], path: str, cookie: str, requests: int) -> float:
    before = _cpu_seconds(pids)
    for _ in range(requests):
        _get(port, path, cookie)
    spent = _cpu_seconds(pids) - before
    return requests / max(spent, 1 / os.sysconf("SC_CLK_TCK"))


def _throughput_ratio(shot_path: str, cookie: str, runs: int) -> float:
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "studio.wsgi",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(port, "/accounts/login/", "")
                break
            except (ConnectionRefusedError, OSError):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        pids = _server_pids(server.pid)
        for _ in range(5):  # warm both pages: templates compiled, connections open
            _get(port, shot_path, cookie)
            _get(port, "/accounts/login/", "")
        ratios, shots, signins = [], [], []
        for _ in range(runs):
            signin = _per_cpu_second(port, pids, "/accounts/login/", "", 200)
            shot = _per_cpu_second(port, pids, shot_path, cookie, 40)
            ratios.append(shot / signin)
            shots.append(1000 / shot)
            signins.append(1000 / signin)
        # CPU milliseconds a request, for whoever reads the JSON line when the ratio moves.
        return statistics.median(ratios), statistics.median(shots), statistics.median(signins)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _clear_cache() -> None:
    """This run's keys only: the Redis database is shared."""
    import redis

    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(f"{os.environ['LIVE_CHANNEL_PREFIX']}:*", count=1000):
        client.delete(key)


def child(runs: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    user, project, shot, running = _seed()
    client = Client()
    client.force_login(user)

    # Freshly loaded, no ANALYZE: the first dashboard is the one that counts, then the median.
    # An empty period first, so that first one times the database, not template compiling.
    dashboard = reverse("projects:dashboard")
    client.get(dashboard, {"start": "2001-01-01", "end": "2001-01-02"})
    first = _median_seconds(lambda: client.get(dashboard), 1)
    dashboard_s = max(first, _median_seconds(lambda: client.get(dashboard), runs))

    def csv_download():
        response = client.get(dashboard, {"format": "csv"})
        body = b"".join(response.streaming_content)
        assert body.count(b"\n") > LEDGER_ROWS, body.count(b"\n")

    csv_s = _median_seconds(csv_download, runs)

    compare = reverse("projects:shot-compare", args=[project.pk, shot.pk])
    compare_queries = _queries(client, compare)
    card = reverse("projects:take-card", args=[project.pk, running.pk])
    poll_queries = _queries(client, card, HTTP_HX_REQUEST="true")
    etag = client.get(card, HTTP_HX_REQUEST="true").get("ETag", "")
    poll_304_queries = _queries(client, card, HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=etag)

    shot_path = reverse("projects:shot", args=[project.pk, shot.pk])
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    try:
        ratio, shot_ms, signin_ms = _throughput_ratio(shot_path, cookie, runs)
    finally:
        _clear_cache()
    print(
        json.dumps(
            {
                "throughput_ratio": ratio,
                "shot_page_cpu_ms": shot_ms,
                "signin_page_cpu_ms": signin_ms,
                "compare_queries": compare_queries,
                "poll_queries": poll_queries,
                "poll_304_queries": poll_304_queries,
                "dashboard_s": dashboard_s,
                "dashboard_first_s": first,
                "csv_s": csv_s,
            }
        )
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.runs)
        return
    print_figures(figures(args))


if __name__ == "__main__":
    main()
