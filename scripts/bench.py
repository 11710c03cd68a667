"""`make bench`: the studio's speed and memory figures, each against a baseline measured side
by side in the same run, one line per figure at the end: `name: value (goal ...)`.

previz: an 8 s 1280x720 clip (dolly in + pan right) from a generated 1920x1080 still, rendered
by providers.previz and by imageio-ffmpeg's ffmpeg (zoompan with the same easing expressions).

animatic: a 20-shot scene (14 generated takes with sound at mixed sizes and rates, 4 stills,
2 title cards) rendered by projects.deliver.animatic at 720p with burn-in, and by ffmpeg
conforming each segment (fps, scale, pad, trim or hold, push in, drawtext, 48 kHz stereo) to
its own MP4, then joining them with the concat demuxer (stream copy, faststart).
Both sides use libx264 at the same preset and crf, three times each; medians are printed.
Each run is a child process so its peak RSS is its own (os.wait4).

board, pages, requests, pipeline: scripts/bench_board.py, bench_pages.py, bench_requests.py and
bench_pipeline.py (each says what it measures; PostgreSQL and Redis on 127.0.0.1 for the last
three, in throwaway databases and queues). BENCH_TAKES sets the pipeline's takes (300).
Nothing is asserted: this is a report.

    python -m scripts.bench [--runs 3] [--only previz|animatic|board|pages|requests|pipeline]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from scripts.bench_support import X264_ARGS, print_figures

SECONDS, WIDTH, HEIGHT, FPS = 8, 1280, 720, 24
SOURCE_SIZE = (1920, 1080)
MOVE = {"dolly": 5, "pan": 4}


def make_still(path: str) -> None:
    import numpy as np
    from PIL import Image, ImageDraw

    w, h = SOURCE_SIZE
    y, x = np.mgrid[0:h, 0:w]
    rgb = np.stack(
        [x * 255 // (w - 1), y * 255 // (h - 1), ((x // 60 + y // 60) % 2) * 180 + 40], axis=-1
    ).astype(np.uint8)
    image = Image.fromarray(rgb)
    draw = ImageDraw.Draw(image)
    for i in range(12):
        draw.ellipse([120 + i * 140, 400, 220 + i * 140, 500], outline=(255, 255, 255), width=4)
    image.save(path)


def previz_job(still: str):
    from providers.core.spec import CameraMove
    from providers.previz.render import RenderJob

    return RenderJob(
        label="BENCH",
        subject="",
        duration_seconds=SECONDS,
        aspect_ratio="16:9",
        resolution="720p",
        camera=CameraMove(**MOVE),
        hero_path=still,
    )


def render_once(still: str, output: str) -> None:
    """Child process: render and print the wall time of the render call alone."""
    from providers.previz.render import render_previz

    job = previz_job(still)
    start = time.perf_counter()
    result = render_previz(job, output)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "frames": result.frames}))


def ffmpeg_command(still: str, output: str) -> list[str]:
    """The same camera path as zoompan expressions: zoom from the previz pose's scale (times
    the opening margin the renderer computed), crop centre from the pose's offset."""
    import imageio_ffmpeg
    from PIL import Image

    from providers.previz.render import _Framer, _times, camera_pose

    job = previz_job(still)
    poses = [camera_pose(job.camera, t) for t in _times(job.frame_count)]
    with Image.open(still) as image:
        framer = _Framer(image.convert("RGB"), (WIDTH, HEIGHT), poses)
        cover = max(WIDTH / image.width, HEIGHT / image.height)
    margin = framer.base / cover
    last = job.frame_count - 1
    t = f"(on/{last})"
    rotate_ease = f"(0.5-0.5*cos(PI*{t}))"
    travel_ease = f"({t}*{t}*{t}*({t}*(6*{t}-15)+10))"
    dolly_in = MOVE["dolly"] / 10 * 0.5
    pan = MOVE["pan"] / 10 * 0.25
    zoom = f"{margin:.6f}/(1-{dolly_in}*{travel_ease})"
    x = f"iw/2+{pan}*{rotate_ease}*iw/{margin:.6f}-iw/zoom/2"
    y = "ih/2-ih/zoom/2"
    zoompan = f"zoompan=z='{zoom}':x='{x}':y='{y}':d=1:s={WIDTH}x{HEIGHT}:fps={FPS}"
    return [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-loop",
        "1",
        "-framerate",
        str(FPS),
        "-i",
        still,
        "-vf",
        zoompan,
        "-frames:v",
        str(job.frame_count),
        *X264_ARGS,
        "-movflags",
        "+faststart",
        output,
    ]


def run_child_rusage(command: list[str]) -> tuple[float, int, str]:
    """(wall seconds, peak RSS in MiB, stdout) of one child, reaped here so that its own
    rusage is known rather than the maximum over every child so far."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
    stdout = child.stdout.read()
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stdout.close()
    child.stderr.close()
    if child.returncode:
        raise SystemExit(f"{command[0]} failed:\n{stderr.decode(errors='replace')}")
    return wall, usage.ru_maxrss // 1024, stdout.decode()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=PARTS)
    parser.add_argument(
        "--child", nargs=3, metavar=("STEP", "STILL", "OUTPUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child:
        step, still, output = args.child
        if step == "still":
            make_still(still)
        elif step == "ffmpeg-command":
            print(json.dumps(ffmpeg_command(still, output)))
        elif step == "animatic-inputs":
            from scripts.bench_animatic import make_animatic_inputs

            make_animatic_inputs(still)
        elif step == "animatic-render":
            from scripts.bench_animatic import render_animatic_once

            render_animatic_once(still, output)
        else:
            render_once(still, output)
        return
    found: list[tuple[str, str, str]] = []
    for part in PARTS:
        if args.only in (None, part):
            found += part_figures(part, args)
            sys.stdout.flush()
    print("\nfigures:")
    print_figures(found)


PARTS = ("previz", "animatic", "board", "pages", "requests", "pipeline")


def part_figures(part: str, args: argparse.Namespace) -> list[tuple[str, str, str]]:
    """One part's figures, also printed as soon as they are known."""
    import importlib

    if part == "animatic":
        from scripts.bench_animatic import animatic_bench

        ratio = animatic_bench(args.runs)
        figures = [("animatic_vs_ffmpeg", f"{ratio:.2f}×", "≤ 1.5×")]
    else:
        module = importlib.import_module(f"scripts.bench_{part}")
        figures = module.figures(argparse.Namespace(runs=None if part == "board" else args.runs))
    print_figures(figures)
    return figures


# This parent imports nothing heavy: on Linux a child's peak RSS starts from its parent's RSS
# at spawn time, so numpy or Pillow loaded here would show up in both measurements.
def child(step: str, still: str, output: str = "-") -> list[str]:
    return [sys.executable, "-m", "scripts.bench", "--child", step, still, output]


def previz_bench(runs: int, *, print_figure: bool = True) -> float:
    """Print the previz comparison; return previz_vs_ffmpeg, the ratio of the median times."""
    frames = SECONDS * FPS
    with tempfile.TemporaryDirectory(prefix="previz-bench-") as work:
        still = os.path.join(work, "still.png")
        previz_out, ffmpeg_out = os.path.join(work, "previz.mp4"), os.path.join(work, "ffmpeg.mp4")
        run_child_rusage(child("still", still))
        ffmpeg_cmd = json.loads(run_child_rusage(child("ffmpeg-command", still, ffmpeg_out))[2])
        previz_times, previz_rss, ffmpeg_times, ffmpeg_rss = [], [], [], []
        for _ in range(runs):
            _, peak, out = run_child_rusage(child("render", still, previz_out))
            previz_times.append(json.loads(out)["seconds"])
            previz_rss.append(peak)
            wall, peak, _ = run_child_rusage(ffmpeg_cmd)
            ffmpeg_times.append(wall)
            ffmpeg_rss.append(peak)
        from providers.core.media import probe

        checks = {"previz": probe(previz_out), "ffmpeg": probe(ffmpeg_out)}

    previz_s, ffmpeg_s = statistics.median(previz_times), statistics.median(ffmpeg_times)
    print(
        f"previz bench: {SECONDS} s {WIDTH}x{HEIGHT} @ {FPS} fps ({frames} frames), "
        f"move {MOVE}, source {SOURCE_SIZE[0]}x{SOURCE_SIZE[1]}, "
        f"libx264 veryfast crf 23, median of {runs}, {os.cpu_count()} CPUs"
    )
    report(
        [("previz", previz_times, previz_rss), ("ffmpeg", ffmpeg_times, ffmpeg_rss)],
        checks,
        seconds=SECONDS,
        frames=frames,
    )
    print("  (previz: the render call, timed inside its process; ffmpeg: the whole command)")
    ratio = previz_s / ffmpeg_s
    if print_figure:
        print(f"previz_vs_ffmpeg: {ratio:.2f}× (goal ≤ 0.85×)")
    return ratio


def report(rows, checks: dict, *, seconds: float, frames: int) -> None:
    """One line per side: median time, real-time factor, fps, peak RSS, the runs, the output."""
    for name, times, rss in rows:
        taken, info = statistics.median(times), checks[name]
        print(
            f"  {name:8s} {taken:6.2f} s  real-time x{seconds / taken:5.2f}  "
            f"{frames / taken:6.1f} fps  peak RSS {max(rss)} MiB  "
            f"runs {', '.join(f'{r:.2f}' for r in times)}  "
            f"[{info.codec} {info.width}x{info.height} {info.frames} frames "
            f"{info.duration_seconds:.2f} s]"
        )


if __name__ == "__main__":
    main()
