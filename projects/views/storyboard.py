"""The storyboard: scenes in order, each a grid of shot cards, edited inline with HTMX.

Every change returns the whole board partial: a move touches two scenes, and one swap target
keeps the page consistent. Without JS the same forms post and redirect back.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects.selectors.board import storyboard_scenes
from projects.selectors.money import budget_warning
from projects.selectors.offers import priced_scenes
from projects.services import board as board_writes
from projects.services import takes as takes_writes
from projects.services.board import scene_update, shot_nudge
from projects.services.shot_edits import EditConflict, shot_edit

from ..forms import MoveShotForm, SceneForm, ShotCardForm, ShotQuickForm, read_only_facts
from ..models import Membership, Scene, Shot
from .access import member_of


def board_response(
    request: HttpRequest, membership: Membership, *, status: int = 200, anchor: str = "", **extra
) -> HttpResponse:
    """The board partial for HTMX, the full page otherwise (or a redirect after a POST)."""
    if request.method == "POST" and not request.htmx and status < 400:
        url = reverse("projects:storyboard", args=[membership.project_id])
        return redirect(f"{url}#{anchor}" if anchor else url)
    scenes = priced_scenes(list(storyboard_scenes(membership.project)))
    context = {
        "project": membership.project,
        "membership": membership,
        "scenes": scenes,
        "scene_form": SceneForm(prefix="new-scene"),
        "budget_warning": budget_warning(membership.project),
        **extra,
    }
    if not request.htmx:
        return render(request, "projects/storyboard.html", context, status=status)
    response = render(request, "projects/storyboard.html#board", context, status=status)
    # Whatever element asked (a card, a scene header), the answer is the whole board.
    response["HX-Retarget"] = "#board"
    response["HX-Reswap"] = "outerHTML"
    return response


@login_required
@require_safe
def storyboard(request: HttpRequest, project_id: int) -> HttpResponse:
    return board_response(request, member_of(request, project_id))


@login_required
@require_POST
def scene_create(request: HttpRequest, project_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="edit")
    form = SceneForm(request.POST, prefix="new-scene")
    if not form.is_valid():
        return board_response(request, membership, status=422, scene_form=form)
    scene = board_writes.scene_create(project=membership.project, **form.cleaned_data)
    return board_response(request, membership, anchor=f"scene-{scene.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def scene_edit(request: HttpRequest, project_id: int, scene_id: int) -> HttpResponse:
    """The scene's form; members who cannot change it get the same page view only."""
    membership = member_of(request, project_id, need="view" if request.method == "GET" else "edit")
    scene = get_object_or_404(membership.project.scenes, pk=scene_id)
    form = SceneForm(request.POST or None, instance=scene, prefix=f"scene-{scene.pk}")
    if request.method == "POST" and form.is_valid():
        scene_update(scene=scene, user=request.user, **form.model_changes())
        return board_response(request, membership, anchor=f"scene-{scene.pk}")
    context = {
        "project": membership.project,
        "membership": membership,
        "scene": scene,
        "form": form,
        "facts": read_only_facts(form),
    }
    template = "projects/scene_form.html" + ("#scene-form" if request.htmx else "")
    return render(request, template, context, status=422 if form.errors else 200)


@login_required
@require_POST
def scene_delete(request: HttpRequest, project_id: int, scene_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="edit")
    scene = get_object_or_404(membership.project.scenes, pk=scene_id)
    try:
        board_writes.scene_delete(scene=scene)
    except ValidationError as error:
        return refused(request, membership, " ".join(error.messages), anchor=f"scene-{scene.pk}")
    return board_response(request, membership)


def refused(request: HttpRequest, membership: Membership, message: str, *, anchor: str = ""):
    """A change the board could not make: said on the board (HTMX) or as a message."""
    if request.htmx:
        return board_response(request, membership, status=422, board_error=message)
    messages.error(request, message)
    return board_response(request, membership, anchor=anchor)


@login_required
@require_POST
def scene_move(request: HttpRequest, project_id: int, scene_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="edit")
    scene = get_object_or_404(membership.project.scenes, pk=scene_id)
    offset = {"earlier": -1, "later": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        return board_response(
            request, membership, status=422, move_error="That move was not understood."
        )
    board_writes.scene_move(scene=scene, offset=offset)
    return board_response(request, membership, anchor=f"scene-{scene.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def shot_quick_edit(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    """Edit a card's essentials in place; the full editor is the shot page."""
    membership = member_of(request, project_id, need="edit")
    shot = get_object_or_404(Shot.objects.filter(project=membership.project), pk=shot_id)
    if not request.htmx and request.method == "GET":
        return redirect("projects:shot", membership.project_id, shot.pk)
    form = ShotCardForm(request.POST or None, instance=shot, prefix=f"card-{shot.pk}")
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            shot_edit(
                shot=shot,
                user=request.user,
                version=form.loaded_version,
                base=form.loaded_base,
                changes=form.model_changes(),
                choices=form.choices(),
            )
        except EditConflict as error:
            conflict, shot = error, error.current
            form = form.after_conflict(error)
        else:
            return board_response(request, membership, anchor=f"shot-{shot.pk}")
    context = {
        "project": membership.project,
        "membership": membership,
        "shot": shot,
        "form": form,
        "conflict": conflict,
    }
    template = "projects/storyboard.html#card-form" if request.htmx else "projects/card_form.html"
    status = 409 if conflict else 422 if form.errors else 200
    return render(request, template, context, status=status)


@login_required
@require_POST
def scene_generate(request: HttpRequest, project_id: int, scene_id: int) -> HttpResponse:
    """Generate every ready shot of the scene in one action."""
    membership = member_of(request, project_id, need="edit")
    scene = get_object_or_404(membership.project.scenes, pk=scene_id)
    result = takes_writes.scene_generate(scene=scene, user=request.user)
    if result.started:
        labels = ", ".join(take.shot.label for take in result.started)
        messages.success(request, f"Scene {scene.number}: generating {labels}.")
    for label, why in result.skipped.items():
        messages.error(request, f"Shot {label} was not sent: {why}")
    if not result.started and not result.skipped:
        messages.info(request, f"Scene {scene.number} has no shots marked ready.")
    url = reverse("projects:storyboard", args=[membership.project_id])
    return redirect(f"{url}#scene-{scene.pk}")


@login_required
@require_POST
def shot_create(request: HttpRequest, project_id: int, scene_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="edit")
    scene = get_object_or_404(membership.project.scenes.select_related("project"), pk=scene_id)
    form = ShotQuickForm(request.POST, prefix=f"add-{scene.pk}")
    if form.is_valid():
        try:
            shot = board_writes.shot_create(scene=scene, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return board_response(request, membership, anchor=f"shot-{shot.pk}")
    return board_response(request, membership, status=422, failed_scene=scene.pk, quick_form=form)


@login_required
@require_POST
def shot_move(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    """Move by drag and drop (scene + position) or by the ◀ ▶ buttons (direction)."""
    membership = member_of(request, project_id, need="edit")
    shot = get_object_or_404(Shot.objects.filter(project=membership.project), pk=shot_id)
    direction = request.POST.get("direction")
    if direction in ("earlier", "later"):
        shot_nudge(shot=shot, direction=direction)
        return board_response(request, membership, anchor=f"shot-{shot.pk}")
    form = MoveShotForm(request.POST, project=membership.project)
    if not form.is_valid():
        return board_response(
            request, membership, status=422, move_error="That move was not understood."
        )
    scene: Scene = form.cleaned_data["scene"]
    board_writes.shot_move(shot=shot, scene=scene, position=form.cleaned_data["position"])
    return board_response(request, membership, anchor=f"shot-{shot.pk}")
