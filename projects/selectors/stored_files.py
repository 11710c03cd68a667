"""The files shots, takes and whole projects keep on disk, so deleting one leaves none behind.

Stills, references and voice samples are storage names. A take's video, poster and thumbnail
live under MEDIA_ROOT/takes/<project id>/ beside the pipeline's lock and partial downloads
(projects.generation.pipeline), and a previz take has a job folder of its own.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import QuerySet

from projects.models import Project, ReferenceImage, Shot, Take
from providers.previz import jobs

SHOT_FILES = ("hero_frame", "hero_thumbnail", "last_frame", "last_thumbnail", "voice_sample")
REFERENCE_FILES = ("image", "thumbnail")
TAKE_FILES = ("video", "poster", "thumbnail")
PREVIZ = "previz"


@dataclass
class StoredFiles:
    """Collected before the rows go (a deleted row no longer says where its files are) and
    deleted once the deletion has committed."""

    names: list[str] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    take_leftovers: list[tuple[Path, int]] = field(default_factory=list)

    def delete(self) -> None:
        for name in self.names:
            default_storage.delete(name)
        for folder, take_id in self.take_leftovers:
            # Locks, partial downloads, a video whose poster failed: take-<id>.* / take-<id>-*
            for path in [*folder.glob(f"take-{take_id}.*"), *folder.glob(f"take-{take_id}-*")]:
                path.unlink(missing_ok=True)
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
        take_leftovers=[(_takes_folder(project_id), pk) for pk, project_id, _, _ in take_rows],
    )


def of_project(project: Project) -> StoredFiles:
    files = of_shots(Shot.objects.filter(project=project))
    files.folders.append(_takes_folder(project.pk))
    return files


def _names(queryset: QuerySet, fields: tuple[str, ...]) -> list[str]:
    return [name for row in queryset.values_list(*fields) for name in row if name]


def _takes_folder(project_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "takes" / str(project_id)


def _previz_folders(take_rows) -> list[Path]:
    config = settings.VIDEO_PROVIDERS.get(PREVIZ)
    if config is None:
        return []
    # The same default as projects.generation.registry.provider_config.
    jobs_dir = (
        config.get("OPTIONS", {}).get("jobs_dir") or Path(settings.MEDIA_ROOT) / "previz-jobs"
    )
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
