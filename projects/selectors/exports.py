"""The exports made on the spot (timelines, boards, the shot list): one file's bytes, its name
and type, for the download views and `manage.py export_project` alike."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.storage import default_storage

from projects.deliver.boards import boards_pdf
from projects.deliver.names import safe_stem
from projects.deliver.shotlist import shot_list_csv, shot_list_pdf
from projects.deliver.timeline import timeline_bytes
from projects.models import Deliverable, Project, Scene
from projects.selectors.boards import board_panels, shot_list_rows
from projects.selectors.cut import cut_of

# format -> (what it is, file extension, content type)
FORMATS = {
    "otio": ("OpenTimelineIO timeline", "otio", "application/json"),
    "edl": ("CMX 3600 EDL", "edl", "text/plain; charset=utf-8"),
    "fcpxml": ("Final Cut Pro XML", "xml", "application/xml"),
    "pdf": ("Storyboard PDF", "pdf", "application/pdf"),
    "csv": ("Shot list (CSV)", "csv", "text/csv; charset=utf-8"),
    "shotlist-pdf": ("Shot list (PDF)", "pdf", "application/pdf"),
}
PANELS_PER_PAGE = (1, 3, 6)


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str


def export_file(
    project: Project, fmt: str, *, scene: Scene | None = None, per_page: int = 3
) -> ExportFile:
    """The file for `fmt` (a FORMATS key); DeliveryError with a reason when it cannot be made."""
    _, extension, content_type = FORMATS[fmt]
    scope = "film" if scene is None else f"scene{scene.number}"
    if fmt in ("otio", "edl", "fcpxml"):
        content = timeline_bytes(cut_of(project, scene), fmt)
    elif fmt == "pdf":
        content = boards_pdf(
            board_panels(project, scene),
            project_name=project.name,
            scene_title=_scene_title(scene),
            per_page=per_page,
            read_media=read_media,
        )
        scope += f"-{per_page}up"
    else:
        header, rows = shot_list_rows(project, scene)
        if fmt == "csv":
            content = shot_list_csv(header, rows)
        else:
            content = shot_list_pdf(
                header, rows, project_name=project.name, scene_title=_scene_title(scene)
            )
        scope += "-shotlist"
    return ExportFile(content, f"{safe_stem(project.name)}-{scope}.{extension}", content_type)


def read_media(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def _scene_title(scene: Scene | None) -> str:
    return "" if scene is None else f"Scene {scene.number}: {scene.title}"


def deliverables_of(project: Project):
    """The project's deliverables, newest first, with what the list shows: one query."""
    return Deliverable.objects.filter(project=project).select_related("scene", "requested_by")
