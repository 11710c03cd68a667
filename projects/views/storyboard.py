"""The storyboard: scenes in order, each a grid of shot cards, edited inline with HTMX.

Each change answers with what it changed (docs/decisions/012-board-swaps-what-changed.md): a
card edit returns the card, a move returns the scene (or the two scenes) it touched, a scene
edit returns the scene's header, a shot's delete (views/shots.py) returns its scene. A scene
added returns its section (before the "Add a scene" form, where a new scene goes), a scene
deleted removes its section, a scene moved returns the two sections that swapped places.
Without JS the same forms post and redirect back.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects.selectors.board import board_cards, card_for, scene_estimates, storyboard_scenes
from projects.selectors.money import budget_warning
from projects.services import board as board_writes
from projects.services import takes as takes_writes
from projects.services.board import scene_update, shot_nudge
from projects.services.shot_edits import EditConflict, shot_edit

from ..forms import MoveShotForm, SceneForm, ShotCardForm, ShotQuickForm, read_only_facts
from ..models import Membership, Scene, Shot
from ..templatetags.board import CardPainter
from .access import member_of

BOARD = "projects/storyboard.html"
# A scene change that succeeded takes away the note of an earlier refusal, as the whole board's
# answer used to.
CLEAR_NOTE = '<div id="board-note" hx-swap-oob="true"></div>'
# Tells static/js/board-scenes.js that the list of scenes changed: card menus fetched before it
# offer the old "Move to" list, so they are fetched again.
SCENES_CHANGED = "scenes-changed"


def painted_scenes(membership: Membership, scene_ids: list[int] | None = None) -> list[Scene]:
    """The scenes (all, or those named) each with its cards' HTML and its Generate estimate:
    five queries whatever the number of shots."""
    project = membership.project
    scenes = storyboard_scenes(project, shots=False)
    if scene_ids is not None:
        scenes = scenes.filter(pk__in=scene_ids)
    scenes = list(scenes)
    cards = board_cards(project, scene_ids=scene_ids)
    estimates = scene_estimates(project, scene_ids=scene_ids)
    painter = CardPainter(project.pk, can_edit=membership.can_edit)
    for scene in scenes:
        scene.cards = cards.get(scene.pk, [])
        scene.cards_html = painter.cards(scene.cards)
        scene.estimate = estimates[scene.pk].total
        scene.unpriced = estimates[scene.pk].unpriced
    return scenes


def _context(membership: Membership, **extra) -> dict:
    return {"project": membership.project, "membership": membership, **extra}


def _back(membership: Membership, anchor: str = "") -> HttpResponse:
    url = reverse("projects:storyboard", args=[membership.project_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


def board_response(
    request: HttpRequest, membership: Membership, *, status: int = 200, anchor: str = "", **extra
) -> HttpResponse:
    """The whole board partial for HTMX, the full page otherwise (or a redirect after a POST)."""
    if request.method == "POST" and not request.htmx and status < 400:
        return _back(membership, anchor)
    extra.setdefault("scene_form", SceneForm(prefix="new-scene"))
    context = _context(
        membership,
        scenes=painted_scenes(membership),
        budget_warning=budget_warning(membership.project),
        **extra,
    )
    if not request.htmx:
        return render(request, BOARD, context, status=status)
    response = render(request, BOARD + "#board", context, status=status)
    response["HX-Retarget"] = "#board"
    response["HX-Reswap"] = "outerHTML"
    return response


def scenes_response(
    request: HttpRequest,
    membership: Membership,
    scene_ids: list[int],
    *,
    status: int = 200,
    anchor: str = "",
    **extra,
) -> HttpResponse:
    """Only the scenes a change touched: the first replaces its section, the others ride along
    as out-of-band swaps. Without JS: back to the board (or the board with the error)."""
    if not request.htmx:
        if status < 400:
            return _back(membership, anchor)
        return board_response(request, membership, status=status, **extra)
    scenes = painted_scenes(membership, scene_ids)
    order = {pk: i for i, pk in enumerate(scene_ids)}
    scenes.sort(key=lambda scene: order[scene.pk])
    html = "".join(
        render(
            request, BOARD + "#scene", _context(membership, scene=scene, oob=i > 0, **extra)
        ).content.decode()
        for i, scene in enumerate(scenes)
    )
    response = HttpResponse(html, status=status)
    response["HX-Retarget"] = f"#scene-{scene_ids[0]}"
    response["HX-Reswap"] = "outerHTML"
    return response


def scene_change_response(
    request: HttpRequest, membership: Membership, html: str, *, target: str, swap: str
) -> HttpResponse:
    """A scene added, moved or deleted, through HTMX: `html` swapped at `target`."""
    response = HttpResponse(html + CLEAR_NOTE)
    response["HX-Retarget"] = target
    response["HX-Reswap"] = swap
    response["HX-Trigger"] = SCENES_CHANGED
    return response


def _sections(request: HttpRequest, membership: Membership, scenes: list[Scene]) -> str:
    return "".join(
        render(request, BOARD + "#scene", _context(membership, scene=scene)).content.decode()
        for scene in scenes
    )


def _board_empty(request: HttpRequest, membership: Membership, *, scenes: bool) -> str:
    """The board's "no scenes yet" line, out of band: shown when the last scene goes."""
    context = _context(membership, scenes=scenes, oob=True)
    return render(request, BOARD + "#board-empty", context).content.decode()


def note_response(request: HttpRequest, membership: Membership, message: str, *, status: int):
    """A refusal said above the board (HTMX), or on the board page."""
    if not request.htmx:
        return board_response(request, membership, status=status, board_error=message)
    response = render(request, BOARD + "#board-note", {"board_error": message}, status=status)
    response["HX-Retarget"] = "#board-note"
    response["HX-Reswap"] = "outerHTML"
    return response


def card_response(request: HttpRequest, membership: Membership, shot: Shot) -> HttpResponse:
    """One card after its edit, and its scene's header out of band (the Generate estimate
    follows the shot's status, model and duration)."""
    painter = CardPainter(membership.project_id, can_edit=membership.can_edit)
    scene = membership.project.scenes.get(pk=shot.scene_id)
    estimate = scene_estimates(membership.project, scene_ids=[scene.pk])[scene.pk]
    scene.estimate, scene.unpriced = estimate.total, estimate.unpriced
    header = render(
        request, BOARD + "#scene-header", _context(membership, scene=scene, header_oob=True)
    )
    response = HttpResponse(painter.card(card_for(shot)) + header.content.decode())
    response["HX-Retarget"] = f"#shot-{shot.pk}"
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
        if not request.htmx:
            return board_response(request, membership, status=422, scene_form=form)
        # The refusal is said on the form, with what was typed; the board stays as it is.
        context = _context(membership, scene_form=form)
        response = render(request, BOARD + "#add-scene", context, status=422)
        response["HX-Retarget"] = "#add-scene"
        response["HX-Reswap"] = "outerHTML"
        return response
    scene = board_writes.scene_create(project=membership.project, **form.cleaned_data)
    if not request.htmx:
        return _back(membership, f"scene-{scene.pk}")
    # A scene made a moment ago has no shots: nothing to read for its cards or its estimate.
    scene.cards, scene.cards_html, scene.estimate, scene.unpriced = [], "", Decimal(0), []
    # It goes last in the running order (scene_create), so just before the "Add a scene" form,
    # which comes back empty for the next one.
    form_html = render(
        request,
        BOARD + "#add-scene",
        _context(membership, scene_form=SceneForm(prefix="new-scene")),
    ).content.decode()
    html = (
        _sections(request, membership, [scene])
        + form_html
        + _board_empty(request, membership, scenes=True)
    )
    return scene_change_response(request, membership, html, target="#add-scene", swap="outerHTML")


@login_required
@require_http_methods(["GET", "POST"])
def scene_edit(request: HttpRequest, project_id: int, scene_id: int) -> HttpResponse:
    """The scene's form; members who cannot change it get the same page view only. Saved
    through HTMX, the answer is the scene's header alone."""
    membership = member_of(request, project_id, need="view" if request.method == "GET" else "edit")
    scene = get_object_or_404(membership.project.scenes, pk=scene_id)
    form = SceneForm(request.POST or None, instance=scene, prefix=f"scene-{scene.pk}")
    if request.method == "POST" and form.is_valid():
        scene_update(scene=scene, user=request.user, **form.model_changes())
        if not request.htmx:
            return _back(membership, f"scene-{scene.pk}")
        scene = painted_scenes(membership, [scene.pk])[0]
        response = render(request, BOARD + "#scene-header", _context(membership, scene=scene))
        response["HX-Retarget"] = f"#scene-{scene.pk}-form"
        response["HX-Reswap"] = "outerHTML"
        response["HX-Trigger"] = SCENES_CHANGED  # a new number reads in the "Move to" lists
        return response
    context = _context(membership, scene=scene, form=form, facts=read_only_facts(form))
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
    if not request.htmx:
        return board_response(request, membership)
    # Scene numbers are the script's, not positions: the other sections read the same after it.
    html = ""
    if not membership.project.scenes.exists():
        html = _board_empty(request, membership, scenes=False)
    return scene_change_response(
        request, membership, html, target=f"#scene-{scene_id}", swap="delete"
    )


def refused(request: HttpRequest, membership: Membership, message: str, *, anchor: str = ""):
    """A change the board could not make: said above the board (HTMX) or as a message."""
    if request.htmx:
        return note_response(request, membership, message, status=422)
    messages.error(request, message)
    return board_response(request, membership, anchor=anchor)


@login_required
@require_POST
def scene_move(request: HttpRequest, project_id: int, scene_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="edit")
    scene = get_object_or_404(membership.project.scenes, pk=scene_id)
    offset = {"earlier": -1, "later": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        return note_response(request, membership, "That move was not understood.", status=422)
    board_writes.scene_move(scene=scene, offset=offset)
    if not request.htmx:
        return _back(membership, f"scene-{scene.pk}")
    return scene_moved_response(request, membership, scene.pk, offset)


def scene_moved_response(
    request: HttpRequest, membership: Membership, scene_id: int, offset: int
) -> HttpResponse:
    """The scene and the neighbour it passed, in their new order, put in the neighbour's place;
    the scene's old section goes out of band. Read from the order after the move, so the answer
    is right even when there was nothing to pass (first or last already): it then puts the pair
    back as it was."""
    order = list(membership.project.scenes.values_list("pk", flat=True))
    if scene_id not in order:  # a teammate deleted it since: it goes from this page too
        return scene_change_response(
            request, membership, "", target=f"#scene-{scene_id}", swap="delete"
        )
    at = order.index(scene_id)
    pair = order[at : at + 2] if offset < 0 else order[max(at - 1, 0) : at + 1]
    scenes = painted_scenes(membership, pair)
    scenes.sort(key=lambda scene: pair.index(scene.pk))
    html = _sections(request, membership, scenes)
    if len(pair) == 1:  # the only scene: it stays where it is
        return scene_change_response(
            request, membership, html, target=f"#scene-{scene_id}", swap="outerHTML"
        )
    (neighbour,) = (pk for pk in pair if pk != scene_id)
    html += f'<div hx-swap-oob="delete:#scene-{scene_id}"></div>'
    return scene_change_response(
        request, membership, html, target=f"#scene-{neighbour}", swap="outerHTML"
    )


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
            if not request.htmx:
                return _back(membership, f"shot-{shot.pk}")
            return card_response(request, membership, shot)
    context = _context(membership, shot=shot, form=form, conflict=conflict)
    template = BOARD + "#card-form" if request.htmx else "projects/card_form.html"
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
    return _back(membership, f"scene-{scene.pk}")


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
            return scenes_response(request, membership, [scene.pk], anchor=f"shot-{shot.pk}")
    return scenes_response(
        request, membership, [scene.pk], status=422, failed_scene=scene.pk, quick_form=form
    )


@login_required
@require_http_methods(["GET", "POST"])
def shot_move(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    """GET: the card's actions (edit, ◀ ▶, move to a scene, delete), fetched when its menu
    opens, so the board does not carry a scene list per card. POST: move by drag and drop
    (scene + position), by the scene list, or by ◀ ▶ (direction)."""
    membership = member_of(request, project_id, need="edit")
    shot = get_object_or_404(Shot.objects.filter(project=membership.project), pk=shot_id)
    if request.method == "GET":
        context = _context(
            membership, shot=shot, scenes=storyboard_scenes(shot.project, shots=False)
        )
        template = BOARD + "#card-menu" if request.htmx else "projects/board/shot_actions.html"
        return render(request, template, context)
    direction = request.POST.get("direction")
    if direction in ("earlier", "later"):
        shot_nudge(shot=shot, direction=direction)
        return scenes_response(request, membership, [shot.scene_id], anchor=f"shot-{shot.pk}")
    form = MoveShotForm(request.POST, project=membership.project)
    if not form.is_valid():
        return note_response(request, membership, "That move was not understood.", status=422)
    scene: Scene = form.cleaned_data["scene"]
    was_in = shot.scene_id
    board_writes.shot_move(shot=shot, scene=scene, position=form.cleaned_data["position"])
    touched = list(dict.fromkeys([scene.pk, was_in]))
    return scenes_response(request, membership, touched, anchor=f"shot-{shot.pk}")
