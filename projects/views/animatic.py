"""The animatic in the browser: a project or one scene played in order, each shot as its circled
take, its hero frame held with a slow push in, or a title card (static/js/animatic.js plays it).

The page carries the whole cut as JSON, with a media URL per segment: the player needs nothing
else from the server but the media, so the page costs the same few queries whatever its length.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from projects.deliver.cut import FRAME, TAKE, Cut, Segment
from projects.selectors.cut import cut_of

from ..ids import parse_id
from ..models import Membership, Scene
from .access import member_of

# What the shot list says each segment is made of.
SOURCE_WORDS = {FRAME: "hero frame", TAKE: "take {number}"}


@login_required
@require_safe
def animatic(request: HttpRequest, project_id: int) -> HttpResponse:
    """The whole film, or one scene with ?scene=<id>; any member may play it."""
    membership = member_of(request, project_id)
    scene = _scene_asked(membership, request.GET.get("scene", ""))
    cut = cut_of(membership.project, scene)
    segments = [_played(membership.project_id, segment) for segment in cut.segments]
    for segment, start in zip(segments, cut.starts(), strict=True):
        segment["start"] = start
    context = {
        "project": membership.project,
        "membership": membership,
        "scene": scene,
        "scenes": membership.project.scenes.all(),  # to switch to a scene or the whole film
        "cut": cut,
        "segments": segments,
        "player": _player_data(cut, segments),
    }
    return render(request, "projects/animatic.html", context)


def _scene_asked(membership: Membership, raw: str) -> Scene | None:
    """The scene of this project named by ?scene=, None for the whole film; anything else 404s."""
    if not raw:
        return None
    scene_id = parse_id(raw)
    if scene_id is None:
        raise Http404("No such scene.")
    return get_object_or_404(membership.project.scenes, pk=scene_id)


def _played(project_id: int, segment: Segment) -> dict:
    """One segment as the player reads it: what to show, for how long, from which URL."""
    if segment.source == TAKE:
        media_url = reverse("projects:take-media", args=[project_id, segment.take_id, "video.mp4"])
    elif segment.source == FRAME:
        media_url = reverse("projects:shot-image", args=[project_id, segment.shot_id, "hero"])
    else:
        media_url = ""
    return {
        "shot_id": segment.shot_id,
        "label": segment.label,
        "scene_number": segment.scene_number,
        "scene_title": segment.scene_title,
        "action": segment.action,
        "dialogue": segment.dialogue,
        "duration": segment.duration,
        "source": segment.source,
        "source_words": SOURCE_WORDS.get(segment.source, "title card").format(
            number=segment.take_number
        ),
        "take_number": segment.take_number,
        "media_url": media_url,
    }


def _player_data(cut: Cut, segments: list[dict]) -> dict:
    return {
        "title": cut.title,
        "fps": cut.fps,
        "aspect_ratio": cut.aspect_ratio,
        "duration": cut.duration,
        "segments": segments,
    }
