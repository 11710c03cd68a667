"""The one small interface every video provider implements, and the plain data that crosses it.

`projects` builds a `GenerationRequest` from a take and hands it to a provider; what comes back
is `Submitted` and `Progress`. Errors are typed so the pipeline knows what is safe to do next:
only an error raised *before* the provider could have accepted the job may be retried; anything
ambiguous is `UnknownOutcome`, which parks the take for a human ("needs check").
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from providers.core.spec import ShotSpec


@dataclass(frozen=True)
class InputImage:
    path: str  # a local file the adapter reads (and base64-encodes where the API wants it)
    sha256: str
    role: str = "first_frame"  # first_frame | last_frame | reference


@dataclass(frozen=True)
class Continuation:
    """A request that carries on from an earlier job of the same provider instead of sending
    its inputs again: Veo scene extension ("extend"), or a Seedance final made from its draft
    task ("final_from_draft")."""

    kind: str  # "extend" | "final_from_draft"
    remote_id: str  # the earlier job's id at the provider
    result_url: str = ""  # the earlier job's result link, as the provider gave it
    video_path: str = ""  # a local copy of the earlier result, for APIs that want the bytes
    duration_seconds: float | None = None  # the earlier result's length


@dataclass(frozen=True)
class GenerationRequest:
    take_id: int  # ours, for labels and file names; never an idempotency key (see request_key)
    model: str  # catalog slug
    prompt: str
    params: dict[str, Any]
    spec: ShotSpec
    images: tuple[InputImage, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)  # e.g. previz burn-in
    # A random UUID per take: the idempotency key / external id where an API takes one, and
    # what `lookup` finds a job by. Unique across studios sharing one provider account.
    request_key: str = ""
    continues: Continuation | None = None  # set when this take continues an earlier one


class State(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REJECTED = "rejected"
    CANCELED = "canceled"


FINISHED_STATES = {State.SUCCEEDED, State.FAILED, State.REJECTED, State.CANCELED}


@dataclass(frozen=True)
class Progress:
    state: State
    raw_status: str  # the provider's own word, kept for the camera report
    percent: int | None = None
    result_url: str | None = None
    error: str = ""
    cost: Decimal | None = None
    poll_after: float = 5.0  # seconds until it is worth asking again
    raw: dict[str, Any] = field(default_factory=dict)
    # A result the API answered with in its body (a still from a synchronous image API); the
    # pipeline stores it at once, since there is no link to fetch it from later.
    inline_result: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Submitted:
    remote_id: str
    raw_status: str = ""
    cost: Decimal | None = None
    # Synchronous APIs (most image models) answer with the finished result: the pipeline
    # moves the take on from this instead of polling.
    finished: Progress | None = None


@dataclass(frozen=True)
class ConnectionCheck:
    """What a free call to the provider showed, in plain words for staff."""

    ok: bool
    message: str  # "Connected: 12 models on this account." / "The key was refused: ..."
    models: tuple[str, ...] = ()  # API model ids the account can use, when the API lists them


class ProviderError(Exception):
    """Base of every error an adapter raises; `message` is fit to show a filmmaker."""

    kind = "error"

    def __init__(self, message: str, *, raw: Any = None, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.raw = raw
        self.retry_after = retry_after


class Transient(ProviderError):
    """Try again later; nothing was accepted (429, 5xx before acceptance, connection refused)."""

    kind = "transient"


class Rejected(ProviderError):
    """The provider refused the content or the input (moderation, validation)."""

    kind = "rejected"


class AuthFailed(ProviderError):
    kind = "auth"


class QuotaExceeded(ProviderError):
    kind = "quota"


class ModelRetired(ProviderError):
    """The provider says this model no longer exists or this account cannot use it: not a
    judgement on the shot. Nothing was made or billed; switching model is the way on."""

    kind = "model_retired"


class UnknownOutcome(ProviderError):
    """The request may or may not have been accepted (timeout after sending, malformed reply)."""

    kind = "unknown_outcome"


class CancelPolicy(enum.StrEnum):
    """What the provider does when asked to stop a job it already has."""

    ALWAYS = "always"  # it stops queued and running jobs
    WHILE_QUEUED = "while_queued"  # only before the job starts running; then it finishes
    NEVER = "never"  # no way to stop a job once sent: it finishes and is billed


class VideoProvider(Protocol):
    slug: str
    # Class attributes, readable without building the provider (no keys needed):
    cancel_policy: CancelPolicy
    result_ttl_seconds: float  # how long a finished job's result link stays fetchable

    def availability(self) -> tuple[bool, str]:
        """(usable, reason) — e.g. (False, "No API key: set KLING_ACCESS_KEY.")."""

    def submit(self, request: GenerationRequest) -> Submitted: ...

    def poll(self, remote_id: str) -> Progress: ...

    def cancel(self, remote_id: str) -> None: ...

    def download(self, url: str, destination: str, *, max_bytes: int) -> int:
        """Stream the result to `destination`; return the byte count."""

    def check_connection(self) -> ConnectionCheck:
        """A free call that says whether the keys work and which models the account has."""

    # Optional: providers that can find a job by our own `request.request_key` define
    #     def lookup(self, request: GenerationRequest) -> Submitted | None
    # returning the job if the provider has it and None only when it provably does not, so an
    # ambiguous submit ("needs a check") can be settled without a person.
