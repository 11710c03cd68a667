"""python manage.py export_project PROJECT_ID --format FORMAT --out PATH [--scene NUMBER]

The same files the exports page makes, for studios that script their hand-offs."""

from __future__ import annotations

import os
import tempfile

from django.core.management.base import BaseCommand, CommandError

from projects.deliver.errors import DeliveryError
from projects.deliver.package import write_package
from projects.pipeline.deliverables import cut_with_local_media
from projects.selectors.cut import cut_of
from projects.selectors.exports import FORMATS, PANELS_PER_PAGE, export_file

from ._scope import project_and_scene


class Command(BaseCommand):
    help = "Export a project or a scene: a timeline, the boards, the shot list or the package."

    def add_arguments(self, parser):
        parser.add_argument("project_id")
        parser.add_argument("--format", required=True, choices=[*FORMATS, "package"])
        parser.add_argument("--out", required=True, help="the file to write")
        parser.add_argument("--scene", type=int, help="scene number (default: the whole film)")
        parser.add_argument("--per-page", type=int, default=3, choices=PANELS_PER_PAGE)

    def handle(self, *args, **options):
        project, scene = project_and_scene(options["project_id"], options["scene"])
        out = options["out"]
        folder = os.path.dirname(os.path.abspath(out))
        if not os.path.isdir(folder):
            raise CommandError(f"No folder {folder} to write {os.path.basename(out)} into.")
        try:
            if options["format"] == "package":
                with tempfile.TemporaryDirectory(prefix="package-") as scratch:
                    cut = cut_with_local_media(cut_of(project, scene), scratch)
                    write_package(cut, out)
            else:
                made = export_file(
                    project, options["format"], scene=scene, per_page=options["per_page"]
                )
                with open(out, "wb") as handle:
                    handle.write(made.content)
        except DeliveryError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"Could not write {out}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {out} ({os.path.getsize(out)} bytes).")
