"""The storyboard at studio scale (issue 15): a 500-shot project (31 scenes, hero frames,
~1,230 takes) rendered by GET of the board, against GET of the sign-in page in the same run.

Runs in a child process with its own throwaway SQLite database and media folder (STUDIO_VAR_DIR
under a temp dir), so nothing here touches var/ or another engineer's database. Figures:

    storyboard500_vs_signin  ratio of medians (board time / sign-in page time), goal ≤ 10×
    storyboard500_html_kb    size of the board's HTML, goal ≤ 500

    python -m scripts.bench_board [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time

from scripts.bench_support import child_env, print_figures, run_child

SHOTS, SCENES, TAKES = 500, 31, 1230
STATIC_BACKEND = "django.contrib.staticfiles.storage.StaticFilesStorage"


def build_project():
    """Child: the 500-shot project, in bulk (the board only reads it)."""
    from django.contrib.auth.models import User

    from projects.models import Membership, Project, Scene, Shot, Take, TakeState

    user = User.objects.create_user("bench", password="bench-board-password")
    project = Project.objects.create(name="Five Hundred", aspect_ratio="16:9")
    Membership.objects.create(project=project, user=user, role="owner")
    scenes = Scene.objects.bulk_create(
        Scene(project=project, number=n, title=f"Scene {n}", location="Harbour", order=n)
        for n in range(1, SCENES + 1)
    )
    shots = Shot.objects.bulk_create(
        Shot(
            project=project,
            scene=scenes[i % SCENES],
            label=f"{i % SCENES + 1}{chr(65 + (i // SCENES) % 26)}{i // (SCENES * 26) or ''}",
            order=i,
            subject=f"The keeper climbs the stairs, shot {i}",
            action="She turns to the sea and the lamp goes dark." if i % 2 else "",
            dialogue="MARA: Not tonight." if i % 3 == 0 else "",
            status=["draft", "ready", "review", "approved"][i % 4],
            pan=(i % 7) - 3,
            dolly=(i % 5) - 2,
            duration_seconds=3 + i % 6,
            aspect_ratio=["16:9", "9:16", "1:1", "21:9"][i % 4] if i % 9 == 0 else "16:9",
            hero_frame=f"images/aa/hero{i}.png",
            hero_thumbnail=f"images/aa/hero{i}-thumb.jpg",
            hero_width=1280,
            hero_height=720,
        )
        for i in range(SHOTS)
    )
    takes = []
    for i in range(TAKES):
        shot = shots[i % SHOTS]
        takes.append(
            Take(
                project=project,
                shot=shot,
                number=i // SHOTS + 1,
                model="previz",
                provider="previz",
                prompt="A keeper climbs the stairs. " * 8,
                params={"seed": i, "duration": 5},
                spec={"subject": shot.subject, "camera": {"pan": 1}},
                state=TakeState.SUCCEEDED,
                estimated_cost=0,
                thumbnail=f"images/bb/take{i}.jpg",
            )
        )
    takes = Take.objects.bulk_create(takes)
    circled = []
    for take in takes:
        shot = take.shot
        if shot.circled_take_id is None and shot.pk % 2:
            shot.circled_take = take
            if shot.status == "approved":
                shot.approved_take, shot.approved_by = take, user
                from django.utils import timezone

                shot.approved_at = timezone.now()
            circled.append(shot)
    Shot.objects.bulk_update(
        circled, ["circled_take", "approved_take", "approved_by", "approved_at"]
    )
    return project


def child_measure(runs: int) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    # Static URLs without a collectstatic manifest (production's only difference is the hash).
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_BACKEND}}
    override_settings(STORAGES=storages).enable()
    call_command("migrate", verbosity=0)
    project = build_project()
    # No setup_test_environment(): its per-template signal is test-run overhead, not the page's.
    client = Client(SERVER_NAME="localhost")
    client.force_login(project.memberships.get().user)
    anonymous = Client(SERVER_NAME="localhost")
    board_url, signin_url = f"/projects/{project.pk}/", "/accounts/login/"

    def timed(c, url) -> tuple[float, int]:
        start = time.perf_counter()
        response = c.get(url)
        seconds = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        return seconds, len(response.content)

    for _ in range(2):  # warm caches: templates, URL resolvers, the connection
        timed(client, board_url)
        timed(anonymous, signin_url)
    board, signin, size = [], [], 0
    for _ in range(runs):  # interleaved: both sides see the same noise
        seconds, size = timed(client, board_url)
        board.append(seconds)
        signin.append(timed(anonymous, signin_url)[0])
    return {
        "board_s": statistics.median(board),
        "signin_s": statistics.median(signin),
        "html_bytes": size,
        "shots": project.shots.count(),
        "takes": project.takes.count(),
    }


def measure(runs: int = 7) -> dict:
    """Run the measurement in a child with a throwaway var dir (database, media, broker)."""
    with tempfile.TemporaryDirectory(prefix="bench-board-") as var:
        env = child_env(
            STUDIO_VAR_DIR=var,
            DJANGO_SETTINGS_MODULE="studio.settings",
            STUDIO_ALLOW_DEV_KEY="1",
            MEDIA_ROOT=os.path.join(var, "media"),
        )
        return run_child("scripts.bench_board", ["--runs", str(runs)], env)


def figures(args=None) -> list[tuple[str, str, str]]:
    runs = getattr(args, "runs", None) or 7
    return figures_from(measure(max(int(runs), 5)))


def figures_from(result: dict) -> list[tuple[str, str, str]]:
    ratio = result["board_s"] / result["signin_s"]
    return [
        ("storyboard500_vs_signin", f"{ratio:.1f}×", "≤ 10×"),
        ("storyboard500_html_kb", f"{result['html_bytes'] / 1000:.0f}", "≤ 500"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--verbose", action="store_true", help="also print the raw times")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_measure(args.runs)))
        return
    result = measure(max(args.runs, 5))
    if args.verbose:
        print(json.dumps(result))
    print_figures(figures_from(result))


if __name__ == "__main__":
    main()
