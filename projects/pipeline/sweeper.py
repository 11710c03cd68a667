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
from projects.registry import ProviderUnavailable, can_look_up, concurrency_limit
from projects.services import work
from projects.services.take_states import move
from projects.services.work import enqueue_deliverable


# --- waking what is due ---------------------------------------------------------------------
def sweep() -> dict[str, int]:
    """Wake every take that is due and park the ones the studio lost track of.

    Run by beat every few seconds. A due take gets a message only if none is waiting for it
    (dispatched_at empty), or the one sent has waited so long it must be lost; the worker that
    picks a message up clears the stamp and leases the take for TAKE_TASK_LEASE_SECONDS, so a
    worker that dies mid-step is caught by the lease, a queue that is merely long by nothing
    (docs/decisions/011). Rows are stamped in the same transaction that selects them, so
    overlapping sweeps do not send one twice.
    """
    now = timezone.now()
    lease = now + timedelta(seconds=settings.TAKE_TASK_LEASE_SECONDS)
    due = (Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)) & work.no_message_waiting(now)
    counts = {TakeState.QUEUED.value: _send_queued(due, now, lease)}
    for state, step in (
        (TakeState.RUNNING, work.FOLLOW),
        (TakeState.DOWNLOADING, work.DOWNLOAD),
    ):
        counts[state.value] = _send_due(Q(state=state) & due, step, now, lease)
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


def _send_queued(due: Q, now, lease) -> int:
    """Send due submits, per provider no more than it has free slots: a take that would only
    find its provider full costs no message (take_submit still checks, under a lock)."""
    rows = Q(state=TakeState.QUEUED) & due
    sent = 0
    for provider in set(Take.objects.filter(rows).values_list("provider", flat=True)):
        free = _free_slots(provider, now)
        if free != 0:
            sent += _send_due(rows & Q(provider=provider), work.SUBMIT, now, lease, free)
    return sent


def _free_slots(provider: str, now) -> int | None:
    """Slots the provider account has for more takes, counting the submits already on their
    way; None when it sets no limit (or cannot be built: take_submit then says why)."""
    try:
        limit = concurrency_limit(provider)
    except ProviderUnavailable:
        return None
    if not limit:
        return None
    mine = Take.objects.filter(provider=provider)
    in_flight = mine.filter(state__in=(TakeState.SUBMITTING, TakeState.RUNNING)).count()
    on_the_way = mine.filter(state=TakeState.QUEUED).exclude(work.no_message_waiting(now)).count()
    return max(0, limit - in_flight - on_the_way)


def _send_due(rows: Q, step: str, now, lease, most: int | None = None) -> int:
    with transaction.atomic():
        # SKIP LOCKED on PostgreSQL lets overlapping sweeps split the rows between them.
        found = Take.objects.select_for_update(skip_locked=True).filter(rows)
        ids = list(
            found.order_by("next_poll_at", "pk").values_list("pk", flat=True)[
                : min(most or 500, 500)
            ]
        )
        # The stamp is what keeps a waiting row from being sent again; next_poll_at is pushed
        # on as well so the row stops looking due, and the pick-up renews it.
        Take.objects.filter(pk__in=ids).update(dispatched_at=now, next_poll_at=lease)
        work.send_stamped(step, ids)
    return len(ids)


def _wake_lookups(now, lease) -> int:
    """Send the due lookups of takes whose send had an unclear outcome."""
    # Only takes given a lookup time: the others wait for a person (next_poll_at is NULL).
    rows = Q(
        state=TakeState.NEEDS_CHECK, remote_id="", next_poll_at__lte=now
    ) & work.no_message_waiting(now)
    return _send_due(rows, work.CHECK, now, lease)


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
