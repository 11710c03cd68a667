"""The pipeline half of `make bench` (issue 15): takes in flight at studio scale, set up as in
production, and what it costs to see them through.

PostgreSQL (a throwaway database `bench_pipeline_<pid>` on 127.0.0.1:5432, user postgres, trust
auth, dropped afterwards), Redis on 127.0.0.1:6379 under a queue prefix of its own, the provider
simulator on loopback (Seedance, 30 s jobs, calling back), the web process (uvicorn) to receive
the callbacks, and the Celery workers and beat started with docker-compose.yml's own commands,
their concurrency scaled down to this machine's cores. The simulator runs in a process of its
own, as a provider is elsewhere (not behind this process's interpreter lock). BENCH_TAKES takes
(300 unless set) are asked for through projects.services.takes, as the Generate button does, then
followed until done (at most WAIT_LIMIT_SECONDS). The Seedance account may run them all at once
(max_concurrent).

Figures:
  pipeline_done_p95_s        seconds from the simulator's job finishing to the studio seeing
                             it done (the take leaves RUNNING for DOWNLOADING), p95 (p50 beside it)
  pipeline_stored_p95_s      ... to the take being SUCCEEDED, its video stored: adds the wait for
                             a download slot, which a burst of finishes fills (a report, no goal)
  pipeline_tasks_per_work    pipeline tasks the workers ran ("succeeded" lines in their INFO
                             logs: submit, follow, check, download) per unit of real work (creates
                             + status reads the simulator answered + result files it served)
  pipeline_queue_peak_vs_in_flight  the broker's longest moment (LLEN summed over the queues,
                             every 0.5 s) over the most takes in flight at once
  pipeline_requests_per_s_beside_workers  take requests per second from one process
                             (take_request()) while the workers share the cores; the figure with
                             the goal, pipeline_requests_per_s, is scripts/bench_requests.py's

The parent imports no Django: one child process (`--child`) runs everything on the throwaway
database and prints the numbers as JSON; the parent drops the database. Beside the figures it
prints where the time went: the provider's finish -> its callback answered -> the take seen
done, task medians, each queue's peak and the CPU seconds of each process group (PostgreSQL,
Redis, web, each worker pool, the simulator). BENCH_PIPELINE_LOGS=<folder> keeps the workers'
and web's logs there.

    python -m scripts.bench_pipeline [--takes N]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from scripts.bench_support import print_figures, run_child, throwaway_database

ROOT = Path(__file__).resolve().parent.parent
REDIS = "redis://127.0.0.1:6379/0"
JOB_SECONDS = 30.0  # a Seedance job: queued one step, running two (providers/simulator/core.py)
MODEL = "seedance-1.5-pro"
PIPELINE_TASKS = (
    "projects.submit_take",
    "projects.follow_take",
    "projects.check_take",
    "projects.download_take",
)
SUCCEEDED_LINE = re.compile(r"Task ([\w.]+)\[[\w-]+\] succeeded in ([\d.e-]+)s")
# After the last request, per 300 takes: enough here for them all, ~5 minutes in all.
WAIT_LIMIT_SECONDS = 240.0


def _env(database_url: str, prefix: str, work: str) -> dict[str, str]:
    """Production settings on the throwaway database, queue prefix and folders."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=REDIS,
        STUDIO_QUEUE_PREFIX=prefix,
        LIVE_CHANNEL_PREFIX=prefix + "live",
        DJANGO_SETTINGS_MODULE="studio.settings",
        DEBUG="0",
        SECRET_KEY="bench-pipeline-not-secret-" + "x" * 40,
        STUDIO_ENCRYPTION_KEY="bench-pipeline-encryption-not-secret-" + "y" * 20,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SIGNIN_PROXY_COUNT="0",
        STUDIO_VAR_DIR=work,
        MEDIA_ROOT=os.path.join(work, "media"),
        PREVIZ_JOBS_DIR=os.path.join(work, "previz-jobs"),
        STATIC_ROOT=os.path.join(work, "static"),
        PROVIDER_SIMULATOR_DOWNLOADS="1",
    )
    return env


def figures(args) -> list[tuple[str, str, str]]:
    takes = int(getattr(args, "takes", 0) or os.environ.get("BENCH_TAKES") or 300)
    prefix = f"bench-pipeline-{os.getpid()}-"
    with (
        throwaway_database(f"bench_pipeline_{os.getpid()}") as database_url,
        tempfile.TemporaryDirectory(prefix="pipeline-bench-") as work,
    ):
        try:
            env = _env(database_url, prefix, work)
            result = run_child("scripts.bench_pipeline", ["--takes", str(takes)], env, quiet=False)
        finally:
            _forget_queues(prefix)
    print(
        f"pipeline: {result['takes']} takes ({result['done']} done, {result['unfinished']} "
        f"unfinished); {result['workers']}; tasks {result['tasks']}; work {result['work']}; "
        f"download task median {result['download_task_s']:.2f} s; provider done -> studio "
        f"saw it p50 {result['seen_p50']:.1f} s, p95 {result['seen_p95']:.1f} s; "
        f"{result['callbacks']} callbacks; queue peak {result['queue_peak']} for "
        f"{result['in_flight_peak']} takes in flight",
        file=sys.stderr,
    )
    # Where the time went, for whoever tunes this next.
    print(
        f"pipeline: finish -> callback answered {result['finish_to_callback_p50_p95']}, "
        f"callback -> seen {result['callback_to_seen_p50_p95']}; task medians "
        f"{result['task_median_s']}; queue peaks {result['queue_peaks']}; CPU seconds over "
        f"{result['wall_s']} s: {result['cpu_s']}",
        file=sys.stderr,
    )
    return [
        (
            "pipeline_done_p95_s",
            f"{result['seen_p95']:.1f} (p50 {result['seen_p50']:.1f})",
            "≤ 5",
        ),
        # The video stored too: a burst of finishes waits for download slots (the pool's size).
        (
            "pipeline_stored_p95_s",
            f"{result['p95']:.1f} (p50 {result['p50']:.1f})",
            "none: a report",
        ),
        ("pipeline_tasks_per_work", f"{result['tasks_per_work']:.2f}", "≤ 1.05"),
        ("pipeline_queue_peak_vs_in_flight", f"{result['queue_ratio']:.2f}", "≤ 2"),
        # The same service as scripts/bench_requests.py measures alone, here beside the workers.
        (
            "pipeline_requests_per_s_beside_workers",
            f"{result['requests_per_s']:.1f}",
            "none: a report",
        ),
    ]


def _forget_queues(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS)
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)


# --- the child: the whole studio on the throwaway database ----------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def compose_commands(prefix: str, work: str, cores: int) -> list[tuple[str, list[str], str]]:
    """(service, command, note) for each Celery service in docker-compose.yml (workers and
    beat): its queues prefixed, its pool scaled from the compose file's sizing to `cores`."""
    services = yaml_services()
    commands = []
    for name, service in services.items():
        command = list(service.get("command") or [])
        if command[:1] != ["celery"]:
            continue
        command = [sys.executable, "-m", *command]
        note = name
        for index, part in enumerate(command):
            if part == "-Q":
                queues = command[index + 1].split(",")
                command[index + 1] = ",".join(prefix + queue for queue in queues)
            elif part.startswith("--concurrency="):
                wanted = int(part.split("=", 1)[1])
                # The compose file sizes pools for its own machine; here two cores are shared
                # by everything (web, database, Redis, the simulator, this process).
                scaled = max(1, wanted * cores // 4)
                command[index] = f"--concurrency={scaled}"
                note = f"{name} {wanted}→{scaled}"
            elif part.startswith("--schedule="):
                command[index] = f"--schedule={work}/celerybeat-schedule"
        if "worker" in command:
            command.append(f"--hostname={name}-{os.getpid()}@%h")
        commands.append((name, command, note))
    return commands


def compose_cpu_nice(name: str) -> int:
    """The service's `cpu_shares` (docker's CPU weight, 1024 by default) as the nice value of
    the same weight (each step is a factor of 1.25), since here there are no containers."""
    services = yaml_services()
    shares = int(services.get(name, {}).get("cpu_shares") or 1024)
    return max(-20, min(19, round(math.log(1024 / shares) / math.log(1.25))))


def yaml_services() -> dict:
    import yaml

    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def weigh(pid: int, nice: int) -> str:
    """Give a started process's session the CPU weight of `nice`: each started command is a
    session of its own, and with the kernel's autogroups it is the session's nice, not the
    process's, that shares the cores between sessions (as docker shares them between
    containers by cpu_shares). Returns a note for the figures' line."""
    if not nice:
        return ""
    try:
        Path(f"/proc/{pid}/autogroup").write_text(str(nice))
    except OSError as error:  # no autogroups, or a raise (nice < 0) without the right to
        return f" (nice {nice} not given: {error.strerror})"
    return f" (nice {nice})"


class Processes:
    """Everything the child starts, stopped for sure on the way out (each by its own id)."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen] = []

    def start(self, command: list[str], log: str) -> subprocess.Popen:
        handle = open(log, "ab")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.running.append(process)
        return process

    def stop(self) -> None:
        for process in self.running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def cpu_seconds(groups: dict[int, str]) -> dict[str, float]:
    """CPU seconds used so far by each started process group (named by `groups`, pgid ->
    name), PostgreSQL and Redis (the whole servers: other databases' backends count too), from
    /proc: a process's own time, plus its reaped children's (a prefork pool's recycled
    children, a finished database backend)."""
    tick = os.sysconf("SC_CLK_TCK")
    used: dict[str, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # gone since the listing
        comm = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        pgid = int(fields[2])
        name = groups.get(pgid)
        if name is None and comm.startswith(("postgres", "redis-server")):
            name = "postgres" if comm.startswith("postgres") else "redis"
        if name is None:
            continue
        ticks = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
        used[name] = used.get(name, 0.0) + ticks / tick
    return used


def machine_busy_seconds() -> float:
    """CPU seconds every process on the machine has used since boot (all cores): what this
    run did not use of it was someone else's load, which a shared machine's figures need."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.2)
    raise SystemExit(f"nothing listens on port {port}")


def _seed(count: int):
    """An owner, a project with room in its budget, and `count` Seedance shots."""
    from django.contrib.auth import get_user_model

    from projects.services.board import scene_create, shot_create
    from projects.services.projects import project_create
    from studio.models import ProviderAccount

    owner = get_user_model().objects.create_user("bench", password="bench-pipeline-password")
    # Every take in flight at once, as a studio's large account allows (Seedance's default limit
    # is 10 at a time: ProviderAccount.max_concurrent, set by staff in the admin).
    ProviderAccount.objects.update_or_create(slug="seedance", defaults={"max_concurrent": count})
    project = project_create(owner=owner, name="Pipeline bench", budget=None)
    shots = []
    for number in range(0, count, 50):
        scene = scene_create(project=project, title=f"Scene {number // 50 + 1}")
        for index in range(min(50, count - number)):
            shots.append(
                shot_create(
                    scene=scene,
                    target_model=MODEL,
                    duration_seconds=5,
                    resolution="720p",
                    aspect_ratio="16:9",
                    subject="A keeper",
                    action=f"lifts a storm lantern, take {number + index}",
                )
            )
    return owner, shots


class QueueSampler(threading.Thread):
    """LLEN summed over the studio's queues, and takes in flight, every 0.5 s."""

    def __init__(self, queues: list[str]):
        super().__init__(daemon=True)
        import redis

        self.client = redis.Redis.from_url(REDIS)
        self.queues = queues
        self.samples: list[tuple[float, int, int]] = []  # (time, queued messages, in flight)
        self.peaks: dict[str, int] = dict.fromkeys(queues, 0)  # each queue's longest
        self.done = threading.Event()

    def run(self) -> None:
        from django.db import connection

        while not self.done.wait(0.5):
            pipe = self.client.pipeline()
            for queue in self.queues:
                pipe.llen(queue)
            lengths = pipe.execute()
            for queue, length in zip(self.queues, lengths, strict=True):
                self.peaks[queue] = max(self.peaks[queue], length)
            self.samples.append((time.time(), sum(lengths), in_flight()))
        connection.close()


def in_flight() -> int:
    from projects.models import Take
    from projects.models.states import FINISHED_TAKE_STATES

    return Take.objects.exclude(state__in=FINISHED_TAKE_STATES).count()


@dataclass
class SimulatorRun:
    """What the simulator saw, sent back by its process when it stops."""

    finished: dict[str, float]  # job id -> when it finished (time.time()), jobs that did
    answered: dict[str, float]  # job id -> when the studio took its final callback
    callbacks: int
    work: dict[str, int]  # creates, status reads answered, result files served


def _serve_simulator(connection, options: dict) -> None:
    """The simulator process: serve until told to stop, then send back what it saw."""
    from providers.simulator.server import SimulatorServer

    os.setsid()  # a process group of its own, so its CPU time is counted apart
    server = SimulatorServer(**options).start()
    connection.send(server.url)
    connection.recv()  # stop
    server.stop()
    sim = server.sim
    finished = {}
    for job in list(sim.jobs.values()):
        at = sim.finished_at(job)
        if at is not None:
            finished[job.id] = at
    answered = {
        sent.job_id: sent.at
        for sent in sim.callbacks.sent
        if 200 <= sent.status < 300 and sent.state not in ("queued", "running")
    }
    work = {
        "creates": len(sim.submissions),
        "status_reads": sim.status_reads,
        "downloads": sim.downloads,
    }
    connection.send(SimulatorRun(finished, answered, len(sim.callbacks.sent), work))


class SimulatorProcess:
    """The provider simulator in a process of its own, as a provider is elsewhere: its answers
    and callbacks never wait for this process's interpreter lock, which the take requests and
    the sampler hold (sharing it made status reads and callbacks seconds late at 1,000 takes,
    a delay no studio sees from a real provider)."""

    def __init__(self, **options) -> None:
        context = multiprocessing.get_context("fork")  # before Django or any thread starts
        self._connection, theirs = context.Pipe()
        self._process = context.Process(
            target=_serve_simulator, args=(theirs, options), daemon=True
        )
        self._process.start()
        self.url = self._connection.recv()
        self.pid = self._process.pid
        self.run: SimulatorRun | None = None

    def base_url(self, provider: str) -> str:
        return f"{self.url}/{provider}"

    def stop(self) -> SimulatorRun | None:
        if self.run is None and self._process.is_alive():
            self._connection.send("stop")
            self.run = self._connection.recv()
        self._process.join(timeout=15)
        if self._process.is_alive():
            self._process.kill()
        return self.run


def child(takes: int) -> dict:
    from providers.simulator.core import default_credentials

    work = os.environ["STUDIO_VAR_DIR"]
    prefix = os.environ["STUDIO_QUEUE_PREFIX"]
    cores = os.cpu_count() or 2
    web_port = _free_port()
    # Seedance's 30 s jobs, calling back; `concurrency` is Kling's account limit, not used here.
    server = SimulatorProcess(step_seconds=JOB_SECONDS / 3, timeout_seconds=35.0)
    os.environ.update(
        ARK_API_KEY=default_credentials()["seedance"],
        ARK_BASE_URL=server.base_url("seedance") + "/api/v3",
        STUDIO_PUBLIC_URL=f"http://127.0.0.1:{web_port}",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from projects.models import Take, TakeState

    call_command("migrate", verbosity=0)
    owner, shots = _seed(takes)

    processes = Processes()
    notes = []
    try:
        web = [
            sys.executable,
            "-m",
            "uvicorn",
            "studio.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(web_port),
            "--workers",
            "1",
            "--log-level",
            "warning",
        ]
        groups = {
            server.pid: "simulator",
            processes.start(web, os.path.join(work, "web.log")).pid: "web",
        }
        notes.append("web (uvicorn) 3→1")
        logs = []
        for name, command, note in compose_commands(prefix, work, cores):
            log = os.path.join(work, f"{name}.log")
            logs.append(log)
            started = processes.start(command, log)
            groups[started.pid] = name
            notes.append(note + weigh(started.pid, compose_cpu_nice(name)))
        print("pipeline: scaled to this machine: " + "; ".join(notes), file=sys.stderr)
        _wait_for_port(web_port)
        _wait_for_workers(logs)

        sampler = QueueSampler(list(settings.QUEUES.values()))
        sampler.start()
        cpu_before, own_before = cpu_seconds(groups), _own_cpu()
        busy_before = machine_busy_seconds()
        from projects.services.takes import take_request

        started = time.perf_counter()
        for shot in shots:
            take_request(shot=shot, user=owner)
        requests_per_s = len(shots) / (time.perf_counter() - started)

        deadline = time.monotonic() + WAIT_LIMIT_SECONDS * max(1.0, takes / 300)
        while time.monotonic() < deadline:
            if not in_flight():
                break
            time.sleep(1)
        cpu_after, own_after = cpu_seconds(groups), _own_cpu()
        busy_after = machine_busy_seconds()
        sampler.done.set()
        sampler.join()
    finally:
        processes.stop()
        sim = server.stop()

    end = time.time()
    if os.environ.get("BENCH_PIPELINE_LOGS"):
        keep = Path(os.environ["BENCH_PIPELINE_LOGS"])
        keep.mkdir(parents=True, exist_ok=True)
        for log in Path(work).glob("*.log"):
            shutil.copy(log, keep / log.name)
    delays = _delays(sim, TakeState.SUCCEEDED, end)
    # Where the delay goes: the provider's "done" seen by the studio (the take starts saving).
    seen = _delays(sim, TakeState.DOWNLOADING, end)
    unfinished = in_flight()
    tasks: dict[str, int] = {}
    task_seconds: dict[str, list[float]] = {}
    for log in logs:
        for match in SUCCEEDED_LINE.finditer(Path(log).read_text(errors="replace")):
            tasks[match[1]] = tasks.get(match[1], 0) + 1
            task_seconds.setdefault(match[1], []).append(float(match[2]))
    download_seconds = task_seconds.get("projects.download_take", [])
    # Where "seen" goes: the provider's finish -> its callback answered by the web process ->
    # the take seen done (a follow queued, picked up, polled and moved).
    reached = _reached(TakeState.DOWNLOADING)
    to_callback, callback_to_seen = [], []
    for job_id, finished in sim.finished.items():
        if job_id in sim.answered and job_id in reached:
            to_callback.append(sim.answered[job_id] - finished)
            callback_to_seen.append(reached[job_id] - sim.answered[job_id])
    cpu = {
        name: round(cpu_after.get(name, 0.0) - cpu_before.get(name, 0.0), 1)
        for name in sorted(set(cpu_after) | set(cpu_before))
    }
    cpu["bench (requests, sampler)"] = round(own_after - own_before, 1)
    # Everything else on the machine meanwhile (other people's tests on a shared machine).
    cpu["not this run"] = round(busy_after - busy_before - sum(cpu.values()), 1)
    work_units = sim.work
    pipeline_tasks = sum(tasks.get(name, 0) for name in PIPELINE_TASKS)
    peak_queue = max((length for _, length, _ in sampler.samples), default=0)
    peak_in_flight = max((flight for _, _, flight in sampler.samples), default=0)
    return {
        "takes": takes,
        "done": Take.objects.filter(state=TakeState.SUCCEEDED).count(),
        "unfinished": unfinished,
        "workers": "; ".join(notes),
        "p50": _percentile(delays, 50),
        "p95": _percentile(delays, 95),
        "seen_p50": _percentile(seen, 50),
        "seen_p95": _percentile(seen, 95),
        "tasks": tasks,
        "work": work_units,
        "tasks_per_work": pipeline_tasks / max(1, sum(work_units.values())),
        "queue_peak": peak_queue,
        "in_flight_peak": peak_in_flight,
        "queue_ratio": peak_queue / max(1, peak_in_flight),
        "requests_per_s": requests_per_s,
        "download_task_s": statistics.median(download_seconds) if download_seconds else 0.0,
        "callbacks": sim.callbacks,
        "finish_to_callback_p50_p95": _p50_p95(to_callback),
        "callback_to_seen_p50_p95": _p50_p95(callback_to_seen),
        "task_median_s": {
            name.split(".")[-1]: round(statistics.median(seconds), 3)
            for name, seconds in task_seconds.items()
        },
        "queue_peaks": {queue.removeprefix(prefix): peak for queue, peak in sampler.peaks.items()},
        "cpu_s": cpu,
        "wall_s": round(sampler.samples[-1][0] - sampler.samples[0][0], 1)
        if sampler.samples
        else 0.0,
    }


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def _reached(state: str) -> dict[str, float]:
    """When each take (by remote id) first reached `state`."""
    from projects.models import TakeEvent

    events = TakeEvent.objects.filter(state=state).order_by("-at")
    rows = events.values_list("take__remote_id", "at")
    return {remote_id: at.timestamp() for remote_id, at in rows}


def _p50_p95(values: list[float]) -> str:
    return f"{_percentile(values, 50):.1f} / {_percentile(values, 95):.1f} s ({len(values)})"


def _delays(sim: SimulatorRun, state: str, end: float) -> list[float]:
    """Seconds from each simulator job's finish to its take's first TakeEvent in `state`; a
    take not there by the end counts as there then (a lower bound of its delay)."""
    reached = _reached(state)
    return [reached.get(job_id, end) - finished for job_id, finished in sim.finished.items()]


def _percentile(values: list[float], percent: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def _wait_for_workers(logs: list[str], timeout: float = 90) -> None:
    """Until every worker says it is ready (beat says nothing of the kind)."""
    deadline = time.monotonic() + timeout
    workers = [log for log in logs if not log.endswith("beat.log")]
    while time.monotonic() < deadline:
        if all(" ready." in Path(log).read_text(errors="replace") for log in workers):
            return
        time.sleep(0.5)
    raise SystemExit("the workers did not start: see their logs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--takes", type=int, default=0)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.takes)))
        return
    print_figures(figures(args))


if __name__ == "__main__":
    main()
