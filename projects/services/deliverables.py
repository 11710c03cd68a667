"""Deliverables a person asks for (the rendered animatic, the editor package) and the moves a
worker makes on them. Making one spends no money, only worker time: asking twice for the same
thing while it is still being made hands back the one in progress."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from projects.models import Deliverable, DeliverableKind, DeliverableState, Membership, Scene
from projects.services.work import enqueue_deliverable

RESOLUTIONS = ("720p", "1080p")
# How long a worker holds a deliverable without a word; it renews with each progress report,
# so only a worker that died lets it go (and the message, acked late, comes back).
CLAIM_SECONDS = 300


def deliverable_request(
    *,
    membership: Membership,
    kind: str,
    scene: Scene | None = None,
    resolution: str = "720p",
    burn_in: bool = True,
) -> Deliverable:
    """Queue the making of a deliverable, or hand back the same one already on its way."""
    if kind not in DeliverableKind.values:
        raise ValueError(f"Unknown deliverable kind {kind!r}")
    if scene is not None and scene.project_id != membership.project_id:
        raise ValueError("The scene is not in this project")
    options = {"resolution": resolution, "burn_in": bool(burn_in)}
    if kind == DeliverableKind.ANIMATIC and resolution not in RESOLUTIONS:
        raise ValueError(f"Unknown resolution {resolution!r}")
    if kind == DeliverableKind.PACKAGE:
        options = {}
    with transaction.atomic():
        in_progress = (
            Deliverable.objects.select_for_update()
            .filter(project=membership.project, scene=scene, kind=kind, options=options)
            .filter(state__in=(DeliverableState.QUEUED, DeliverableState.MAKING))
            .first()
        )
        if in_progress is not None:
            return in_progress
        deliverable = Deliverable.objects.create(
            project=membership.project,
            scene=scene,
            kind=kind,
            options=options,
            requested_by=membership.user,
        )
        enqueue_deliverable(deliverable.pk, kind)
    return deliverable


def deliverable_claim(deliverable_id: int) -> datetime | None:
    """Take the job for CLAIM_SECONDS in one conditional UPDATE; the claim's end is its token.
    None when it is finished or another worker holds it."""
    now = timezone.now()
    until = now + timedelta(seconds=CLAIM_SECONDS)
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    updated = (
        Deliverable.objects.filter(free, pk=deliverable_id)
        .filter(state__in=(DeliverableState.QUEUED, DeliverableState.MAKING))
        .update(
            state=DeliverableState.MAKING,
            claimed_until=until,
            started_at=now,
            progress=0,
            attempts=F("attempts") + 1,
        )
    )
    return until if updated else None


def deliverable_progress(deliverable_id: int, claim: datetime, percent: int) -> datetime | None:
    """Report progress and renew the claim; None when the claim was lost (stop working)."""
    renewed = timezone.now() + timedelta(seconds=CLAIM_SECONDS)
    updated = Deliverable.objects.filter(pk=deliverable_id, claimed_until=claim).update(
        progress=max(0, min(99, percent)), claimed_until=renewed
    )
    return renewed if updated else None


def deliverable_finish(deliverable_id: int, claim: datetime, **fields) -> bool:
    """Ready (file, manifest, size) or failed (error): only by the worker holding the claim."""
    state = DeliverableState.FAILED if fields.get("error") else DeliverableState.READY
    return bool(
        Deliverable.objects.filter(pk=deliverable_id, claimed_until=claim).update(
            state=state,
            claimed_until=None,
            finished_at=timezone.now(),
            progress=100 if state == DeliverableState.READY else 0,
            **fields,
        )
    )
