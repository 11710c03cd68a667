"""Import a screenplay: upload, see what would be added, confirm.

The preview's parsed script stays on the server, in the session under a one-time token (one
per project, size-capped): confirming sends back only the token, so nothing the browser posts is
trusted as script, and the file need not be chosen twice. Confirming plans again against the
project as it is then, so scenes someone added meanwhile are not added twice.
"""

from __future__ import annotations

import json
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from projects.models import Membership
from projects.models.choices import dialogue_languages
from projects.screenplay.files import EXTENSIONS, MAX_BYTES, read_screenplay
from projects.screenplay.script import Screenplay, ScreenplayError
from projects.services import screenplays as screenplay_writes

from .access import member_of

TEMPLATE = "projects/screenplay_import.html"
SESSION_KEY = "screenplay_imports"
# A feature film's parsed script is a few hundred kB; more than this is not kept in a session.
MAX_KEPT = 3 * 1024 * 1024
MAX_PREVIEWS = 3  # projects with a preview waiting, per session
EXPIRED = "This preview is out of date (or was imported already): choose the file again."


class ScreenplayUploadForm(forms.Form):
    file = forms.FileField(
        label="Screenplay file",
        help_text="Fountain (.fountain, .spmd, .txt) or Final Draft (.fdx), up to "
        f"{MAX_BYTES // 1024 // 1024} MB.",
        widget=forms.FileInput(attrs={"accept": ",".join(EXTENSIONS)}),
        error_messages={"empty": "This file is empty.", "required": "Choose a screenplay file."},
    )
    dialogue_language = forms.ChoiceField(
        label="Dialogue language",
        choices=dialogue_languages,
        initial="en",
        help_text="The language the script's characters speak, for every shot it adds.",
    )

    def clean_file(self) -> Screenplay:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                f"This file is {upload.size / 1024 / 1024:.1f} MB; screenplays up to "
                f"{MAX_BYTES // 1024 // 1024} MB can be imported."
            )
        try:
            screenplay = read_screenplay(upload.name, upload.read())
        except ScreenplayError as error:
            raise ValidationError(str(error)) from None
        if len(json.dumps(screenplay.to_dict())) > MAX_KEPT:
            raise ValidationError("This script is too long to import at once; split it in two.")
        self.file_name = upload.name[-120:]
        return screenplay


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def screenplay_import(request: HttpRequest, project_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="edit")
    if request.method == "POST" and "token" in request.POST:
        return confirm(request, membership)
    form = ScreenplayUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        return preview(request, membership, form)
    context = {"project": membership.project, "membership": membership, "form": form}
    return render(request, TEMPLATE, context, status=422 if form.errors else 200)


def preview(request: HttpRequest, membership: Membership, form: ScreenplayUploadForm):
    screenplay: Screenplay = form.cleaned_data["file"]
    token = secrets.token_urlsafe(16)
    pending = request.session.get(SESSION_KEY, {})
    pending.pop(str(membership.project_id), None)
    # The newest previews only, so a session never carries many scripts.
    for stale in list(pending)[: max(0, len(pending) - (MAX_PREVIEWS - 1))]:
        del pending[stale]
    pending[str(membership.project_id)] = {
        "token": token,
        "name": form.file_name,
        "language": form.cleaned_data["dialogue_language"],
        "screenplay": screenplay.to_dict(),
    }
    request.session[SESSION_KEY] = pending
    context = {
        "project": membership.project,
        "membership": membership,
        "plan": screenplay_writes.import_plan(project=membership.project, screenplay=screenplay),
        "file_name": form.file_name,
        "token": token,
    }
    return render(request, TEMPLATE, context)


def confirm(request: HttpRequest, membership: Membership) -> HttpResponse:
    pending = request.session.get(SESSION_KEY, {})
    kept = pending.get(str(membership.project_id))
    posted = request.POST.get("token", "").encode()  # bytes: any text a browser may send
    if not kept or not secrets.compare_digest(kept["token"].encode(), posted):
        context = {
            "project": membership.project,
            "membership": membership,
            "form": ScreenplayUploadForm(),
            "expired": EXPIRED,
        }
        return render(request, TEMPLATE, context, status=422)
    try:
        result = screenplay_writes.screenplay_import(
            project=membership.project,
            screenplay=Screenplay.from_dict(kept["screenplay"]),
            user=request.user,
            dialogue_language=kept["language"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("projects:storyboard", membership.project_id)
    del pending[str(membership.project_id)]
    request.session[SESSION_KEY] = pending
    url = reverse("projects:storyboard", args=[membership.project_id])
    if not result.scenes:
        messages.info(request, f"Nothing new in {kept['name']}: its scenes are all here.")
        return redirect(url)
    messages.success(
        request,
        f"Imported {len(result.scenes)} scene(s) and {result.shot_count} draft shot(s) from "
        f"{kept['name']}"
        + (
            f"; {result.kept_count} scene(s) already here were left as they are."
            if result.kept_count
            else "."
        ),
    )
    return redirect(f"{url}#scene-{result.scenes[0].pk}")
