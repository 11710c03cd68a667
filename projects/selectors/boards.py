"""The board on paper: storyboard panels and shot-list rows of a project or one scene, in board
order (scene order, then shot order, as the cut plays). One query whatever the number of shots.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from projects.deliver.boards import Panel
from projects.models import Project, Scene, Shot
from projects.selectors.cut import playable_take
from providers.core import catalog
from providers.core.motions import get_motion
from providers.core.spec import CameraMove
from providers.design.compile import describe_move

SHOT_LIST_HEADER = [
    "Scene",
    "Scene title",
    "Shot",
    "Order",
    "Status",
    "Subject",
    "Action",
    "Context",
    "Style",
    "Shot size",
    "Angle",
    "Lens (mm)",
    "Duration (s)",
    "Aspect",
    "Model",
    "Resolution",
    "Dialogue",
    "Language",
    "Beats",
    "Audio",
    "Sound effects",
    "Ambience",
    "Negative prompt",
    "Seed",
    "Named move",
    *(axis.capitalize() for axis in catalog.CAMERA_AXES),
    "Camera move",
    "Camera notes",
    "Notes",
    "Circled take",
    "Approved by",
    "Approved at",
    "Approval note",
]


def board_shots(project: Project, scene: Scene | None = None) -> QuerySet[Shot]:
    """The shots in board order, with what a panel or a row prints joined in."""
    shots = Shot.objects.filter(project=project)
    if scene is not None:
        shots = shots.filter(scene=scene)
    # Scenes in their Meta order (order, number, pk), shots as the cut orders them.
    return shots.select_related("scene", "circled_take", "approved_take", "approved_by").order_by(
        "scene__order", "scene__number", "scene__pk", "order", "pk"
    )


def board_panels(project: Project, scene: Scene | None = None) -> list[Panel]:
    """Each shot as a storyboard panel: its picture, words and where it stands."""
    return [_panel(shot) for shot in board_shots(project, scene)]


def shot_list_rows(
    project: Project, scene: Scene | None = None
) -> tuple[list[str], list[list[object]]]:
    """The shot list: a header and one row of text per shot, every field of the shot."""
    return list(SHOT_LIST_HEADER), [_row(shot) for shot in board_shots(project, scene)]


def camera_in_words(shot: Shot) -> str:
    """The move as the design page says it: the named move, then the six axes in words."""
    move = CameraMove(**{axis: getattr(shot, axis) or 0 for axis in catalog.CAMERA_AXES})
    motion = get_motion(shot.motion_preset) if shot.motion_preset else None
    if motion is None:
        return describe_move(move)
    return motion.name + ("" if move.is_static else f" and {describe_move(move)}")


def approval_in_words(shot: Shot) -> str:
    if shot.approved_at is not None:
        who = shot.approved_by.get_username() if shot.approved_by else "someone"
        take = f" · take {shot.approved_take.number}" if shot.approved_take else ""
        return f"Approved by {who}{take}"
    if shot.circled_take is not None:
        return f"Circled: take {shot.circled_take.number}"
    return "Not circled"


def _panel(shot: Shot) -> Panel:
    image, caption = _picture(shot)
    camera = camera_in_words(shot)
    return Panel(
        shot_id=shot.pk,
        label=shot.label,
        scene_number=shot.scene.number,
        scene_title=shot.scene.title,
        aspect_ratio=shot.aspect_ratio,
        image=image,
        image_caption=caption,
        subject=shot.subject,
        action=shot.action,
        dialogue=shot.dialogue,
        framing=_framing(shot),
        camera=f"{camera} ({shot.camera_notes})" if shot.camera_notes else camera,
        duration_seconds=float(shot.duration_seconds or 0),
        notes=shot.notes,
        approval=approval_in_words(shot),
    )


def _picture(shot: Shot) -> tuple[str, str]:
    """What the panel's frame shows: the circled take's poster, else the hero frame."""
    take = playable_take(shot)
    if take is not None and take.poster:
        return take.poster.name, f"Take {take.number}"
    if shot.hero_frame:
        return shot.hero_frame.name, "Hero frame"
    return "", ""


def _framing(shot: Shot) -> str:
    return " · ".join(
        (
            catalog.label_for(catalog.SHOT_SIZES, shot.shot_size),
            catalog.label_for(catalog.CAMERA_ANGLES, shot.camera_angle),
            f"{shot.lens_mm} mm",
        )
    )


def _row(shot: Shot) -> list[str]:
    approved_at = ""
    if shot.approved_at is not None:
        approved_at = timezone.localtime(shot.approved_at).strftime("%Y-%m-%d %H:%M")
    values = [
        shot.scene.number,
        shot.scene.title,
        shot.label,
        shot.order,
        shot.get_status_display(),
        shot.subject,
        shot.action,
        shot.context,
        shot.style,
        catalog.label_for(catalog.SHOT_SIZES, shot.shot_size),
        catalog.label_for(catalog.CAMERA_ANGLES, shot.camera_angle),
        shot.lens_mm,
        shot.duration_seconds,
        shot.aspect_ratio,
        catalog.label_for(catalog.VIDEO_MODELS, shot.target_model),
        shot.resolution,
        shot.dialogue,
        catalog.label_for(catalog.DIALOGUE_LANGUAGES, shot.dialogue_language),
        shot.beats,
        "on" if shot.audio else "off",
        shot.sound_effects,
        shot.ambience,
        shot.negative_prompt,
        "" if shot.seed is None else shot.seed,
        _motion_name(shot.motion_preset),
        *(getattr(shot, axis) or 0 for axis in catalog.CAMERA_AXES),
        camera_in_words(shot),
        shot.camera_notes,
        shot.notes,
        shot.circled_take.number if shot.circled_take else "",
        (shot.approved_by.get_username() if shot.approved_by else "") if shot.approved_at else "",
        approved_at,
        shot.approval_note,
    ]
    # Numbers stay numbers: a pan of -3 is a number in a spreadsheet, never a formula.
    return [value if _is_number(value) else str(value) for value in values]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _motion_name(slug: str) -> str:
    motion = get_motion(slug) if slug else None
    return motion.name if motion else slug
