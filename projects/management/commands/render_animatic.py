"""python manage.py render_animatic PROJECT_ID --out PATH [--scene NUMBER]

Renders here, in this process (not on the render queue): what the Render button's worker
does, for scripts and for checking a render by hand."""

from __future__ import annotations

import os
import tempfile

from django.core.management.base import BaseCommand, CommandError

from projects.deliver.animatic import render_animatic
from projects.deliver.errors import DeliveryError
from projects.pipeline.deliverables import cut_with_local_media
from projects.selectors.cut import cut_of

from ._scope import project_and_scene


class Command(BaseCommand):
    help = "Render the animatic of a project or one scene to one MP4."

    def add_arguments(self, parser):
        parser.add_argument("project_id")
        parser.add_argument("--out", required=True, help="the MP4 to write")
        parser.add_argument("--scene", type=int, help="scene number (default: the whole film)")
        parser.add_argument("--resolution", default="720p", choices=["720p", "1080p"])
        parser.add_argument("--no-labels", action="store_true", help="burn in nothing")

    def handle(self, *args, **options):
        project, scene = project_and_scene(options["project_id"], options["scene"])
        out = options["out"]
        if not os.path.isdir(os.path.dirname(os.path.abspath(out))):
            raise CommandError(f"No folder to write {out} into.")
        cut = cut_of(project, scene)
        if not cut.segments:
            raise CommandError("There are no shots to render.")
        try:
            with tempfile.TemporaryDirectory(prefix="animatic-") as scratch:
                result = render_animatic(
                    cut_with_local_media(cut, scratch),
                    out,
                    resolution=options["resolution"],
                    burn_in=not options["no_labels"],
                )
        except DeliveryError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Wrote {out}: {result.duration_seconds:.2f} s, {result.width}x{result.height} "
            f"at {result.fps} fps, {len(cut.segments)} shots."
        )
