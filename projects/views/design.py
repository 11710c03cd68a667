"""Model-aware design on a shot: live preview, compare models, recommendations, presets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST, require_safe

from projects.selectors import design as design_reads
from projects.selectors.design import find_preset
from projects.selectors.offers import generate_offer
from projects.services import design as design_writes
from projects.services.design import team_preset_save
from providers.design.preflight import FIELDS

from ..forms import ShotForm, TeamPresetForm
from ..ids import parse_id
from ..models import TeamPreset
from .access import member_of
from .shots import editor_response, shot_of

LIVE_SLOTS = (*FIELDS, "status")


@login_required
@require_POST
def shot_preview(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    """What the target model would be sent for the form as typed; saves nothing."""
    membership = member_of(request, project_id, need="edit")
    shot = shot_of(membership, shot_id)
    form = ShotForm(request.POST, instance=shot)
    form.is_valid()  # fills form.instance with every valid field; errors go in the slots
    media = form.unsaved_media() if hasattr(form, "cleaned_data") else {}
    preview = design_reads.shot_preview(form.instance, **media)
    slots = {
        name: list(form.errors.get(name, [])) + preview.problems.get(name, [])
        for name in LIVE_SLOTS
    }
    context = {
        "project": membership.project,
        "membership": membership,
        "shot": form.instance,
        "preview": preview,
    }
    html = render_to_string("projects/shot_detail.html#preview", context, request=request)
    html += render_to_string(
        "projects/shot_detail.html#preflight-slots", {"slots": slots}, request=request
    )
    return HttpResponse(html)


@login_required
@require_safe
def shot_compare(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    membership = member_of(request, project_id)
    shot = shot_of(membership, shot_id)
    previews, recommendations = design_reads.models_compared(shot)
    context = {
        "project": membership.project,
        "membership": membership,
        "shot": shot,
        "previews": previews,
        "recommendations": recommendations,
    }
    return render(request, "projects/shot_compare.html", context)


@login_required
@require_POST
def shot_use_model(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="edit")
    shot = shot_of(membership, shot_id)
    try:
        design_writes.shot_use_model(shot=shot, model=request.POST.get("model", ""))
    except ValidationError as error:
        if request.htmx:
            shot.refresh_from_db()
            return switched_model_response(
                request, membership, shot, error=" ".join(error.messages)
            )
        messages.error(request, " ".join(error.messages))
        return redirect("projects:shot-compare", membership.project_id, shot.pk)
    if request.htmx:
        return switched_model_response(request, membership, shot)
    messages.success(request, f"Shot {shot.label} now targets {shot.get_target_model_display()}.")
    return redirect("projects:shot", membership.project_id, shot.pk)


def switched_model_response(
    request: HttpRequest, membership, shot, *, error: str = ""
) -> HttpResponse:
    """The "Switch to …" button on the shot page: the preview for the new model, and (out of
    band) the model field and the Generate button, so nothing on the page still says the
    old model and a later edit or Save does not put it back."""
    preview = design_reads.shot_preview(shot)
    context = {
        "project": membership.project,
        "membership": membership,
        "shot": shot,
        "preview": preview,
        "form": ShotForm(instance=shot),
        "generate": generate_offer(shot, preview),
        "oob": True,
        "switch_error": error,
    }
    html = "".join(
        render_to_string(f"projects/shot_detail.html#{name}", context, request=request)
        for name in ("preview", "target-model", "generate")
    )
    return HttpResponse(html, status=422 if error else 200)


@login_required
@require_POST
def shot_apply_preset(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="edit")
    shot = shot_of(membership, shot_id)
    preset = find_preset(membership.project_id, request.POST.get("preset", ""))
    if preset is None:
        messages.error(request, "That preset no longer exists.")
    else:
        try:
            design_writes.shot_apply_preset(shot=shot, preset=preset)
            messages.success(request, f"Applied “{preset.name}” to shot {shot.label}.")
        except ValidationError as error:
            shot.refresh_from_db()
            messages.error(request, " ".join(error.messages))
    return redirect("projects:shot", membership.project_id, shot.pk)


@login_required
@require_POST
def team_preset_create(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="edit")
    shot = shot_of(membership, shot_id)
    form = TeamPresetForm(request.POST, prefix="preset")
    if form.is_valid():
        try:
            preset = team_preset_save(shot=shot, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved “{preset.name}” as a team preset.")
            return redirect("projects:shot", membership.project_id, shot.pk)
    return editor_response(request, membership, shot, preset_form=form, status=422)


@login_required
@require_POST
def team_preset_delete(request: HttpRequest, project_id: int, preset_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="edit")
    preset = get_object_or_404(TeamPreset.objects.filter(project=membership.project), pk=preset_id)
    name = preset.name
    design_writes.team_preset_delete(preset=preset)
    messages.success(request, f"Deleted the team preset “{name}”.")
    back = parse_id(request.POST.get("shot"))
    if back:
        return redirect("projects:shot", membership.project_id, back)
    return redirect("projects:storyboard", membership.project_id)
