"""previz_vs_ffmpeg for `make bench`: the previz render of an 8 s 720p move against the ffmpeg
command line's zoompan doing the same move with the same x264 settings, side by side in one run
(scripts/bench.py's previz_bench measures; this module only names the figure).

    python -m scripts.bench_previz [--runs 3]
"""

from __future__ import annotations

import argparse

from scripts.bench import previz_bench
from scripts.bench_support import print_figures

GOAL = 0.85


def figures(args: argparse.Namespace) -> list[tuple[str, str, str]]:
    ratio = previz_bench(getattr(args, "runs", 3), print_figure=False)
    return [("previz_vs_ffmpeg", f"{ratio:.2f}×", f"≤ {GOAL}×")]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    print_figures(figures(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
