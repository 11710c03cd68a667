"""Writes to projects and their members, named the way a filmmaker would say them.

Why every update names its fields: workers move `spent` / `reserved` (projects, scenes) and
`status` (shots) at any moment, and people circle takes. Model.save() writes every column, so a
form opened a second earlier would put back the figures it read (docs/decisions/007)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from projects.models import ActivityKind, Membership, Project, Role
from projects.selectors import stored_files
from projects.selectors.board import project_moved_money, takes_in_flight
from projects.services.activity import activity_record

MONEY_FIELDS = {"budget": "budget", "approval_threshold": "approval threshold"}


def money_text(value) -> str:
    return "no limit" if value is None else f"${value:,.2f}"


def money_change(before: dict | None, fields: dict) -> dict:
    """{"field": [before, after]} for the money settings that really changed, as read."""
    if not before:
        return {}
    return {
        name: [money_text(before[name]), money_text(fields[name])]
        for name in before
        if name in fields and before[name] != fields[name]
    }


# --- projects and members -------------------------------------------------------------------
@transaction.atomic
def project_create(*, owner, name: str, logline: str = "", **fields) -> Project:
    project = Project.objects.create(name=name, logline=logline, created_by=owner, **fields)
    Membership.objects.create(project=project, user=owner, role=Role.OWNER)
    return project


@transaction.atomic
def project_update(*, project: Project, user=None, **fields) -> Project:
    """Change the project's settings: only these fields (and updated_at) are written."""
    # A bound form has already written its values onto `project`: the stored ones are "before".
    money = [name for name in MONEY_FIELDS if name in fields]
    before = Project.objects.filter(pk=project.pk).values(*money).first() if money else None
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean(exclude=[f.name for f in Project._meta.fields if f.name not in fields])
    project.save(update_fields=[*fields, "updated_at"])
    changes = money_change(before, fields)
    if changes:
        said = "; ".join(f"{MONEY_FIELDS[n]} {old} → {new}" for n, (old, new) in changes.items())
        activity_record(
            project_id=project.pk,
            kind=ActivityKind.BUDGET_CHANGED,
            summary=f"Changed the project's {said}",
            actor=user,
            changes=changes,
        )
    return project


def project_archive(*, project: Project, user) -> Project:
    """Hide the project and make it read-only, keeping its books; owners and staff restore it.
    Takes already in flight go on being followed and settle as usual."""
    now = timezone.now()
    archived = Project.objects.filter(pk=project.pk, archived_at__isnull=True).update(
        archived_at=now, archived_by=user
    )
    if archived:
        _cancel_unsent_takes(project)
    project.refresh_from_db(fields=["archived_at", "archived_by"])
    return project


def _cancel_unsent_takes(project: Project) -> None:
    """A read-only project starts no new paid work: takes the provider has not received yet
    (waiting their turn or an owner's approval) are canceled and their holds released."""
    from projects.models import Take, TakeState
    from projects.services.take_states import move

    unsent = (TakeState.QUEUED, TakeState.AWAITING_APPROVAL)
    for pk in Take.objects.filter(project=project, state__in=unsent).values_list("pk", flat=True):
        move(
            pk,
            unsent,
            TakeState.CANCELED,
            cancel_requested=True,
            event="Canceled before it was sent: the project was archived. Nothing was charged.",
        )


def project_restore(*, project: Project) -> Project:
    if not project.is_archived:
        raise ValidationError(f"“{project.name}” is not archived.")
    # updated_at too, so it comes back at the top of the list.
    Project.objects.filter(pk=project.pk).update(
        archived_at=None, archived_by=None, updated_at=timezone.now()
    )
    project.refresh_from_db(fields=["archived_at", "archived_by", "updated_at"])
    return project


ARCHIVED, DELETED = "archived", "deleted"


@transaction.atomic
def project_archive_or_delete(*, project: Project, user) -> str:
    """What "Delete project" does: a project that ever moved money is archived, so its ledger
    survives; one that never did is deleted with every file it stored. Returns which."""
    # Lock the row: a take asked for at this moment either holds its money first (and we
    # archive) or finds the project gone.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    if project_moved_money(project):
        project_archive(project=project, user=user)
        return ARCHIVED
    refuse_if_in_flight(takes_in_flight(project=project), f"“{project.name}”")
    files = stored_files.of_project(project)
    project.delete()
    transaction.on_commit(files.delete)
    return DELETED


def refuse_if_in_flight(takes, what: str) -> None:
    """Deleting a take still in flight would orphan the money it holds and the job it runs."""
    count = takes.count()
    if count == 1:
        raise ValidationError(
            f"{what} cannot be deleted while one of its takes is still being generated: "
            "cancel it or let it finish first."
        )
    if count:
        raise ValidationError(
            f"{what} cannot be deleted while {count} of its takes are still being generated: "
            "cancel them or let them finish first."
        )


def role_record(membership: Membership, user, summary: str) -> None:
    activity_record(
        project_id=membership.project_id,
        kind=ActivityKind.ROLE_CHANGED,
        summary=summary,
        actor=user,
    )


@transaction.atomic
def member_invite(*, project: Project, who: str, role: str, user=None) -> Membership:
    """Add an existing user, found by username or email, to the project."""
    who = who.strip()
    users = get_user_model().objects.filter(Q(username__iexact=who) | Q(email__iexact=who))
    found = users.filter(is_active=True).first() if who else None
    if found is None:
        raise ValidationError({"who": f"No one here has the username or email “{who}”."})
    if project.memberships.filter(user=found).exists():
        raise ValidationError({"who": f"{found.username} is already on this project."})
    added = Membership.objects.create(project=project, user=found, role=role)
    role_record(added, user, f"Added {found.username} as {added.get_role_display().lower()}")
    return added


@transaction.atomic
def member_change_role(*, membership: Membership, role: str, user=None) -> Membership:
    # Compare with the stored role, not the instance's: a bound ModelForm may already have
    # written the new role onto it, which would skip the last-owner guard.
    stored = Membership.objects.select_for_update().get(pk=membership.pk)
    if stored.role == Role.OWNER and role != Role.OWNER:
        _ensure_another_owner(stored)
    membership.role = role
    membership.save(update_fields=["role"])
    if stored.role != role:
        role_record(
            membership,
            user,
            f"Made {membership.user.username} {membership.get_role_display().lower()} "
            f"(was {stored.get_role_display().lower()})",
        )
    return membership


def member_set_quota(*, membership: Membership, quota) -> Membership:
    Membership.objects.filter(pk=membership.pk).update(monthly_quota=quota)
    membership.monthly_quota = quota
    return membership


@transaction.atomic
def member_update(*, membership: Membership, role: str, quota, user=None) -> Membership:
    """The members page's Save for one person: role and monthly quota, both or neither."""
    member_change_role(membership=membership, role=role, user=user)
    return member_set_quota(membership=membership, quota=quota)


@transaction.atomic
def member_remove(*, membership: Membership, user=None) -> None:
    if membership.role == Role.OWNER:
        _ensure_another_owner(membership)
    membership.delete()
    role_record(membership, user, f"Removed {membership.user.username} from the project")


def _ensure_another_owner(membership: Membership) -> None:
    # Lock the owners so two owners demoting each other at once cannot leave none.
    owners = list(
        Membership.objects.select_for_update()
        .filter(project_id=membership.project_id, role=Role.OWNER)
        .values_list("pk", flat=True)
    )
    if owners == [membership.pk]:
        raise ValidationError("A project needs at least one owner. Make someone else owner first.")
