"""What Cancel does, in words, for each provider: before the click, while the provider answers,
and what the studio records as the provider's answer. One place, so the card, the pipeline and
the tests say the same thing.

Only the provider's own status makes a sent take "canceled" (see pipeline.take_follow): these
sentences never promise more than the provider's cancel policy (providers.core.base.CancelPolicy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from projects.models.states import TakeState
from projects.registry import cancel_policy
from providers.core.base import CancelPolicy
from providers.core.catalog import provider_name

if TYPE_CHECKING:
    from projects.models.takes import Take

NOT_SENT = "Not sent yet: canceling is free."
PROVIDER_FINISHING = "Cancel asked — the provider is finishing it."


def what_cancel_does(take: Take) -> str:
    """The sentence beside the Cancel button, before anyone presses it."""
    if take.state in (TakeState.QUEUED, TakeState.AWAITING_APPROVAL):
        return NOT_SENT
    name = provider_name(take.provider)
    policy = cancel_policy(take.provider)
    if policy == CancelPolicy.NEVER:
        return f"{name} cannot stop a job once sent: it will still be charged."
    if policy == CancelPolicy.WHILE_QUEUED:
        return (
            f"{name} can stop it only while it waits in {name}'s queue; "
            "once it runs it finishes and is charged."
        )
    return f"{name} stops the job when asked; its hold is released once {name} confirms."


def cancel_progress(take: Take) -> str:
    """The card's line after Cancel was pressed, while the provider still has the take."""
    if not take.cancel_requested or take.is_finished:
        return ""
    name = provider_name(take.provider)
    answer = take.cancel_answer
    if cancel_policy(take.provider) == CancelPolicy.NEVER:
        return f"{PROVIDER_FINISHING} {answer or what_cancel_does(take)}"
    if answer == answer_accepted(take.provider):
        return f"Cancel asked — {answer} Waiting for {name} to confirm it stopped."
    if answer or take.state == TakeState.DOWNLOADING:
        return f"{PROVIDER_FINISHING} {answer}".rstrip()
    if take.state == TakeState.SUBMITTING:
        return f"Cancel asked — it is being sent now; {name} is asked to stop it once it has it."
    return f"Cancel asked — waiting for {name}'s answer."


# --- what the pipeline records in Take.cancel_answer ----------------------------------------
def answer_not_asked(slug: str) -> str:
    name = provider_name(slug)
    return (
        f"Not asked: {name} cannot stop a job once sent, so the studio follows it to the end "
        "and records what it costs."
    )


def answer_accepted(slug: str) -> str:
    return f"{provider_name(slug)} accepted the request to stop it."


def answer_refused(slug: str, reason: str) -> str:
    name = provider_name(slug)
    return f"{name} refused to stop it: {reason.removeprefix(f'{name}: ')}"


def answer_lost(slug: str, reason: str) -> str:
    return (
        f"The request to stop it did not reach {provider_name(slug)} ({reason}); "
        "it is not asked again."
    )


def cancel_confirmed(slug: str) -> str:
    """The take's closing message when the provider's own status says it stopped."""
    return f"Canceled: {provider_name(slug)} confirmed it stopped the job."
