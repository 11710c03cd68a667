from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects.selectors.access import active_projects_for, archived_projects_for, project_members
from projects.selectors.board import project_moved_money
from projects.services import projects as projects_writes
from projects.services.projects import (
    ARCHIVED,
    member_invite,
    member_update,
    project_archive_or_delete,
    project_update,
)

from ..forms import InviteForm, ProjectForm, RoleForm, read_only_facts
from .access import member_of


@login_required
@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    context = {
        "projects": active_projects_for(request.user),
        "archived": archived_projects_for(request.user),
    }
    return render(request, "projects/project_list.html", context)


def can_start_projects(user) -> bool:
    """Staff, or people an admin gave "Can add project" (directly or through a group): a new
    project spends the studio's provider keys, so not every account may start one."""
    return user.is_staff or user.has_perm("projects.add_project")


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    if not can_start_projects(request.user):
        # The project list says who to ask, where the New project button would be.
        context = {
            "projects": active_projects_for(request.user),
            "archived": archived_projects_for(request.user),
            "creation_refused": True,
        }
        return render(request, "projects/project_list.html", context, status=403)
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = projects_writes.project_create(owner=request.user, **form.cleaned_data)
        return redirect("projects:storyboard", project.pk)
    status = 422 if form.errors else 200
    return render(request, "projects/project_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def project_settings(request: HttpRequest, project_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="view" if request.method == "GET" else "own")
    project = membership.project
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        project_update(project=project, user=request.user, **form.model_changes())
        messages.success(request, "Project settings saved.")
        return redirect("projects:storyboard", project.pk)
    context = {
        "form": form,
        "project": project,
        "membership": membership,
        "facts": read_only_facts(form),
        # The button says what it will do before the click.
        "will_archive": membership.is_owner and project_moved_money(project),
    }
    return render(
        request, "projects/project_form.html", context, status=422 if form.errors else 200
    )


@login_required
@require_POST
def project_delete(request: HttpRequest, project_id: int) -> HttpResponse:
    project = member_of(request, project_id, need="own").project
    try:
        outcome = project_archive_or_delete(project=project, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("projects:settings", project.pk)
    if outcome == ARCHIVED:
        messages.success(
            request,
            f"Archived the project “{project.name}”: its spending stays on the books. "
            "Restore it from Archived projects below.",
        )
    else:
        messages.success(request, f"Deleted the project “{project.name}” and all its files.")
    return redirect("projects:list")


@login_required
@require_POST
def project_restore(request: HttpRequest, project_id: int) -> HttpResponse:
    project = member_of(request, project_id, need="restore").project
    try:
        projects_writes.project_restore(project=project)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("projects:storyboard", project.pk)
    messages.success(request, f"Restored the project “{project.name}”.")
    return redirect("projects:storyboard", project.pk)


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, project_id: int) -> HttpResponse:
    membership = member_of(request, project_id, need="view" if request.method == "GET" else "own")
    project = membership.project
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = member_invite(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{added.user.username} joined as {added.get_role_display()}."
            )
            return redirect("projects:members", project.pk)
    context = {
        "project": project,
        "membership": membership,
        "members": project_members(project),
        "form": form,
        "role_choices": RoleForm.base_fields["role"].choices,
    }
    return render(request, "projects/members.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def member_role(request: HttpRequest, project_id: int, member_id: int) -> HttpResponse:
    project = member_of(request, project_id, need="own").project
    target = project.memberships.select_related("user").filter(pk=member_id).first()
    if target is None:
        messages.error(request, "That person is no longer on this project.")
        return redirect("projects:members", project.pk)
    form = RoleForm(request.POST, instance=target)
    try:
        if not form.is_valid():
            if "monthly_quota" in form.errors:
                raise ValidationError("A monthly quota is an amount of at least 0, or empty.")
            raise ValidationError("Choose owner, editor or viewer.")
        member_update(
            membership=target,
            role=form.cleaned_data["role"],
            quota=form.cleaned_data["monthly_quota"],
            user=request.user,
        )
        messages.success(request, f"{target.user.username} is now {target.get_role_display()}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("projects:members", project.pk)


@login_required
@require_POST
def member_remove(request: HttpRequest, project_id: int, member_id: int) -> HttpResponse:
    project = member_of(request, project_id, need="own").project
    target = project.memberships.select_related("user").filter(pk=member_id).first()
    if target is not None:
        try:
            projects_writes.member_remove(membership=target, user=request.user)
            messages.success(request, f"{target.user.username} was removed from the project.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("projects:members", project.pk)
