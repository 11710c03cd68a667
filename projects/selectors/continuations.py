"""Takes that carry on from an earlier job at the same provider, read before the click and when
asked: Extend (Veo scene extension adds seconds to a finished clip) and a Seedance draft, whose
final is made from the draft's task without sending the inputs again.

The writes are projects.services.continuations (and take_promote for a draft's final); the
worker builds the `Continuation` it sends in projects.pipeline.requests."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from projects.models import Shot, Take, TakeKind, TakeState
from projects.registry import provider_class
from projects.selectors.design import preview_for
from projects.selectors.money import rate_cards
from projects.selectors.prompt_templates import templates_for
from projects.selectors.shot_spec import shot_spec
from projects.selectors.snapshots import estimate_cost, snapshot_for, spec_from_dict
from providers.capabilities import CAPABILITIES
from providers.core.prices import Rate, Unpriced
from providers.core.spec import ShotSpec
from providers.prices import quote

# Where the provider fixes the size of what an extension makes (Veo: 720p whatever the clip
# was, providers/veo/contract.py EXTEND_RESOLUTION); any other, the earlier clip's own.
EXTEND_RESOLUTION = {"google-veo": "720p"}
# An extension waits in the queue before it is sent: the earlier result must still be at the
# provider then, not only now.
EXTEND_MARGIN = timedelta(minutes=30)
# A probed length runs a frame or two over the seconds asked for (8 s comes back 8.04 s).
LENGTH_SLACK = 0.5
# Platforms that extend only a result they still hold, named by its link (the Gemini API's
# instances[0].video.uri); the others take the clip's bytes from the studio's own copy.
HOLDS_RESULT = {"gemini"}
# A Seedance draft renders at 480p, and is priced there (providers/seedance/contract.py,
# docs/providers.md §4.3); its task can be made final from for 7 days [V: volcengine SDK, §9].
DRAFT_RESOLUTION = "480p"
DRAFT_TASK_DAYS = 7


@dataclass(frozen=True)
class ExtendOffer:
    """What the Extend button on a ready take says: seconds added, price, or why not."""

    seconds: int
    amount: Decimal | None
    blocked: str = ""


def _extendable(take: Take) -> bool:
    caps = CAPABILITIES.get(take.model)
    return bool(
        caps
        and caps.extend_seconds
        and take.kind == TakeKind.VIDEO
        and take.state == TakeState.SUCCEEDED
    )


def holds_result(provider: str) -> bool:
    """Whether the provider's platform extends only a result it still holds (by its link)."""
    return getattr(provider_class(provider), "platform", "") in HOLDS_RESULT


def extend_refusal(take: Take, *, longest_input: float | None = None) -> str:
    """Why `take` cannot be extended now, in plain words; "" when it can.

    `longest_input` is the platform's own limit on the clip it continues, when the caller has
    the built provider to ask (Vertex AI: 30 s); the catalog's ceiling applies either way."""
    caps = CAPABILITIES.get(take.model)
    name = caps.name if caps else take.model
    if caps is None or not caps.extend_seconds:
        return f"{name} cannot extend a clip it made."
    if take.kind != TakeKind.VIDEO:
        return "Only a video take can be extended."
    if take.state != TakeState.SUCCEEDED:
        return "Only a finished take with a video can be extended."
    length = take.duration_seconds
    if not length:
        return "This take's length is unknown, so it cannot be extended."
    if length + caps.extend_seconds > caps.extend_max_total_seconds + LENGTH_SLACK:
        return (
            f"This clip is {length:.0f} s; {name} extends clips up to "
            f"{caps.extend_max_total_seconds} s in all, so it cannot add {caps.extend_seconds} s."
        )
    if longest_input is not None and length > longest_input + LENGTH_SLACK:
        return (
            f"This clip is {length:.0f} s; this studio's {name} platform extends clips of at "
            f"most {longest_input:g} s."
        )
    if holds_result(take.provider):
        expires = take.result_link_expires_at
        if not take.result_url or expires is None:
            return (
                f"{name} on the Gemini API extends only a video Google still holds, and it gave "
                "no link to this one."
            )
        if timezone.now() + EXTEND_MARGIN >= expires:
            return (
                f"Too late to extend: the Gemini API keeps a {name} video for about 2 days, and "
                f"this one's ended {timezone.localtime(expires):%Y-%m-%d %H:%M}. Generate the "
                "shot again, or run Veo on Vertex AI, which extends from the studio's own copy."
            )
    return ""


def _extension_price_spec(take: Take) -> ShotSpec:
    # The price depends on the model, size, sound and seconds only; built from the take's own
    # snapshot so an older take with a partial spec still gets a price.
    spec = take.spec or {}
    return ShotSpec(
        label="",
        subject="",
        action="",
        context="",
        style="",
        shot_size="",
        camera_angle="",
        lens_mm=None,
        duration_seconds=CAPABILITIES[take.model].extend_seconds,
        aspect_ratio=spec.get("aspect_ratio") or "16:9",
        resolution=extension_resolution(take),
        audio=bool(spec.get("audio")),
    )


def extension_resolution(take: Take) -> str:
    return EXTEND_RESOLUTION.get(take.provider) or (take.spec or {}).get("resolution") or "720p"


def extend_offer(take: Take, rates: list[Rate]) -> ExtendOffer | None:
    """The Extend button of a ready take whose model can extend; None for every other take."""
    if not _extendable(take):
        return None
    seconds = CAPABILITIES[take.model].extend_seconds
    blocked = extend_refusal(take)
    try:
        amount = quote(take.model, _extension_price_spec(take), rates).amount
    except Unpriced as error:
        return ExtendOffer(seconds, None, blocked or str(error))
    return ExtendOffer(seconds, amount, blocked)


def with_continuations(takes: list[Take], *, shot_takes: list[Take] | None = None) -> list[Take]:
    """Sets, for the take card, `extend_offer` (an ExtendOffer or None) and `extended_by` (the
    takes that continue it) on each take.

    No query for takes that cannot be extended; else one for the rate cards and, unless the
    shot's takes are already at hand (`shot_takes`), one for the extensions."""
    for take in takes:
        take.extend_offer, take.extended_by = None, []
    extendable = [take for take in takes if _extendable(take)]
    if not extendable:
        return takes
    rates = rate_cards()
    if shot_takes is None:
        children = list(Take.objects.filter(extends__in=extendable).only("number", "extends"))
    else:
        children = [take for take in shot_takes if take.extends_id]
    by_parent: dict[int, list[Take]] = defaultdict(list)
    for child in sorted(children, key=lambda child: child.number):
        by_parent[child.extends_id].append(child)
    for take in extendable:
        take.extend_offer = extend_offer(take, rates)
        take.extended_by = by_parent.get(take.pk, [])
    return takes


def extension_snapshot(take: Take) -> dict:
    """What an extension of `take` sends, frozen as any take's request is.

    The prompt is the shot's as it reads now, compiled for the take's model: the shot editor
    is where the filmmaker says what happens next (a changed action, a new beat), and a shot
    left as it was asks for more of the same. The clip itself is not described again: the
    extension carries on from it, so no frames or references go, the size is the provider's
    (720p for Veo) and the shape is the earlier clip's."""
    caps = CAPABILITIES[take.model]
    parent = spec_from_dict(take.spec) if take.spec else None
    spec = dataclasses.replace(
        shot_spec(take.shot, reference_count=0, has_hero_frame=False, has_last_frame=False),
        duration_seconds=caps.extend_seconds,
        resolution=extension_resolution(take),
        aspect_ratio=parent.aspect_ratio if parent else take.shot.aspect_ratio,
    )
    preview = preview_for(spec, take.model, templates=templates_for(take.project_id))
    # The clip's length, size and frames are the provider's to decide here; what the words
    # say still has to be sendable.
    problems = {
        field: messages
        for field, messages in preview.problems.items()
        if field in ("target_model", "prompt", "negative_prompt", "dialogue")
    }
    if problems:
        raise ValidationError(problems)
    if preview.compiled is None:
        raise ValidationError(f"This shot cannot be compiled for {caps.name} yet.")
    return {
        "model": take.model,
        "provider": caps.provider,
        "prompt": preview.compiled.prompt,
        "params": preview.compiled.params,
        "prompt_template": preview.template.version if preview.template else None,
        "prompt_template_label": preview.template.label if preview.template else "",
        "spec": dataclasses.asdict(spec),
        "input_images": [],
        "seed": spec.seed,
        "estimated_cost": estimate_cost(take.model, spec),
    }


# --- Seedance draft, then a final from it ---------------------------------------------------
def is_draft(take: Take) -> bool:
    return (take.params or {}).get("draft") is True


def draft_spec(shot: Shot) -> ShotSpec:
    return dataclasses.replace(shot_spec(shot), resolution=DRAFT_RESOLUTION)


def draft_offer(shot: Shot) -> dict | None:
    """The "Draft first" button beside Generate, for models that make cheap drafts: its price
    (at the draft's real size), or None when the shot's model makes no drafts."""
    caps = CAPABILITIES.get(shot.target_model)
    if caps is None or not caps.draft_mode:
        return None
    try:
        amount = quote(shot.target_model, draft_spec(shot), rate_cards()).amount
    except Unpriced:
        return None  # the Generate button already says the model has no price
    return {"resolution": DRAFT_RESOLUTION, "estimate": f"up to ${amount:.2f}"}


def draft_snapshot(shot: Shot) -> dict:
    """A draft of the shot on its model: the full request at the draft's size, marked draft
    (sent as "draft": true), priced at that size."""
    caps = CAPABILITIES.get(shot.target_model)
    if caps is None or not caps.draft_mode:
        name = caps.name if caps else shot.target_model
        raise ValidationError(f"{name} makes no drafts: generate the shot instead.")
    snapshot = snapshot_for(shot, draft_spec(shot), shot.target_model)
    snapshot["params"] = {**snapshot["params"], "draft": True}
    return snapshot


def continues_draft(draft: Take, model: str) -> bool:
    """Whether a final of `draft` on `model` is made from the draft's task at the provider."""
    caps = CAPABILITIES.get(model)
    return bool(caps and caps.draft_mode and is_draft(draft) and draft.model == model)


def draft_expires_at(draft: Take) -> datetime | None:
    finished = draft.downloading_at or draft.running_at
    return finished + timedelta(days=DRAFT_TASK_DAYS) if finished else None


def draft_refusal(draft: Take) -> str:
    """Why a final can no longer be made from `draft`'s task; "" while it can."""
    expires = draft_expires_at(draft)
    if draft.remote_id and expires is not None and timezone.now() + EXTEND_MARGIN < expires:
        return ""
    return (
        f"Take {draft.number}'s draft can no longer be made final: "
        f"{CAPABILITIES[draft.model].name} keeps a draft task {DRAFT_TASK_DAYS} days. "
        "Generate the shot again instead."
    )


def final_from_draft_snapshot(snapshot: dict, *, draft: Take) -> dict:
    """A final made from `draft`'s task: what take_promote would send, but no images (the
    provider has them with the draft), or ValidationError when the draft task is gone."""
    refusal = draft_refusal(draft)
    if refusal:
        raise ValidationError(refusal)
    params = {key: value for key, value in snapshot["params"].items() if key != "draft"}
    return {**snapshot, "params": params, "input_images": []}


def is_final_from_draft(take: Take) -> bool:
    """A take made from its draft's task (see take_promote), not from the inputs."""
    draft = take.promoted_from
    return bool(draft and not is_draft(take) and continues_draft(draft, take.model))
