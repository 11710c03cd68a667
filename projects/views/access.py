"""Who may do what on a project: members see it, editors change it, owners run it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from ..models import Membership
from ..selectors import membership_for


def member_of(request: HttpRequest, project_id: int, *, need: str = "view") -> Membership:
    """The request user's membership, or 404 (non-member) / 403 (member without the right)."""
    membership = membership_for(request.user, project_id)
    if need == "edit" and not membership.can_edit:
        raise PermissionDenied("Viewers can look but not change anything.")
    if need == "own" and not membership.is_owner:
        raise PermissionDenied("Only the project's owners can do that.")
    return membership
