from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects.selectors.continuations import with_continuations
from projects.selectors.design import shot_preview
from projects.selectors.live import push_available
from projects.selectors.money import budget_warning
from projects.selectors.offers import generate_offer
from projects.selectors.shot_page import page_key, page_stamp
from projects.selectors.take_card import card_markup_key, markup_key, rows
from projects.selectors.versions import stacked
from projects.services import board as board_writes
from projects.services import shot_media as shot_media_writes
from projects.services.shot_edits import EditConflict
from projects.services.shot_media import (
    shot_save,
)
from projects.templatetags.fragments import is_shared, shared_markup
from providers.core import catalog
from providers.design.presets import PRESETS

from ..forms import ReferenceForm, ShotForm, TeamPresetForm
from ..models import Membership, ReferenceImage, Shot, Take, TakeEvent, TakeKind, TakeState
from .access import member_of
from .media import signed_redirect
from .storyboard import refused, scenes_response


def shot_of(membership: Membership, shot_id: int) -> Shot:
    shots = Shot.objects.filter(project=membership.project).select_related(
        "scene", "circled_take", "approved_take", "approved_by"
    )
    return get_object_or_404(shots.prefetch_related("references"), pk=shot_id)


PROMOTE_MODELS = [(slug, name) for slug, name in catalog.VIDEO_MODELS if slug != "previz"]


def editor_response(
    request: HttpRequest,
    membership: Membership,
    shot: Shot,
    *,
    form: ShotForm | None = None,
    reference_form: ReferenceForm | None = None,
    preset_form: TeamPresetForm | None = None,
    conflict: EditConflict | None = None,
    approval_error: str = "",
    approval_note: str = "",
    status: int = 200,
    whole_page: dict | None = None,
) -> HttpResponse:
    preview = shot_preview(shot)
    # Hero-frame candidates have their own panel (views/frames.py).
    takes = shot_takes(shot)
    with_continuations(takes, shot_takes=takes)
    takes = stacked(takes, circled_id=shot.circled_take_id)  # v1, v2, …, the circled on top
    for take in takes:
        take.markup_key = card_markup_key(take, membership, promote_models=PROMOTE_MODELS)
    # A card's history is read only for the cards not already built (one query, or none).
    prefetch_related_objects(
        [t for t in takes if not is_shared("take-card", t.markup_key)], "events"
    )
    team_presets = list(membership.project.presets.all())
    can_add_reference = len(shot.references.all()) < ReferenceImage.MAX_PER_SHOT
    # The side panels, shared like the cards (templatetags/fragments.py); never with a form
    # holding someone's typed values and errors.
    page = (membership.can_edit, membership.project_id, shot.pk)
    context = {
        "preview_key": markup_key(page, repr(preview)),
        "presets_key": "" if preset_form else markup_key(page, rows(team_presets)),
        "references_key": ""
        if reference_form
        else markup_key(page, rows(shot.references.all()), can_add_reference),
        "takes": takes,
        "duplicate_of": request.GET.get("duplicate", ""),
        "budget_warning": budget_warning(membership.project),
        "promote_models": PROMOTE_MODELS,
        "finished_takes": [take for take in takes if take.state == TakeState.SUCCEEDED],
        "generate": generate_offer(shot, preview),
        "preview": preview,
        "preflight": preview.problems,
        "builtin_presets": PRESETS,
        "team_presets": team_presets,
        "preset_form": preset_form or TeamPresetForm(prefix="preset"),
        "project": membership.project,
        "membership": membership,
        "shot": shot,
        # Built only when the editor's markup is not shared already (below).
        "form": form or SimpleLazyObject(lambda: ShotForm(instance=shot)),
        # A blank editor is the same markup for every editor of this version of the shot.
        "form_key": "" if form or conflict else _form_key(shot, membership, preview.problems),
        "conflict": conflict,
        "approval_error": approval_error,
        "approval_note": approval_note,
        "reference_form": reference_form or ReferenceForm(),
        "can_add_reference": can_add_reference,
        "max_references": ReferenceImage.MAX_PER_SHOT,
        # The whole page's key and the top bar's count when shot_page asked (never with a form).
        "page_key": "",
        **(whole_page or {}),
    }
    return render(request, "projects/shot_detail.html", context, status=status)


def _form_key(shot: Shot, membership: Membership, preflight: dict) -> str:
    """Everything the blank editor shows: every column of the shot, the viewer's rights and
    the pre-flight messages under its fields (templatetags/fragments.py)."""
    return markup_key(rows([shot]), membership.can_edit, preflight)


def shot_page(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    """The page as last built while nothing it shows has changed (selectors/shot_page.py):
    one read to know, and the markup from the cache; else built, and kept two minutes."""
    if request.GET:  # ?duplicate= shows a one-off notice: built for this request alone
        membership = member_of(request, project_id)
        return editor_response(request, membership, page_shot(membership, shot_id))
    stamp = page_stamp(project_id, shot_id, request.user)  # 404 unless a member's shot
    key = page_key(stamp, request.user, streaming=push_available(request))
    whole = {"page_key": key, "unread_notifications": stamp.unread}
    markup = shared_markup("shot-page", key, get_token(request))
    if markup is None:
        membership = member_of(request, project_id)
        shot = page_shot(membership, shot_id)
        return editor_response(request, membership, shot, whole_page=whole)
    # The title's names; the rest of the page is the markup.
    title = {"shot": {"label": stamp.label}, "project": {"name": stamp.project_name}}
    return render(request, "projects/shot_detail.html", {**whole, **title, "page_markup": markup})


def page_shot(membership: Membership, shot_id: int) -> Shot:
    """The shot for its page: its circled and approved takes come with the takes list
    (shot_takes), so this reads neither."""
    shots = Shot.objects.filter(project=membership.project).select_related("scene", "approved_by")
    return get_object_or_404(shots.prefetch_related("references"), pk=shot_id)


def shot_takes(shot: Shot) -> list[Take]:
    """The shot's video takes for its page, in one query: the lineage each card names (promoted
    from, retry of, continues) and the shot's circled and approved takes are found among them
    rather than joined; one outside the list (never, in practice) would be read on its own."""
    newest_event = TakeEvent.objects.filter(take=OuterRef("pk")).order_by("-pk").values("pk")
    takes = list(
        shot.takes.filter(kind=TakeKind.VIDEO)
        .select_related("requested_by")
        .with_charges()
        .annotate(newest_event=Subquery(newest_event[:1]))
        .order_by("-number")
    )
    by_id = {take.pk: take for take in takes}
    for holder, names in [(shot, ("circled_take", "approved_take"))] + [
        (take, ("promoted_from", "retry_of", "extends")) for take in takes
    ]:
        for name in names:
            found = by_id.get(getattr(holder, f"{name}_id"))
            if found is not None and not holder._meta.get_field(name).is_cached(holder):
                setattr(holder, name, found)
    return takes


@login_required
@require_http_methods(["GET", "POST"])
def shot_detail(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    if request.method == "GET":
        return shot_page(request, project_id, shot_id)
    membership = member_of(request, project_id, need="edit")
    shot = shot_of(membership, shot_id)
    form = ShotForm(request.POST, request.FILES, instance=shot)
    if not form.is_valid():
        # 422 with the typed input intact; the saved shot and its frame are untouched.
        shot.refresh_from_db()
        return editor_response(request, membership, shot, form=form, status=422)
    try:
        shot = _save(request, shot, form)
    except EditConflict as conflict:
        # Someone saved a field I changed too: nothing saved, both values shown, I choose.
        current = shot_of(membership, shot_id)
        return editor_response(
            request,
            membership,
            current,
            form=form.after_conflict(conflict),
            conflict=conflict,
            status=409,
        )
    messages.success(request, f"Shot {shot.label} saved.")
    return redirect("projects:shot", membership.project_id, shot.pk)


def _save(request: HttpRequest, shot: Shot, form: ShotForm) -> Shot:
    return shot_save(
        shot=shot,
        user=request.user,
        version=form.loaded_version,
        base=form.loaded_base,
        choices=form.choices(),
        changes=form.model_changes(),
        hero=form.clean_hero,
        remove_hero=bool(form.cleaned_data.get("remove_hero")),
        last=form.clean_last,
        remove_last=bool(form.cleaned_data.get("remove_last")),
        voice=form.clean_voice,
        remove_voice=bool(form.cleaned_data.get("remove_voice")),
        reset_camera="reset_camera" in request.POST,
    )


@login_required
@require_POST
def shot_delete(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="edit")
    shot = shot_of(membership, shot_id)
    label, scene_id = shot.label, shot.scene_id
    try:
        board_writes.shot_delete(shot=shot, user=request.user)
    except ValidationError as error:
        if request.htmx:
            return refused(request, membership, " ".join(error.messages), anchor=f"shot-{shot.pk}")
        messages.error(request, " ".join(error.messages))
        return redirect("projects:shot", membership.project_id, shot.pk)
    if request.htmx:
        return scenes_response(request, membership, [scene_id])
    messages.success(request, f"Shot {label} deleted.")
    url = reverse("projects:storyboard", args=[membership.project_id])
    return redirect(f"{url}#scene-{scene_id}")


@login_required
@require_POST
def reference_add(request: HttpRequest, project_id: int, shot_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="edit")
    shot = shot_of(membership, shot_id)
    form = ReferenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            shot_media_writes.reference_add(
                shot=shot, image=form.clean_image_result, caption=form.cleaned_data["caption"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Reference image added.")
            return redirect("projects:shot", membership.project_id, shot.pk)
    return editor_response(request, membership, shot, reference_form=form, status=422)


@login_required
@require_POST
def reference_remove(request: HttpRequest, project_id: int, shot_id: int, ref_id: int):
    membership = member_of(request, project_id, need="edit")
    shot = shot_of(membership, shot_id)
    reference = get_object_or_404(shot.references, pk=ref_id)
    shot_media_writes.reference_remove(reference=reference)
    messages.success(request, "Reference image removed.")
    return redirect("projects:shot", membership.project_id, shot.pk)


IMAGE_FIELDS = {
    "hero": "hero_frame",
    "hero-thumb": "hero_thumbnail",
    "last": "last_frame",
    "last-thumb": "last_thumbnail",
}
AUDIO_TYPES = {"wav": "audio/wav", "mp3": "audio/mpeg", "m4a": "audio/mp4"}


@login_required
@require_safe
def shot_voice(request: HttpRequest, project_id: int, shot_id: int) -> FileResponse:
    membership = member_of(request, project_id)
    shot = get_object_or_404(Shot.objects.filter(project=membership.project), pk=shot_id)
    extension = shot.voice_sample.name.rsplit(".", 1)[-1] if shot.voice_sample else ""
    return _file_response(shot.voice_sample, AUDIO_TYPES.get(extension, "application/octet-stream"))


@login_required
@require_safe
def shot_image(request: HttpRequest, project_id: int, shot_id: int, kind: str) -> FileResponse:
    """Private media: only members get the picture, never a public URL."""
    membership = member_of(request, project_id)
    if kind not in IMAGE_FIELDS:
        raise Http404("No such image.")
    shot = get_object_or_404(Shot.objects.filter(project=membership.project), pk=shot_id)
    return _image_response(getattr(shot, IMAGE_FIELDS[kind]))


@login_required
@require_safe
def reference_image(request: HttpRequest, project_id: int, ref_id: int, kind: str):
    membership = member_of(request, project_id)
    reference = get_object_or_404(
        ReferenceImage.objects.filter(shot__project=membership.project), pk=ref_id
    )
    if kind not in ("full", "thumb"):
        raise Http404("No such image.")
    return _image_response(reference.image if kind == "full" else reference.thumbnail)


def _image_response(field_file) -> HttpResponse:
    return _file_response(field_file, "image/jpeg")


def _file_response(field_file, content_type: str) -> HttpResponse:
    if not field_file:
        raise Http404("No such file.")
    if (redirect := signed_redirect(field_file, content_type)) is not None:
        return redirect  # media in object storage: the bucket serves it (views/media.py)
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404("No such file.") from None
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
