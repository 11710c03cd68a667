"""Review links: an owner makes one for a scene or the whole project, and may revoke it; a
guest opening it counts as a view (the first one goes into the project's activity)."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from projects.models import ActivityKind, Project, ReviewLink, Scene
from projects.services.activity import activity_record


def _link_activity(link: ReviewLink, what: str, **who) -> None:
    activity_record(
        project_id=link.project_id,
        scene_id=link.scene_id,
        kind=ActivityKind.REVIEW_LINK,
        summary=f"Review link “{link}” {what}",
        **who,
    )


def _scope(link: ReviewLink) -> str:
    return f"scene {link.scene.number}" if link.scene_id else "the whole project"


@transaction.atomic
def review_link_create(
    *,
    project: Project,
    created_by,
    label: str = "",
    scene: Scene | None = None,
    expires_at: datetime | None = None,
    password: str = "",
    allow_comments: bool = True,
) -> ReviewLink:
    link = ReviewLink.objects.create(
        project=project,
        scene=scene,
        token=secrets.token_urlsafe(32),
        label=label.strip()[:120],
        password_hash=make_password(password) if password else "",
        allow_comments=allow_comments,
        expires_at=expires_at,
        created_by=created_by,
    )
    _link_activity(link, f"made for {_scope(link)}", actor=created_by)
    return link


@transaction.atomic
def review_link_revoke(*, link: ReviewLink, revoked_by) -> ReviewLink:
    """Stop the link now: every guest's next request gets "this link no longer works"."""
    updated = ReviewLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=revoked_by
    )
    link.refresh_from_db()
    if updated:
        _link_activity(link, "revoked", actor=revoked_by)
    return link


@transaction.atomic
def review_link_viewed(*, link: ReviewLink) -> None:
    """One more guest opened the link; the very first one is news for the team."""
    now = timezone.now()
    first = ReviewLink.objects.filter(pk=link.pk, views=0).update(views=1, last_viewed_at=now)
    if not first:
        ReviewLink.objects.filter(pk=link.pk).update(views=F("views") + 1, last_viewed_at=now)
        return
    _link_activity(link, "opened for the first time", actor_name="guest")
