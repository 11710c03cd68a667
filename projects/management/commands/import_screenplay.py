"""python manage.py import_screenplay PROJECT_ID PATH: the import page's service, no preview."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from projects.models.choices import dialogue_languages
from projects.screenplay.files import MAX_BYTES, read_screenplay
from projects.screenplay.script import ScreenplayError
from projects.services.screenplays import screenplay_import

from ._scope import project_and_scene


class Command(BaseCommand):
    help = (
        "Import a Fountain (.fountain, .spmd, .txt) or Final Draft (.fdx) screenplay into a "
        "project: new scenes with their draft shots; scenes already there are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("project_id", help="The project's id.")
        parser.add_argument("path", help="The screenplay file.")
        parser.add_argument(
            "--dialogue-language",
            default="en",
            choices=[code for code, _ in dialogue_languages()],
            help="The language the characters speak (default: en).",
        )

    def handle(self, *args, **options):
        project, _ = project_and_scene(options["project_id"], None)
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(
                f"{path.name} is over {MAX_BYTES // 1024 // 1024} MB; that is not a screenplay."
            )
        try:
            screenplay = read_screenplay(path.name, path.read_bytes())
            result = screenplay_import(
                project=project,
                screenplay=screenplay,
                dialogue_language=options["dialogue_language"],
            )
        except ScreenplayError as error:
            raise CommandError(f"{path.name}: {error}") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for scene in result.scenes:
            shots = scene.shots.count()
            self.stdout.write(
                f"Scene {scene.number}: {scene.description.splitlines()[0]} "
                f"({shots} shot{'s' if shots != 1 else ''})"
            )
        self.stdout.write(
            f"Imported {len(result.scenes)} scene(s) and {result.shot_count} draft shot(s) "
            f"into {project.name}; {result.kept_count} scene(s) already there were left as is."
        )
