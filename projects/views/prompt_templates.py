"""The prompt template editor: a project's templates (owners and editors change them, viewers
read them), and the studio's defaults (staff change them), with a live preview on a shot."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects.selectors import prompt_templates as reads
from projects.selectors.design import preview_for
from projects.selectors.shot_spec import shot_spec
from projects.services.prompt_templates import prompt_template_revert, prompt_template_save
from providers.capabilities import CAPABILITIES
from providers.core.placeholders import PLACEHOLDERS
from providers.core.templating import FILTERS
from providers.design.compile import FAMILIES

from ..ids import parse_id
from ..models import Membership, Project
from .access import ARCHIVED, member_of


@dataclass
class Scope:
    """Whose templates: a project's (membership set) or the studio's (None)."""

    membership: Membership | None
    can_edit: bool

    @property
    def project(self) -> Project | None:
        return self.membership.project if self.membership else None

    @property
    def project_id(self) -> int | None:
        return self.membership.project_id if self.membership else None

    def url(self, name: str, *args) -> str:
        if self.membership is None:
            return reverse(f"studio:{name}", args=args)
        return reverse(f"projects:project-{name}", args=(self.project_id, *args))


def _scope(request: HttpRequest, project_id: int | None, *, change: bool = False) -> Scope:
    if project_id is None:
        if change and not request.user.is_staff:
            raise PermissionDenied("Only staff change the studio's default templates.")
        return Scope(None, request.user.is_staff)
    membership = member_of(request, project_id, need="edit" if change else "view")
    return Scope(membership, membership.can_edit and not membership.project.is_archived)


def _family(family: str) -> str:
    if family not in FAMILIES:
        raise Http404("No such family of models.")
    return family


@login_required
@require_safe
def template_list(request: HttpRequest, project_id: int | None = None) -> HttpResponse:
    scope = _scope(request, project_id)
    book = reads.templates_for(scope.project_id)
    families = [
        {
            "key": key,
            "name": family.name,
            "in_use": book.in_use(key),
            "models": [CAPABILITIES[m].name for m in reads.family_models(key)],
            "url": scope.url("prompt-template", key),
        }
        for key, family in FAMILIES.items()
    ]
    context = {"scope": scope, "project": scope.project, "families": families}
    return render(request, "projects/prompt_templates.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def template_edit(request: HttpRequest, family: str, project_id: int | None = None):
    """GET: the editor. POST: save the text typed (or, with "default", follow the default)."""
    family = _family(family)
    scope = _scope(request, project_id, change=request.method == "POST")
    if request.method != "POST":
        return _editor(request, scope, family, text=None)
    text = "" if "use_default" in request.POST else request.POST.get("text", "")
    try:
        version = prompt_template_save(
            project=scope.project,
            family=family,
            text=text,
            user=request.user,
            specs=_specs(request, scope, family),
        )
    except ValidationError as error:
        return _editor(request, scope, family, text=text, errors=error, status=422)
    saved = "now follows the default" if not version.text else f"saved as v{version.number}"
    messages.success(request, f"{FAMILIES[family].name}'s prompt template {saved}.")
    return redirect(_back(scope, family, request))


@login_required
@require_POST
def template_preview(request: HttpRequest, family: str, project_id: int | None = None):
    """The prompt the typed template makes for the chosen shot and model; saves nothing."""
    family = _family(family)
    scope = _scope(request, project_id)
    if scope.project is not None and scope.project.is_archived:
        # Archived is view only: no POST of any kind, as everywhere (views/access.py).
        raise PermissionDenied(ARCHIVED)
    context = _preview_context(request, scope, family, request.POST.get("text", ""))
    return render(request, "projects/prompt_template.html#preview", context)


@login_required
@require_POST
def template_revert(request: HttpRequest, family: str, project_id: int | None = None):
    family = _family(family)
    scope = _scope(request, project_id, change=True)
    number = parse_id(request.POST.get("number", ""))
    try:
        version = prompt_template_revert(
            project=scope.project,
            family=family,
            number=number or 0,
            user=request.user,
            specs=_specs(request, scope, family),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"v{version.restores} is in use again, as v{version.number}.")
    return redirect(_back(scope, family, request))


def _back(scope: Scope, family: str, request: HttpRequest) -> str:
    shot = request.POST.get("shot", "")
    return scope.url("prompt-template", family) + (f"?shot={shot}" if shot.isdigit() else "")


def _chosen_shot(request: HttpRequest, scope: Scope, family: str):
    """The shot the preview uses: the one asked for, else the first aiming at a model of the
    family, else the first; None for the sample shot."""
    shots = list(reads.preview_shots(scope.project_id, request.user))
    asked = request.POST.get("shot") or request.GET.get("shot") or ""
    if asked == "sample":
        return shots, None
    chosen = next((s for s in shots if str(s.pk) == asked), None)
    models = set(reads.family_models(family))
    chosen = chosen or next((s for s in shots if s.target_model in models), None)
    return shots, chosen or (shots[0] if shots else None)


def _specs(request: HttpRequest, scope: Scope, family: str) -> list:
    _, shot = _chosen_shot(request, scope, family)
    specs = [("the sample shot", reads.SAMPLE_SHOT)]
    if shot is not None:
        specs.insert(0, (f"shot {shot.label or shot.pk}", shot_spec(shot)))
    return specs


def _preview_context(request: HttpRequest, scope: Scope, family: str, text: str) -> dict:
    shots, shot = _chosen_shot(request, scope, family)
    models = reads.family_models(family)
    asked = request.POST.get("model") or request.GET.get("model")
    target = shot.target_model if shot is not None else ""
    model = asked if asked in models else target if target in models else models[0]
    spec = shot_spec(shot) if shot is not None else reads.SAMPLE_SHOT
    book = reads.templates_for(scope.project_id)
    draft = reads.DraftBook(book, family, text)
    preview = preview_for(spec, model, templates=draft)
    default = preview_for(spec, model, templates=reads.DefaultBook(book, family))
    return {
        "scope": scope,
        "project": scope.project,
        "family": family,
        "family_name": FAMILIES[family].name,
        "shots": shots,
        "shot": shot,
        "models": [(slug, CAPABILITIES[slug].name) for slug in models],
        "model": model,
        "preview": preview,
        "default": default,
        "compare": bool(request.POST.get("compare") or request.GET.get("compare")),
        "template_errors": preview.problems.get("prompt", []),
    }


def _editor(
    request: HttpRequest,
    scope: Scope,
    family: str,
    *,
    text: str | None,
    errors: ValidationError | None = None,
    status: int = 200,
) -> HttpResponse:
    book = reads.templates_for(scope.project_id)
    in_use = book.in_use(family)
    row = reads.template_row(scope.project_id, family)
    typed = in_use.text if text is None else text
    context = _preview_context(request, scope, family, typed)
    if errors is not None:
        context["template_errors"] = errors.message_dict.get("text", errors.messages)
    context.update(
        {
            "text": typed,
            "in_use": in_use,
            "default_template": book.default_for(family),
            "history": reads.template_history(row),
            "current_id": row.current_id if row else None,
            "placeholders": PLACEHOLDERS,
            "filters": list(FILTERS),
            "list_url": scope.url("prompt-templates"),
            "editor_url": scope.url("prompt-template", family),
            "preview_url": scope.url("prompt-template-preview", family),
            "revert_url": scope.url("prompt-template-revert", family),
        }
    )
    return render(request, "projects/prompt_template.html", context, status=status)
