"""Who may do what on a project: members see it, editors change it, owners run it.

This is the one door every project view goes through. An archived project is read-only for
everyone: any change is refused here, whatever the member's role, until an owner restores it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from projects.selectors.access import membership_for

from ..models import Membership, Role

ARCHIVED = (
    "This project is archived, so it is view only: nothing in it can change. "
    "An owner can restore it from the project list."
)


def member_of(request: HttpRequest, project_id: int, *, need: str = "view") -> Membership:
    """The request user's membership, or 404 (non-member) / 403 (member without the right).

    need: "view" (any member), "edit" (editors and owners), "own" (owners), "restore" (owners,
    the one change an archived project accepts)."""
    membership = membership_for(request.user, project_id)
    if need == "restore":
        if membership.role != Role.OWNER:
            raise PermissionDenied("Only the project's owners can restore it.")
        return membership
    if need in ("edit", "own") and membership.project.is_archived:
        raise PermissionDenied(ARCHIVED)
    if need == "edit" and not membership.can_edit:
        raise PermissionDenied("Viewers can look but not change anything.")
    if need == "own" and not membership.is_owner:
        raise PermissionDenied("Only the project's owners can do that.")
    return membership
