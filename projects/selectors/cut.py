"""The cut of a project or one scene, read from the board: what the animatic plays, what the
editor timelines hold. Three queries whatever the number of shots."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch

from projects.deliver.cut import FRAME, TAKE, TITLE, Cut, Note, Segment
from projects.models import Comment, Project, Scene, Shot, TakeKind, TakeState


def playable_take(shot: Shot):
    """The shot's circled take when it has a finished video; else None."""
    take = shot.circled_take
    if take and take.state == TakeState.SUCCEEDED and take.kind == TakeKind.VIDEO and take.video:
        return take
    return None


def cut_of(project: Project, scene: Scene | None = None) -> Cut:
    """Scenes and shots in board order, each shot its circled take, hero frame or title."""
    scenes = project.scenes.all() if scene is None else project.scenes.filter(pk=scene.pk)
    scenes = scenes.prefetch_related(
        Prefetch(
            "shots",
            queryset=Shot.objects.select_related("circled_take").order_by("order", "pk"),
        )
    )
    scenes = list(scenes)
    shots = [shot for each in scenes for shot in each.shots.all()]
    notes = _frame_notes([take.pk for shot in shots if (take := playable_take(shot))])
    segments = []
    for each in scenes:
        for shot in each.shots.all():
            segments.append(_segment(each, shot, notes))
    return Cut(
        project_id=project.pk,
        project_name=project.name,
        aspect_ratio=project.aspect_ratio,
        scene_number=None if scene is None else scene.number,
        scene_title="" if scene is None else scene.title,
        segments=tuple(segments),
    )


def _segment(scene: Scene, shot: Shot, notes: dict[int, list[Note]]) -> Segment:
    common = {
        "shot_id": shot.pk,
        "label": shot.label,
        "scene_number": scene.number,
        "scene_title": scene.title,
        "action": shot.action,
        "dialogue": shot.dialogue,
        "duration": float(shot.duration_seconds),
    }
    take = playable_take(shot)
    if take is not None:
        return Segment(
            **common,
            source=TAKE,
            media=take.video.name,
            take_id=take.pk,
            take_number=take.number,
            fps=take.fps or take.DEFAULT_FPS,
            source_duration=take.duration_seconds,
            width=take.width,
            height=take.height,
            notes=tuple(n for n in notes.get(take.pk, ()) if n.at < shot.duration_seconds),
        )
    if shot.hero_frame:
        return Segment(
            **common,
            source=FRAME,
            media=shot.hero_frame.name,
            width=shot.hero_width,
            height=shot.hero_height,
        )
    return Segment(**common, source=TITLE)


def _frame_notes(take_ids: list[int]) -> dict[int, list[Note]]:
    """Open notes pinned to a moment of these takes (deleted and resolved ones left out)."""
    found: dict[int, list[Note]] = defaultdict(list)
    if not take_ids:
        return found
    rows = (
        Comment.objects.filter(
            take_id__in=take_ids,
            at_seconds__isnull=False,
            deleted_at__isnull=True,
            resolved_at__isnull=True,
        )
        .select_related("author")
        .order_by("at_seconds", "pk")
    )
    for row in rows:
        author = row.author.get_username() if row.author else row.guest_name
        found[row.take_id].append(Note(at=row.at_seconds, text=row.body, author=author))
    return found
