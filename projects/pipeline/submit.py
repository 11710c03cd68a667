"""Sending a queued take to its provider, at most once.

The paid call happens only after the claim has committed; if its outcome is unclear the take
goes to "needs check" and is never resubmitted automatically (docs/decisions/004)."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from projects.models import Take, TakeEvent, TakeState
from projects.pipeline.requests import CALLBACK_BACKSTOP_SECONDS, calls_back, generation_request
from projects.registry import (
    ProviderUnavailable,
    can_look_up,
    concurrency_limit,
    model_gone_take_message,
    provider_by_slug,
)
from projects.services.take_states import move
from projects.services.work import enqueue_download, enqueue_follow
from providers.core.base import (
    FINISHED_STATES,
    AuthFailed,
    ModelRetired,
    ProviderError,
    QuotaExceeded,
    Rejected,
    State,
    Submitted,
    Transient,
)
from studio.models import ProviderAccount

log = logging.getLogger(__name__)

MAX_SUBMIT_ATTEMPTS = 5


WAIT_FOR_SLOT_SECONDS = 3


# --- submit ---------------------------------------------------------------------------------
def take_submit(take_id: int) -> None:
    """Claim a queued take and send it, at most once."""
    take = Take.objects.filter(pk=take_id, state=TakeState.QUEUED).first()
    if take is None:
        return
    try:
        limit = concurrency_limit(take.provider)
    except ProviderUnavailable as error:
        move(take_id, TakeState.QUEUED, TakeState.FAILED, **error_fields(error))
        return
    if limit:
        ProviderAccount.objects.get_or_create(slug=take.provider)
    with transaction.atomic():
        if limit:
            # One claimer per provider account at a time, so the count below stays true.
            ProviderAccount.objects.select_for_update().get(slug=take.provider)
            in_flight = Take.objects.filter(
                provider=take.provider, state__in=(TakeState.SUBMITTING, TakeState.RUNNING)
            ).count()
            if in_flight >= limit:
                Take.objects.filter(pk=take_id, state=TakeState.QUEUED).update(
                    next_poll_at=timezone.now() + timedelta(seconds=WAIT_FOR_SLOT_SECONDS),
                    raw_status=f"waiting for a free slot ({in_flight} of {limit} running)",
                )
                return
        now = timezone.now()
        claimed = Take.objects.filter(
            pk=take_id, state=TakeState.QUEUED, cancel_requested=False
        ).update(
            state=TakeState.SUBMITTING,
            submitting_at=now,
            updated_at=now,
            status_note="",  # "busy, trying again" stops being true the moment it is sent
            submit_attempts=F("submit_attempts") + 1,
        )
        if claimed:
            TakeEvent.objects.create(take_id=take_id, at=now, state=TakeState.SUBMITTING)
    if not claimed:
        return  # someone else has it, it was canceled, or it already went
    # Autocommit: the claim is durable before the provider hears anything.
    take = Take.objects.get(pk=take_id)
    try:
        provider = provider_by_slug(take.provider)
        with generation_request(take) as request:
            submitted = provider.submit(request)
    except Transient as error:
        _submit_later(take, error)
    except (Rejected, AuthFailed, QuotaExceeded, ModelRetired, ProviderUnavailable) as error:
        final = TakeState.REJECTED if isinstance(error, Rejected) else TakeState.FAILED
        fields = error_fields(error)
        if isinstance(error, ModelRetired):
            fields["error_message"] = model_gone_take_message(take.model, error.message)[:2000]
        move(take_id, TakeState.SUBMITTING, final, **fields)
    except Exception as error:
        # Timeouts after sending, 5xx other than 503, malformed replies, crashes: we cannot
        # know if it was taken. Where the provider can be asked by our key, the sweeper asks.
        log.exception("take %s: submit outcome unknown", take_id)
        move(
            take_id,
            TakeState.SUBMITTING,
            TakeState.NEEDS_CHECK,
            next_poll_at=first_lookup_at(take.provider),
            **error_fields(error),
        )
    else:
        if submitted.finished is not None:
            finished_at_once(take, submitted)
            return
        # A provider that calls back tells us when the job ends (webhooks first), so its first
        # status read is the backstop's: one at once would only hear "queued", and with 1,000
        # takes sent in a batch those reads were half the work of the pool that sees takes end.
        backstop = calls_back(take.provider)
        move(
            take_id,
            TakeState.SUBMITTING,
            TakeState.RUNNING,
            remote_id=submitted.remote_id,
            raw_status=submitted.raw_status[:200],
            next_poll_at=timezone.now()
            + timedelta(seconds=CALLBACK_BACKSTOP_SECONDS if backstop else 0),
            actual_cost=submitted.cost,
        )
        if not backstop:
            enqueue_follow(take_id)


def finished_at_once(take: Take, submitted: Submitted) -> None:
    """A synchronous API (most image models) answered with the finished result: the take moves
    on from that answer as take_follow would from a poll. Result bytes in the answer are stored
    at once, since there is no link to fetch them from later; the download step reads them."""
    done = submitted.finished
    cost = done.cost if done.cost is not None else submitted.cost
    if not move(
        take.pk,
        TakeState.SUBMITTING,
        TakeState.RUNNING,
        event="The provider answered with the finished result.",
        remote_id=submitted.remote_id,
        raw_status=submitted.raw_status[:200],
        actual_cost=cost,
    ):
        return
    common = {"raw_status": done.raw_status[:200], "progress": 100}
    if done.state == State.SUCCEEDED:
        url = done.result_url or ""
        if done.inline_result is not None:
            try:
                url = STORED_RESULT + _store_inline(take, done.inline_result)
            except OSError as error:
                fields = error_fields(error) | {"error_kind": "result_lost"}
                move(take.pk, TakeState.RUNNING, TakeState.RESULT_LOST, **fields, **common)
                return
        lease = timezone.now() + timedelta(seconds=settings.TAKE_TASK_LEASE_SECONDS)
        if move(
            take.pk,
            TakeState.RUNNING,
            TakeState.DOWNLOADING,
            result_url=url,
            next_poll_at=lease,
            **common,
        ):
            enqueue_download(take.pk)
    elif done.state in FINISHED_STATES:
        message = done.error or f"The provider reported “{done.raw_status}”."
        move(
            take.pk,
            TakeState.RUNNING,
            TakeState(done.state.value),  # failed, rejected, canceled: the same words
            error_kind=done.state.value,
            error_message=message[:2000],
            raw_status=done.raw_status[:200],
        )
    else:
        # Not finished after all: followed like any accepted job.
        Take.objects.filter(pk=take.pk, state=TakeState.RUNNING).update(next_poll_at=timezone.now())
        enqueue_follow(take.pk)


# The result_url of a result that came in the provider's answer: its name in media storage.
STORED_RESULT = "stored:"


def _store_inline(take: Take, data: bytes) -> str:
    name = f"takes/{take.project_id}/take-{take.pk}-{secrets.token_hex(4)}-result.bin"
    return default_storage.save(name, ContentFile(data))


def _submit_later(take: Take, error: ProviderError) -> None:
    if take.submit_attempts >= MAX_SUBMIT_ATTEMPTS:
        move(take.pk, TakeState.SUBMITTING, TakeState.FAILED, **error_fields(error))
        return
    wait = error.retry_after or min(60, 2**take.submit_attempts)
    text = f"Provider busy, trying again in {wait:.0f} s: {error.message}"
    now = timezone.now()
    with transaction.atomic():
        # A note, not an error: it stops being true as soon as the take moves on.
        requeued = Take.objects.filter(
            pk=take.pk, state=TakeState.SUBMITTING, cancel_requested=False
        ).update(
            state=TakeState.QUEUED,
            next_poll_at=now + timedelta(seconds=wait),
            status_note=text[:300],
            updated_at=now,
        )
        if requeued:
            TakeEvent.objects.create(take_id=take.pk, at=now, state=TakeState.QUEUED, message=text)
    if not requeued:
        # Canceled while it was being sent, and the provider accepted nothing: it ends here
        # (the claim in take_submit would never pick a canceled take up again).
        move(
            take.pk,
            TakeState.SUBMITTING,
            TakeState.CANCELED,
            event="Canceled before the provider accepted it: nothing was charged.",
        )


def error_fields(error: Exception) -> dict:
    kind = getattr(error, "kind", type(error).__name__)
    message = getattr(error, "message", "") or str(error) or type(error).__name__
    return {"error_kind": kind[:40], "error_message": message[:2000]}


def first_lookup_at(provider: str):
    """When to first ask the provider about an unclear send, or None (a person decides).

    Not at once: a provider that answered 500 may still be creating the job, and "not found"
    is only proof of absence once it has had time to appear.
    """
    if not can_look_up(provider):
        return None
    return timezone.now() + timedelta(seconds=settings.TAKE_LOOKUP_AFTER_SECONDS)
