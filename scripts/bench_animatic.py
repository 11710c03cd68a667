"""The animatic half of `make bench` (scripts/bench.py runs it): a 20-shot scene rendered by
projects.deliver.animatic and by ffmpeg conforming the same segments, then concatenating them.
Imported only by the parent's animatic step and by its child processes."""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time

from scripts.bench import FPS, child, report, run_child_rusage
from scripts.bench_support import X264_ARGS

ANIMATIC_SIZE = (1280, 720)
# (seconds on the cut, take length, take fps, take size): shorter takes are held, longer trimmed.
BENCH_TAKES = [
    (3.0, 3.5, 24, (1280, 720)),
    (2.5, 2.0, 30, (1280, 720)),
    (4.0, 4.0, 25, (960, 540)),
    (2.0, 3.0, 24, (1280, 720)),
    (3.5, 3.0, 30, (640, 480)),
    (2.0, 2.5, 24, (1280, 720)),
    (3.0, 3.0, 25, (1280, 720)),
    (2.5, 4.0, 30, (960, 540)),
    (4.0, 3.5, 24, (1280, 720)),
    (2.0, 2.0, 24, (720, 720)),
    (3.0, 2.5, 30, (1280, 720)),
    (2.5, 3.0, 25, (1280, 720)),
    (3.5, 4.0, 24, (960, 540)),
    (2.0, 2.0, 30, (1280, 720)),
]
BENCH_STILLS = [(2.5, (1920, 1080)), (3.0, (1080, 1350)), (2.0, (1600, 1200)), (2.5, (2048, 858))]
BENCH_TITLES = [2.0, 2.5]
ORDER = "TTTFTTTITTFTTTFTITTF"  # T take, F frame (still), I title: 20 shots, mixed


def _bench_segments(work: str) -> list[dict]:
    takes, stills, titles = iter(BENCH_TAKES), iter(BENCH_STILLS), iter(BENCH_TITLES)
    segments = []
    for number, kind in enumerate(ORDER, start=1):
        base = {"shot_id": number, "label": f"{number}A", "scene_number": 1}
        if kind == "T":
            seconds, length, fps, size = next(takes)
            path = os.path.join(work, f"take{number}.mp4")
            segments.append(
                {
                    **base,
                    "source": "take",
                    "duration": seconds,
                    "path": path,
                    "fps": fps,
                    "take_number": 1,
                    "length": length,
                    "size": size,
                }
            )
        elif kind == "F":
            seconds, size = next(stills)
            path = os.path.join(work, f"still{number}.png")
            segments.append(
                {**base, "source": "frame", "duration": seconds, "path": path, "size": size}
            )
        else:
            segments.append(
                {
                    **base,
                    "source": "title",
                    "duration": next(titles),
                    "path": os.path.join(work, f"card{number}.png"),
                    "action": "She crosses the rooftop in the rain and stops at the "
                    "edge, looking down at the street.",
                }
            )
    return segments


def make_animatic_inputs(work: str) -> None:
    """Child: the takes (moving texture, a tone), stills and, for ffmpeg, the title cards."""
    import av
    import numpy as np
    from PIL import Image

    from projects.deliver.animatic_pictures import title_image

    for segment in _bench_segments(work):
        if segment["source"] == "take":
            width, height = segment["size"]
            fps, length = segment["fps"], segment["length"]
            y, x = np.mgrid[0:height, 0 : width * 2]
            texture = np.stack(
                [(x * 3 + y) % 256, (y * 2) % 256, ((x // 32 + y // 32) % 2) * 160 + 40], -1
            ).astype(np.uint8)
            with av.open(segment["path"], "w") as container:
                video = container.add_stream("libx264", rate=fps)
                video.width, video.height, video.pix_fmt = width, height, "yuv420p"
                video.options = {"preset": "veryfast", "crf": "20"}
                audio = container.add_stream("aac", rate=44100, layout="stereo")
                for index in range(round(length * fps)):
                    shift = index * 7 % width
                    frame = av.VideoFrame.from_ndarray(
                        np.ascontiguousarray(texture[:, shift : shift + width]), format="rgb24"
                    )
                    frame.pts = index
                    container.mux(video.encode(frame))
                container.mux(video.encode(None))
                t = np.arange(round(length * 44100)) / 44100
                tone = (0.3 * np.sin(2 * np.pi * (220 + segment["shot_id"] * 20) * t)).astype(
                    np.float32
                )
                for start in range(0, len(tone), 1024):
                    chunk = np.stack([tone[start : start + 1024]] * 2)
                    frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="stereo")
                    frame.sample_rate, frame.pts = 44100, start
                    container.mux(audio.encode(frame))
                container.mux(audio.encode(None))
        elif segment["source"] == "frame":
            width, height = segment["size"]
            y, x = np.mgrid[0:height, 0:width]
            rgb = np.stack(
                [x * 255 // width, y * 255 // height, ((x // 60 + y // 60) % 2) * 180 + 40], -1
            )
            Image.fromarray(rgb.astype(np.uint8)).save(segment["path"])
        else:
            title_image(ANIMATIC_SIZE, segment["label"], "Scene 1", segment["action"]).save(
                segment["path"]
            )


def _bench_cut(work: str):
    from projects.deliver.cut import Cut, Segment

    segments = []
    for data in _bench_segments(work):
        fields = {k: v for k, v in data.items() if k not in ("length", "size")}
        if fields["source"] == "title":
            fields["path"] = ""
        segments.append(
            Segment(scene_title="", action=fields.pop("action", ""), dialogue="", **fields)
        )
    return Cut(
        project_id=1,
        project_name="Bench",
        aspect_ratio="16:9",
        scene_number=1,
        scene_title="Rooftop",
        segments=tuple(segments),
    )


def render_animatic_once(work: str, output: str) -> None:
    """Child: render the scene and print the wall time of the render call alone."""
    from projects.deliver.animatic import render_animatic

    cut = _bench_cut(work)
    start = time.perf_counter()
    result = render_animatic(cut, output, resolution="720p", burn_in=True)
    print(json.dumps({"seconds": time.perf_counter() - start, "frames": result.frames}))


def _drawtext(label: str, start_frame: int) -> str:
    from projects.deliver.animatic_pictures import FONT_DIR

    seconds, frames = divmod(start_frame, FPS)
    code = f"{seconds // 3600:02d}\\:{seconds // 60 % 60:02d}\\:{seconds % 60:02d}\\:{frames:02d}"
    return (
        f"drawtext=fontfile={FONT_DIR}DejaVuSansMono.ttf:text='{label}  SC 1  ':"
        f"timecode='{code}':timecode_rate={FPS}:fontsize={720 // 34}:fontcolor=white:"
        "box=1:boxcolor=black@0.6:boxborderw=6:x=18:y=18"
    )


def animatic_ffmpeg_commands(work: str, output: str) -> list[list[str]]:
    """One ffmpeg per segment, conformed to the animatic's size, rate and sound, then one
    concat: the way the job is done by hand."""
    import imageio_ffmpeg

    exe = imageio_ffmpeg.get_ffmpeg_exe()
    width, height = ANIMATIC_SIZE
    fit = (
        f"scale={width}:{height}:force_original_aspect_ratio=decrease:force_divisible_by=2,"
        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1"
    )
    encode = [
        *X264_ARGS,
        "-c:a",
        "aac",
        "-ar",
        "48000",
        "-ac",
        "2",
    ]
    silence = ["-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo"]
    commands, parts, at = [], [], 0
    for segment in _bench_segments(work):
        seconds = segment["duration"]
        frames = round((at + seconds) * FPS) - round(at * FPS)
        part = os.path.join(work, f"part{segment['shot_id']:02d}.mp4")
        text = _drawtext(segment["label"], round(at * FPS))
        head = [exe, "-hide_banner", "-loglevel", "error", "-y"]
        if segment["source"] == "take":
            command = [
                *head,
                "-i",
                segment["path"],
                "-vf",
                f"fps={FPS},{fit},tpad=stop_mode=clone:stop_duration={seconds},{text}",
                "-af",
                f"aresample=48000,apad=whole_dur={seconds}",
            ]
        elif segment["source"] == "frame":
            push = (
                f"zoompan=z='pow(1.08,on/{max(1, frames - 1)})':x='iw/2-iw/zoom/2':"
                f"y='ih/2-ih/zoom/2':d={frames}:s={width}x{height}:fps={FPS}"
            )
            command = [*head, "-i", segment["path"], *silence, "-vf", f"{fit},{push},{text}"]
        else:
            command = [
                *head,
                "-loop",
                "1",
                "-framerate",
                str(FPS),
                "-i",
                segment["path"],
                *silence,
                "-vf",
                text,
            ]
        commands.append([*command, "-frames:v", str(frames), "-t", str(seconds), *encode, part])
        parts.append(part)
        at += seconds
    listing = os.path.join(work, "parts.txt")
    with open(listing, "w") as handle:
        handle.writelines(f"file '{part}'\n" for part in parts)
    concat = ["-f", "concat", "-safe", "0", "-i", listing, "-c", "copy"]
    commands.append(
        [
            exe,
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            *concat,
            "-movflags",
            "+faststart",
            output,
        ]
    )
    return commands


def animatic_bench(runs: int) -> float:
    """Print the animatic comparison; return animatic_vs_ffmpeg, the ratio of the medians."""
    seconds = sum(s for s, *_ in BENCH_TAKES) + sum(s for s, _ in BENCH_STILLS)
    seconds += sum(BENCH_TITLES)
    with tempfile.TemporaryDirectory(prefix="animatic-bench-") as work:
        ours_out, ffmpeg_out = os.path.join(work, "animatic.mp4"), os.path.join(work, "ffmpeg.mp4")
        run_child_rusage(child("animatic-inputs", work))
        commands = animatic_ffmpeg_commands(work, ffmpeg_out)
        ours_times, ours_rss, ffmpeg_times, ffmpeg_rss = [], [], [], []
        for _ in range(runs):
            _, peak, out = run_child_rusage(child("animatic-render", work, ours_out))
            ours_times.append(json.loads(out)["seconds"])
            ours_rss.append(peak)
            walls, peaks = zip(
                *(run_child_rusage(command)[:2] for command in commands), strict=True
            )
            ffmpeg_times.append(sum(walls))
            ffmpeg_rss.append(max(peaks))
        from providers.core.media import probe

        checks = {"animatic": probe(ours_out), "ffmpeg": probe(ffmpeg_out)}

    frames = round(seconds * FPS)
    ours_s, ffmpeg_s = statistics.median(ours_times), statistics.median(ffmpeg_times)
    print(
        f"animatic bench: {len(ORDER)} shots ({len(BENCH_TAKES)} takes, {len(BENCH_STILLS)} "
        f"stills, {len(BENCH_TITLES)} titles), {seconds:g} s {ANIMATIC_SIZE[0]}x"
        f"{ANIMATIC_SIZE[1]} @ {FPS} fps ({frames} frames), burn-in, libx264 veryfast crf 23 + "
        f"AAC, median of {runs}, {os.cpu_count()} CPUs"
    )
    report(
        [("animatic", ours_times, ours_rss), ("ffmpeg", ffmpeg_times, ffmpeg_rss)],
        checks,
        seconds=seconds,
        frames=frames,
    )
    print(f"  ratio animatic/ffmpeg: {ours_s / ffmpeg_s:.2f} (goal: at most 1.5)")
    print(
        f"  (animatic: the render call, timed inside its process; ffmpeg: {len(ORDER)} segment "
        "commands and the concat, one after another; its RSS is the largest of them)"
    )
    return ours_s / ffmpeg_s
