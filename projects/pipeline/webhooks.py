"""Provider webhooks: a nudge to poll now. The payload is not trusted for anything else — the
take moves only on what the provider's own status endpoint says (polling stays the backstop).

The URL's last segment is a random per-provider token (studio.ProviderAccount, stored
encrypted, rotated by staff in the admin). Request logs redact it (studio/logs.py).
"""

from __future__ import annotations

import hmac
import json
import re
from itertools import accumulate

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from projects.models import Take, TakeState
from projects.registry import provider_by_slug
from projects.services import work
from studio.models import ProviderAccount

ID_FIELDS = ("task_id", "id", "request_id", "external_task_id", "name")
# Provider callbacks are a few kilobytes of JSON, a handful of levels deep.
MAX_BODY_BYTES = 256 * 1024
MAX_DEPTH = 64
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


def webhook_token(provider: str) -> str:
    """The secret in the provider's callback URL, made on first use."""
    return ProviderAccount.webhook_token_for(provider)


def token_matches(provider: str, token: str) -> bool:
    account = ProviderAccount.objects.filter(slug=provider).first()
    expected = account.stored_webhook_token() if account else ""
    # Bytes, so any token a caller sends (non-ASCII too) is compared in constant time.
    return bool(expected) and hmac.compare_digest(token.encode(), expected.encode())


def nesting_depth(body: bytes) -> int:
    """How deeply arrays and objects nest, counted without parsing (so without recursion)."""
    brackets = _BRACKETS.findall(_STRINGS.sub(b"", body))
    steps = (1 if bracket in (b"[", b"{") else -1 for bracket in brackets)
    return max(accumulate(steps, initial=0))


def _ids(payload) -> set[str]:
    """Every value under an id-like key, anywhere in the payload (walked without recursion)."""
    found: set[str] = set()
    stack = [payload]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in ID_FIELDS and isinstance(value, str | int):
                    found.add(str(value))
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return found


def webhook_received(*, provider: str, body: bytes) -> int:
    """A callback arrived with `body`: poll every job it names now. Returns the HTTP status to
    answer (204, or 413/400 for a body too big, too deep or not JSON)."""
    if len(body) > MAX_BODY_BYTES:
        return 413
    if nesting_depth(body) > MAX_DEPTH:
        return 400
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        return 400
    ids = _ids(payload)
    # Some providers name jobs differently in callbacks than in our remote ids (Kling).
    translate = getattr(provider_by_slug(provider), "remote_ids_from_callback", None)
    if translate and isinstance(payload, dict):
        ids |= set(translate(payload))
    follow_now(provider=provider, remote_ids=ids)
    return 204


def follow_now(*, provider: str, remote_ids: set[str]) -> int:
    """A webhook said these jobs changed: poll them now instead of at their next turn. A take
    whose message already waits in the queue gets no second one: that message polls it when a
    worker picks it up (docs/decisions/011). Returns how many takes were nudged."""
    if not remote_ids:
        return 0
    now = timezone.now()
    running = Take.objects.filter(
        provider=provider, state=TakeState.RUNNING, remote_id__in=remote_ids
    )
    with transaction.atomic():
        # SKIP LOCKED: a row the sweeper holds is being sent by the sweeper.
        free = running.filter(work.no_message_waiting(now)).select_for_update(skip_locked=True)
        ids = list(free.values_list("pk", flat=True))
        # One UPDATE for both (the callback's answer waits on each round trip): due now, and
        # the rows that get a message stamped as having one waiting.
        stamp = Case(When(pk__in=ids, then=Value(now)), default=F("dispatched_at"))
        count = running.update(next_poll_at=now, **({"dispatched_at": stamp} if ids else {}))
        work.send_stamped(work.FOLLOW, ids)
    return count
