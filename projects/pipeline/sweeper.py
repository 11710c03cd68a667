"""The sweeper: wakes every take that is due and parks the ones the studio lost track of; and
webhooks' "poll these now"."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from projects.models import Deliverable, DeliverableState, Take, TakeState
from projects.pipeline.submit import first_lookup_at
from projects.registry import (
    can_look_up,
)
from projects.services.take_states import move
from projects.services.work import (
    enqueue_check,
    enqueue_deliverable,
    enqueue_download,
    enqueue_follow,
    enqueue_submit,
)


# --- waking what is due ---------------------------------------------------------------------
def sweep() -> dict[str, int]:
    """Wake every take that is due and park the ones the studio lost track of.

    Run by beat every few seconds. Each due row is leased by pushing its next_poll_at forward
    in the same UPDATE that selects it, so overlapping sweeps do not enqueue it twice; a lost
    message is picked up again when the lease runs out.
    """
    now = timezone.now()
    lease = now + timedelta(seconds=settings.TAKE_TASK_LEASE_SECONDS)
    due = Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)
    counts = {}
    for state, enqueue in (
        (TakeState.QUEUED, enqueue_submit),
        (TakeState.RUNNING, enqueue_follow),
        (TakeState.DOWNLOADING, enqueue_download),
    ):
        with transaction.atomic():
            # SKIP LOCKED on PostgreSQL lets overlapping sweeps split the rows between them.
            rows = Take.objects.select_for_update(skip_locked=True).filter(due, state=state)
            ids = list(rows.values_list("pk", flat=True)[:500])
            Take.objects.filter(pk__in=ids).update(next_poll_at=lease)
            for pk in ids:
                enqueue(pk)
        counts[state.value] = len(ids)
    counts["lookups"] = _wake_lookups(now, lease)
    counts["deliverables"] = _wake_deliverables(now)
    stale = now - timedelta(seconds=settings.TAKE_SUBMIT_TIMEOUT_SECONDS)
    lost = Take.objects.filter(state=TakeState.SUBMITTING, submitting_at__lt=stale)
    counts["needs_check"] = 0
    for pk, provider in lost.values_list("pk", "provider"):
        counts["needs_check"] += move(
            pk,
            TakeState.SUBMITTING,
            TakeState.NEEDS_CHECK,
            next_poll_at=first_lookup_at(provider),
            error_kind="unknown_outcome",
            error_message=(
                "The studio lost contact while sending this take, so it may or may not have "
                "reached the provider. It was not sent again. "
                + (
                    "The studio will ask the provider for it by its key."
                    if can_look_up(provider)
                    else "Check the provider's dashboard, then retry or mark it failed."
                )
            ),
        )
    return counts


def _wake_lookups(now, lease) -> int:
    """Enqueue the due lookups of takes whose send had an unclear outcome."""
    with transaction.atomic():
        # Only takes given a lookup time: the others wait for a person (next_poll_at is NULL).
        rows = Take.objects.select_for_update(skip_locked=True).filter(
            state=TakeState.NEEDS_CHECK, remote_id="", next_poll_at__lte=now
        )
        ids = list(rows.values_list("pk", flat=True)[:500])
        Take.objects.filter(pk__in=ids).update(next_poll_at=lease)
        for pk in ids:
            enqueue_check(pk)
    return len(ids)


def _wake_deliverables(now) -> int:
    """Send again the deliverables no worker holds: a message lost, or a worker that died with
    the job (its lease ran out). A copy that finds it held or made steps aside, so a message
    sent while the first is still in the queue costs nothing but the message."""
    unheld = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    due = Q(wake_at__isnull=True) | Q(wake_at__lte=now)
    with transaction.atomic():
        rows = Deliverable.objects.select_for_update(skip_locked=True).filter(
            unheld,
            due,
            state__in=(DeliverableState.QUEUED, DeliverableState.MAKING),
            created_at__lte=now - timedelta(seconds=settings.DELIVERABLE_RESEND_SECONDS),
        )
        found = list(rows.values_list("pk", "kind")[:100])
        Deliverable.objects.filter(pk__in=[pk for pk, _ in found]).update(
            wake_at=now + timedelta(seconds=settings.DELIVERABLE_RESEND_SECONDS)
        )
        for pk, kind in found:
            enqueue_deliverable(pk, kind)
    return len(found)
