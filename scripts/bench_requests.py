"""Take requests per second from one process (issue 15): the service the Generate button calls
(`take_request`: pre-flight, prompt compile, snapshot with input-image hashes, price, budget
holds, the take and its history, the submit message), on PostgreSQL, without HTTP.

A project with a budget, scene budgets and a member's monthly quota; half its shots on Veo 3.1
with three reference images, half on Seedance 1.5 Pro with a hero frame and a last frame (real
image files in a throwaway media folder). Each round asks once for every shot; between rounds
every shot's seed changes, so each request is new (not a duplicate) and the duplicate check
reads a growing list of earlier takes, as on a busy shot.

Runs in a child process against its own PostgreSQL database (bench_requests_<pid> on
127.0.0.1:5432, user postgres, dropped afterwards) and its own var dir (media, filesystem
broker). Figure:

    pipeline_requests_per_s   median over rounds of requests / second, goal ≥ 50

    python -m scripts.bench_requests [--shots 200] [--rounds 5] [--profile out.prof]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import tempfile
import time

from scripts.bench_support import child_env, print_figures, run_child, throwaway_database

WARM_UP = 20


def image_blob(seed: int, size: tuple[int, int] = (1280, 720)) -> bytes:
    """A JPEG about as large as a real hero frame at 720p (gradients, shapes, some noise)."""
    import numpy as np
    from PIL import Image

    w, h = size
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    rgb = np.stack([x * 255 // w, y * 255 // h, (x + y + seed * 40) % 256], axis=-1)
    rgb = (rgb + rng.integers(0, 24, size=rgb.shape)).clip(0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def build_project(shots: int):
    """Child: the project, its people and money, and `shots` shots with their images."""
    from decimal import Decimal

    from django.contrib.auth.models import User
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from projects.models import Membership, Project, ReferenceImage, Scene, Shot

    blobs = [image_blob(n) for n in range(4)]

    def stored(n: int) -> str:
        return default_storage.save(f"images/bench/{n}.jpg", ContentFile(blobs[n % 4]))

    editor = User.objects.create_user("bench-editor", password="bench-requests-password")
    project = Project.objects.create(name="Requests", budget=Decimal("1000000"))
    Membership.objects.create(
        project=project, user=editor, role="editor", monthly_quota=Decimal("500000")
    )
    scenes = [
        Scene.objects.create(
            project=project, number=n, title=f"Scene {n}", order=n, budget=Decimal("100000")
        )
        for n in range(1, 11)
    ]
    files = 0
    for i in range(shots):
        veo = i % 2 == 0
        shot = Shot.objects.create(
            project=project,
            scene=scenes[i % len(scenes)],
            label=f"B{i}",
            order=i,
            subject="The keeper",
            action="climbs the stairs to the lamp room",
            context="a lighthouse at dusk, storm coming",
            style="35mm film, moody",
            dialogue="MARA: Not tonight." if i % 3 == 0 else "",
            beats="2s: she turns\n5s: the lamp flickers" if veo else "",
            target_model="veo-3.1" if veo else "seedance-1.5-pro",
            duration_seconds=8 if veo else 5,
            resolution="720p",
            dolly=3,
            pan=-2 if veo else 0,
            seed=0,
            status="ready",
        )
        if veo:
            for _ in range(3):
                files += 1
                ReferenceImage.objects.create(
                    shot=shot, image=stored(files), thumbnail=stored(files), width=1280, height=720
                )
        else:
            shot.hero_frame, shot.last_frame = stored(files + 1), stored(files + 2)
            files += 2
            shot.save(update_fields=["hero_frame", "last_frame"])
    return project, editor


def child_measure(shots: int, rounds: int, profile: str = "") -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from projects.models import Shot, Take
    from projects.services.takes import take_request

    project, editor = build_project(shots)
    cpu_seconds: list[float] = []

    def ask_all(limit: int | None = None) -> tuple[float, int]:
        # What the view hands the service: the shot as views.shots.shot_of() loads it (the
        # lookup is the view's, not the service's, so it is done before the clock starts).
        shots = Shot.objects.filter(project=project).select_related(
            "scene", "circled_take", "approved_take", "approved_by"
        )
        rows = list(shots.prefetch_related("references").order_by("order")[:limit])
        start, cpu = time.perf_counter(), time.process_time()
        for shot in rows:
            take_request(shot=shot, user=editor)
        cpu_seconds.append(time.process_time() - cpu)
        return time.perf_counter() - start, len(rows)

    def next_round(number: int) -> None:
        Shot.objects.filter(project=project).update(seed=number)

    ask_all(WARM_UP)  # imports, caches, the connection, the first month rows
    rates = []
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)  # CPU: waits on the database excluded
    round_trips = []
    for number in range(1, rounds + 1):
        next_round(number)
        round_trips.append(round_trip_ms())
        if profiler:
            profiler.enable()
        seconds, count = ask_all()
        if profiler:
            profiler.disable()
        rates.append(count / seconds)
    if profiler:
        profiler.dump_stats(profile)
    queries = count_queries(project, editor)
    return {
        "rates": rates,
        # This process's own CPU per request (the database's work is not in it): a check on
        # the rate when the machine is busy with other work.
        "cpu_ms_per_request": 1000 * statistics.median(cpu_seconds[1:]) / shots,
        "cpu_ms_by_round": [round(1000 * cpu / shots, 2) for cpu in cpu_seconds[1:]],
        # A bare SELECT 1 before each round: how busy the machine and the database are.
        "round_trip_ms_by_round": round_trips,
        "takes": Take.objects.filter(project=project).count(),
        "queries_per_request": queries,
        "vendor": connection.vendor,
    }


def round_trip_ms(count: int = 200) -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        start = time.perf_counter()
        for _ in range(count):
            cursor.execute("SELECT 1")
            cursor.fetchone()
    return round(1000 * (time.perf_counter() - start) / count, 3)


def count_queries(project, editor) -> int:
    """Queries of one request (a Veo shot with references and earlier takes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.models import Shot
    from projects.services.takes import take_request

    Shot.objects.filter(project=project).update(seed=999)
    shots = Shot.objects.filter(project=project, target_model="veo-3.1").select_related("scene")
    shot = shots.prefetch_related("references").order_by("order").last()
    with CaptureQueriesContext(connection) as queries:
        take_request(shot=shot, user=editor)
    return len(queries)


def measure(shots: int = 200, rounds: int = 5, profile: str = "") -> dict:
    """Run the measurement in a child with its own database and var dir."""
    with (
        throwaway_database(f"bench_requests_{os.getpid()}") as database_url,
        tempfile.TemporaryDirectory(prefix="bench-requests-") as var,
    ):
        env = child_env(
            DATABASE_URL=database_url,
            STUDIO_VAR_DIR=var,
            MEDIA_ROOT=os.path.join(var, "media"),
            DJANGO_SETTINGS_MODULE="studio.settings",
            STUDIO_ALLOW_DEV_KEY="1",
            LOG_LEVEL="WARNING",
            # Keys so the providers count as connected; nothing is ever sent to them.
            GEMINI_API_KEY="bench-not-a-key",
            GEMINI_BASE_URL="http://127.0.0.1:9",
            GEMINI_VEO_MODEL_IDS="veo-3.1=veo-3.1-generate-001",
            ARK_API_KEY="bench-not-a-key",
            ARK_BASE_URL="http://127.0.0.1:9",
        )
        args = ["--shots", str(shots), "--rounds", str(rounds)]
        if profile:
            args += ["--profile", os.path.abspath(profile)]
        return run_child("scripts.bench_requests", args, env)


def figures(args=None) -> list[tuple[str, str, str]]:
    return figures_from(measure())


def figures_from(result: dict) -> list[tuple[str, str, str]]:
    return [("pipeline_requests_per_s", f"{statistics.median(result['rates']):.0f}", "≥ 50")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", default="", help="write cProfile stats of the rounds here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--verbose", action="store_true", help="also print the raw figures")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_measure(args.shots, args.rounds, args.profile)))
        return
    result = measure(args.shots, args.rounds, args.profile)
    if args.verbose:
        print(json.dumps(result))
    print_figures(figures_from(result))


if __name__ == "__main__":
    main()
