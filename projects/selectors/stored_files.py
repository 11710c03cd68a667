"""The files shots, takes, scenes and whole projects keep, so deleting one leaves none behind.

Stills, references, voice samples and a take's video, poster and thumbnail are storage names
(the pipeline saves takes' files under takes/<project id>/take-<id>-*). A previz take also has a
job folder in the renderer's own scratch space (PREVIZ_JOBS_DIR), outside media.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import QuerySet

from projects.models import Deliverable, Project, ReferenceImage, Shot, Take
from providers.previz import jobs

SHOT_FILES = ("hero_frame", "hero_thumbnail", "last_frame", "last_thumbnail", "voice_sample")
REFERENCE_FILES = ("image", "thumbnail")
TAKE_FILES = ("video", "poster", "thumbnail")
PREVIZ = "previz"
TAKE_FILE = re.compile(r"^take-([0-9]+)[.-]")


@dataclass
class StoredFiles:
    """Collected before the rows go (a deleted row no longer says where its files are) and
    deleted once the deletion has committed."""

    names: list[str] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    # Project id -> take ids: files under a take's name that no row names (a worker that died
    # between saving a video and recording it; the lock files of older versions).
    take_leftovers: dict[int, set[int]] = field(default_factory=dict)
    # Projects whose whole takes/<project id>/ goes.
    projects: list[int] = field(default_factory=list)

    def delete(self) -> None:
        for name in self.names:
            default_storage.delete(name)
        for project_id, take_ids in self.take_leftovers.items():
            whole = project_id in self.projects
            for name in _files_in_takes_folder(project_id):
                if whole or _take_id_of(name) in take_ids:
                    default_storage.delete(f"{_takes_folder(project_id)}/{name}")
        for folder in self.folders:
            shutil.rmtree(folder, ignore_errors=True)


def of_shots(shots: QuerySet[Shot]) -> StoredFiles:
    """The shots' stills and voice samples, their references, and their takes' files."""
    takes = Take.objects.filter(shot__in=shots)
    take_rows = list(takes.values_list("pk", "project_id", "provider", "remote_id"))
    return StoredFiles(
        names=(
            _names(shots, SHOT_FILES)
            + _names(ReferenceImage.objects.filter(shot__in=shots), REFERENCE_FILES)
            + _names(takes, TAKE_FILES)
        ),
        folders=_previz_folders(take_rows),
        take_leftovers=_by_project(take_rows),
    )


def of_project(project: Project) -> StoredFiles:
    files = of_shots(Shot.objects.filter(project=project))
    files.names += deliverable_files(Deliverable.objects.filter(project=project))
    files.projects.append(project.pk)
    files.take_leftovers.setdefault(project.pk, set())
    return files


def deliverable_files(deliverables: QuerySet[Deliverable]) -> list[str]:
    """Rendered animatics and editor packages (a scene's go with the scene)."""
    return _names(deliverables, ("file",))


def _names(queryset: QuerySet, fields: tuple[str, ...]) -> list[str]:
    return [name for row in queryset.values_list(*fields) for name in row if name]


def _takes_folder(project_id: int) -> str:
    return f"takes/{project_id}"


def _by_project(take_rows) -> dict[int, set[int]]:
    takes: dict[int, set[int]] = {}
    for pk, project_id, _, _ in take_rows:
        takes.setdefault(project_id, set()).add(pk)
    return takes


def _files_in_takes_folder(project_id: int) -> list[str]:
    """The file names in takes/<project id>/ (none when the folder was never made)."""
    try:
        return default_storage.listdir(_takes_folder(project_id))[1]
    except FileNotFoundError:
        return []


def _take_id_of(name: str) -> int | None:
    """take-12-ab34cd56.mp4, take-12-poster.jpg, take-12.lock -> 12."""
    match = TAKE_FILE.match(name)
    return int(match.group(1)) if match else None


def _previz_folders(take_rows) -> list[Path]:
    config = settings.VIDEO_PROVIDERS.get(PREVIZ)
    if config is None:
        return []
    # The same default as projects.registry.provider_config.
    jobs_dir = config.get("OPTIONS", {}).get("jobs_dir") or settings.PREVIZ_JOBS_DIR
    folders = []
    for pk, _, provider, remote_id in take_rows:
        if provider != PREVIZ:
            continue
        for job_id in {remote_id, jobs.job_id_for(pk)} - {""}:
            try:
                folders.append(Path(jobs.job_dir(str(jobs_dir), job_id)))
            except ValueError:
                continue  # not a job id we made: never walk out of the jobs folder
    return folders
