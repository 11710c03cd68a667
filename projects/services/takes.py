"""What filmmakers do with takes: ask for one, cancel, retry, circle the good one."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, OuterRef, Subquery
from django.utils import timezone

from projects.models import (
    FINISHED_TAKE_STATES,
    ActivityKind,
    Scene,
    Shot,
    ShotStatus,
    Take,
    TakeEvent,
    TakeKind,
    TakeState,
)
from projects.registry import ProviderUnavailable, model_retired_reason, provider_for_model
from projects.selectors.continuations import (
    continues_draft,
    draft_refusal,
    extend_refusal,
    final_from_draft_snapshot,
    is_final_from_draft,
)
from projects.selectors.money import charged_for
from projects.selectors.snapshots import (
    estimate_cost,
    request_snapshot,
    same_request,
    snapshot_for,
    spec_from_dict,
)
from projects.services.activity import shot_activity
from projects.services.decisions import approval_withdraw
from projects.services.money import BudgetExceeded, budget_refund, budget_reserve
from projects.services.take_activity import take_decided, take_requested
from projects.services.work import SUBMIT, enqueue_download, enqueue_submit, send_stamped
from providers.core.base import VideoProvider


def next_number(shot: Shot) -> int:
    return (shot.takes.aggregate(n=Max("number"))["n"] or 0) + 1


class DuplicateTake(ValidationError):
    """The same request already made (or is making) a video of this shot; paying again needs
    a yes."""

    def __init__(self, existing: Take):
        if existing.is_finished:
            message = (
                f"Take {existing.number} already has exactly this request and a finished "
                "video. Review it, or generate again anyway."
            )
        else:
            message = (
                f"Take {existing.number} is already being made with exactly this request. "
                "Follow it, or generate again anyway."
            )
        super().__init__(message)
        self.existing = existing


def _same_request_take(shot: Shot, snapshot: dict, extends: Take | None = None) -> Take | None:
    """A take of `shot` in flight, or finished with a video, that asked for exactly this.

    An extension is the same request only as another extension of the same take: the words
    sent can equal a fresh generation's, the clip they continue cannot."""
    # In flight or succeeded = every state but the finished ones without a video.
    no_video = [state for state in FINISHED_TAKE_STATES if state != TakeState.SUCCEEDED]
    candidates = shot.takes.filter(extends=extends).exclude(state__in=no_video)
    compared = ("shot", "number", "state", "model", "prompt", "params", "input_images")
    for take in candidates.only(*compared).order_by("-number"):
        if same_request(take, snapshot):
            return take
    return None


def needs_approval(shot: Shot, amount: Decimal) -> bool:
    threshold = shot.project.approval_threshold
    return threshold is not None and amount > threshold


def add_take(shot: Shot, user, snapshot: dict, *, number: int, lease, **links) -> Take:
    """The take row, its budget hold and its first line of history, inside the caller's
    transaction with the shot row locked (services.frames makes several candidates in one).
    `links`: retry_of, promoted_from, extends, dispatched_at. BudgetExceeded when a hold does
    not fit: the caller's transaction must then roll back whole (both callers let it leave the
    atomic block), so the hold needs no savepoint of its own."""
    waits = needs_approval(shot, snapshot["estimated_cost"])
    take = Take.objects.create(
        project_id=shot.project_id,
        shot=shot,
        number=number,
        requested_by=user,
        next_poll_at=lease,
        state=TakeState.AWAITING_APPROVAL if waits else TakeState.QUEUED,
        **links,
        **snapshot,
    )
    budget_reserve(
        project=shot.project, take=take, amount=take.estimated_cost, user=user, savepoint=False
    )
    who = user.get_username() if user else "the studio"
    TakeEvent.objects.create(
        take=take,
        state=take.state,
        message=f"Asked for by {who}, up to ${take.estimated_cost:.2f}.",
    )
    return take


def _lock_shot(shot: Shot) -> Shot:
    """Lock the shot's row (one request at a time per shot: a double click, two teammates; the
    second waits for the first to commit, then finds its take and is offered it) and read in
    the same query what a new take needs: the project as it is now (approval limit, budget),
    the shot's status and its last take number."""
    last = Take.objects.filter(shot=OuterRef("pk")).order_by("-number").values("number")[:1]
    return (
        Shot.objects.select_for_update(of=("self",))
        .select_related("project")
        .only("status", "project")
        .annotate(last_number=Subquery(last))
        .get(pk=shot.pk)
    )


def _create_take(
    shot: Shot,
    user,
    snapshot: dict,
    *,
    retry_of: Take | None = None,
    promoted_from: Take | None = None,
    extends: Take | None = None,
    allow_duplicate: bool = False,
) -> Take:
    # Enqueued right after commit; the lease keeps the sweeper from sending a second copy.
    lease = timezone.now() + timedelta(seconds=settings.TAKE_TASK_LEASE_SECONDS)
    for _ in range(3):
        try:
            with transaction.atomic():
                locked = _lock_shot(shot)
                shot.project = locked.project
                existing = None if allow_duplicate else _same_request_take(shot, snapshot, extends)
                if existing is not None:
                    raise DuplicateTake(existing)
                queued = not needs_approval(shot, snapshot["estimated_cost"])
                take = add_take(
                    shot,
                    user,
                    snapshot,
                    number=(locked.last_number or 0) + 1,
                    lease=lease,
                    retry_of=retry_of,
                    promoted_from=promoted_from,
                    extends=extends,
                    # Its submit message is stamped as waiting by the INSERT itself (work.py).
                    dispatched_at=timezone.now() if queued else None,
                )
                take_requested(take=take, shot=shot, user=user)
                if locked.status != ShotStatus.GENERATING:
                    Shot.objects.filter(pk=shot.pk).update(status=ShotStatus.GENERATING)
                if queued:
                    send_stamped(SUBMIT, [take.pk])  # sent once this transaction commits
                break
        except IntegrityError:
            continue  # two requests took the same number at once: count again
        except BudgetExceeded as error:
            raise ValidationError(str(error)) from None
    else:
        raise ValidationError("Too many takes were requested at once; try again.")
    return take


def runnable_provider(model: str) -> VideoProvider:
    """The provider that makes `model` here, or a ValidationError saying why it cannot run
    (retired, not connected, no keys): asked before any money is held."""
    try:
        return provider_for_model(model)
    except ProviderUnavailable as error:
        raise ValidationError(str(error)) from None


def take_request(*, shot: Shot, user, allow_duplicate: bool = False) -> Take:
    """Generate the shot on its target model: checks first, then a queued take."""
    provider = runnable_provider(shot.target_model)
    snapshot = request_snapshot(shot, provider=provider)
    return _create_take(shot, user, snapshot, allow_duplicate=allow_duplicate)


def take_promote(*, take: Take, model: str, resolution: str, user) -> Take:
    """Render a circled draft again on a premium model, same shot spec, lineage kept."""
    if take.kind != TakeKind.VIDEO:
        raise ValidationError("A hero-frame candidate is a still: use it as the hero frame.")
    if take.state != TakeState.SUCCEEDED:
        raise ValidationError("Only a finished take can be promoted to a final render.")
    runnable_provider(model)
    spec = dataclasses.replace(spec_from_dict(take.spec), resolution=resolution)
    snapshot = snapshot_for(take.shot, spec, model)
    if continues_draft(take, model):
        # A Seedance draft's final is made from the draft's task: nothing is sent again.
        snapshot = final_from_draft_snapshot(snapshot, draft=take)
    return _create_take(take.shot, user, snapshot, promoted_from=take)


def take_approve(*, take: Take, user) -> Take:
    """An owner lets an expensive take go."""
    from projects.services.take_states import move_to_queue

    retired = model_retired_reason(take.model)
    if retired:
        # Retired while it waited: sending it would only hear "model gone". Decline it to
        # release the hold.
        raise ValidationError(retired)
    with transaction.atomic():
        if not move_to_queue(take.pk, approved_by=user.get_username()):
            raise ValidationError("This take is not waiting for approval.")
        take_decided(take=take, user=user, approved=True)
    enqueue_submit(take.pk)
    take.refresh_from_db()
    return take


def take_decline(*, take: Take, user) -> Take:
    from projects.services.take_states import move

    declined = f"Declined by {user.get_username()}; its hold was released."
    with transaction.atomic():
        if not move(
            take.pk, TakeState.AWAITING_APPROVAL, TakeState.CANCELED, error_message=declined
        ):
            raise ValidationError("This take is not waiting for approval.")
        take_decided(take=take, user=user, approved=False)
    take.refresh_from_db()
    return take


def take_retry(*, take: Take, user) -> Take:
    """The same request again, as a new take (the old one stays for the record)."""
    if not take.can_retry:
        raise ValidationError("Only a finished take that did not succeed can be retried.")
    if take.kind != TakeKind.VIDEO:
        raise ValidationError("Ask for new hero-frame candidates instead: a still is not retried.")
    runnable_provider(take.model)
    snapshot = {
        name: getattr(take, name)
        for name in (
            "model",
            "provider",
            "prompt",
            "params",
            "prompt_template_id",
            "prompt_template_label",
            "spec",
            "input_images",
            "seed",
        )
    }
    # Priced again: rate cards may have changed since the first attempt.
    snapshot["estimated_cost"] = estimate_cost(take.model, spec_from_dict(take.spec))
    # An extension, or a final made from a draft's task, carries on from the same job again,
    # while the provider still has it.
    refusal = (take.extends and extend_refusal(take.extends)) or (
        is_final_from_draft(take) and draft_refusal(take.promoted_from)
    )
    if refusal:
        raise ValidationError(refusal)
    return _create_take(
        take.shot,
        user,
        snapshot,
        retry_of=take,
        extends=take.extends,
        promoted_from=take.promoted_from if is_final_from_draft(take) else None,
    )


ACTIVE_AT_PROVIDER = (TakeState.SUBMITTING, TakeState.RUNNING)


def take_cancel(*, take: Take) -> Take:
    """Stop a take. One the provider never received ends now, free; one it has is only asked
    to stop: it ends when the provider says how it ended (see pipeline.take_follow)."""
    from projects.services.take_states import move

    if move(
        take.pk,
        (TakeState.QUEUED, TakeState.AWAITING_APPROVAL),
        TakeState.CANCELED,
        cancel_requested=True,
        event="Canceled before it was sent: nothing was charged.",
    ):
        take.refresh_from_db()
        return take
    now = timezone.now()
    with transaction.atomic():
        # The worker asks the provider on its next step; we never race the paid call.
        asked = Take.objects.filter(
            pk=take.pk, state__in=ACTIVE_AT_PROVIDER, cancel_requested=False
        ).update(cancel_requested=True, next_poll_at=now, updated_at=now)
        if asked:
            TakeEvent.objects.create(
                take_id=take.pk, at=now, state=take.state, message="Cancel asked."
            )
    take.refresh_from_db()
    if asked or (take.cancel_requested and take.state in ACTIVE_AT_PROVIDER):
        return take  # asked now, or already asked (a double click)
    if take.state == TakeState.DOWNLOADING:
        raise ValidationError(
            "The provider already finished this take: it is being saved, and is charged."
        )
    raise ValidationError("This take has already finished.")


def take_fetch_again(*, take: Take) -> Take:
    """Try the provider's link to a lost result once more. Free: the take was charged when the
    provider finished it, and settling it again changes nothing."""
    from projects.services.take_states import move

    if take.state != TakeState.RESULT_LOST:
        raise ValidationError("Only a take whose video was lost can be fetched again.")
    if not take.can_fetch_again:
        raise ValidationError(
            "The provider's link to this video has expired: Retry makes a new take, "
            "which is charged again."
        )
    lease = timezone.now() + timedelta(seconds=settings.TAKE_TASK_LEASE_SECONDS)
    if not move(
        take.pk,
        TakeState.RESULT_LOST,
        TakeState.DOWNLOADING,
        event="Fetching the video again from the provider's link.",
        # The link's age counts from when the provider finished, not from this attempt.
        downloading_at=F("downloading_at"),
        finished_at=None,
        next_poll_at=lease,
        poll_errors=0,
        error_kind="",
        error_message="",
    ):
        raise ValidationError("Only a take whose video was lost can be fetched again.")
    Shot.objects.filter(pk=take.shot_id, status__in=(ShotStatus.READY, ShotStatus.REVIEW)).update(
        status=ShotStatus.GENERATING
    )
    enqueue_download(take.pk)
    take.refresh_from_db()
    return take


def take_mark_failed(*, take: Take) -> Take:
    """A person checked a "needs check" take at the provider and found nothing came of it."""
    from projects.services.take_states import move

    if not move(
        take.pk,
        TakeState.NEEDS_CHECK,
        TakeState.FAILED,
        error_message=take.error_message + " Marked failed after a check.",
    ):
        raise ValidationError("Only a take that needs a check can be marked failed.")
    take.refresh_from_db()
    return take


def take_refund(*, take: Take, amount: Decimal, note: str, user) -> Decimal:
    """Record money the provider gave back for `take`; returns what is still charged for it."""
    with transaction.atomic():
        # One refund at a time per take, so two owners cannot both give back the same dollars.
        Take.objects.select_for_update().filter(pk=take.pk).first()
        charged = charged_for(take.pk)
        if charged <= 0:
            raise ValidationError(
                {"amount": "Nothing is charged for this take, so there is nothing to refund."}
            )
        if amount > charged:
            raise ValidationError(
                {"amount": f"Only ${charged:.2f} is charged for this take; refund at most that."}
            )
        budget_refund(take=take, amount=amount, note=f"{user.get_username()}: {note}")
    return charged - amount


@transaction.atomic
def take_circle(*, take: Take, user) -> Shot:
    """Pick this take as the shot's good one (one per shot; circling again un-circles).

    A different circled take withdraws the shot's approval for final: it approved another take."""
    if take.state != TakeState.SUCCEEDED or take.kind == TakeKind.FRAME:
        raise ValidationError("Only a finished take with a video can be circled.")
    shot = take.shot
    circling = shot.circled_take_id != take.pk
    shot.circled_take = take if circling else None
    shot.save(update_fields=["circled_take", "updated_at"])
    what = "circled" if circling else "un-circled"
    shot_activity(
        shot=shot,
        kind=ActivityKind.TAKE_CIRCLED,
        summary=f"Take {take.number} of shot {shot.label} {what}",
        actor=user,
        take_id=take.pk,
    )
    if shot.approved_at is not None and shot.approved_take_id != shot.circled_take_id:
        approval_withdraw(shot=shot, user=user, why="the circled take changed")
    return shot


@dataclass
class BatchResult:
    started: list[Take] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # shot label -> why


def scene_generate(*, scene: Scene, user) -> BatchResult:
    """Generate every shot of the scene that is marked ready."""
    result = BatchResult()
    shots = scene.shots.filter(status=ShotStatus.READY).prefetch_related("references")
    for shot in shots.order_by("order"):
        try:
            result.started.append(take_request(shot=shot, user=user))
        except ValidationError as error:
            result.skipped[shot.label] = " ".join(error.messages)
    return result
