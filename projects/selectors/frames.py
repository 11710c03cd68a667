"""Hero-frame candidates (the guide's Hero Frame First): which still models this studio can run
now and at what price, what a candidate asks for, and the candidates of a shot."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from projects.models import FINISHED_TAKE_STATES, Shot, Take, TakeEvent, TakeKind
from projects.registry import provider_by_slug, unreadable_keys_reason
from projects.selectors.money import frame_quote, rate_cards
from projects.selectors.shot_spec import shot_spec
from projects.selectors.snapshots import file_sha256
from providers.core.capabilities import RETIRED
from providers.core.prices import Unpriced
from providers.design.stills import compile_still
from providers.prices import quote_still
from providers.stills import STILL_CAPABILITIES

MAX_CANDIDATES = 4
SHOWN_CANDIDATES = 8  # the newest; older ones stay in the shot's take history
# A TakeEvent on the chosen candidate says which stored hero frame it became, so the panel can
# mark it for as long as that very file is the shot's hero frame (an upload replaces it).
CHOSEN_PREFIX = "Chosen as the hero frame: "


@dataclass(frozen=True)
class FrameOffer:
    slug: str
    name: str
    price: Decimal | None  # per image; None when no rate card prices it yet


def still_unavailable_reason(model: str) -> str:
    """Why `model` cannot make candidates here now, "" when it can (keys, account, lifecycle)."""
    caps = STILL_CAPABILITIES.get(model)
    if caps is None:
        return f"“{model}” is not a still model this studio knows."
    if caps.lifecycle.status == RETIRED:
        return f"{caps.name} has been retired by its provider: choose another still model."
    if caps.provider not in settings.VIDEO_PROVIDERS:
        return (
            f"{caps.name} is not connected in this studio yet: "
            "an admin needs to set up its provider."
        )
    provider = provider_by_slug(caps.provider)
    usable, reason = provider.availability()
    if not usable:
        return f"{caps.name} is unavailable: {unreadable_keys_reason(caps.provider) or reason}"
    in_catalogue = getattr(provider, "catalogue_availability", None)
    if caps.catalogue_id and in_catalogue is not None:
        usable, reason = in_catalogue(caps)
        if not usable:
            return f"{caps.name} is unavailable: {reason}"
    return ""


def frame_offers(shot: Shot) -> list[FrameOffer]:
    """The still models this studio can run now, each with its price per image for this shot."""
    spec, rates = shot_spec(shot), rate_cards()  # the rate cards read once, not per model
    offers = []
    for slug, caps in STILL_CAPABILITIES.items():
        if still_unavailable_reason(slug):
            continue
        try:
            price = quote_still(slug, compile_still(spec, slug).resolution, rates).amount
        except Unpriced:
            price = None
        offers.append(FrameOffer(slug=slug, name=caps.name, price=price))
    return offers


def frame_snapshot(shot: Shot, model: str) -> dict:
    """What one candidate asks for, frozen (as selectors.snapshots does for a video take): the
    stills prompt and parameters, the shot's reference images where the model takes them, and
    the price of one image. ValidationError when there is no price."""
    caps = STILL_CAPABILITIES[model]
    spec = shot_spec(shot)
    compiled = compile_still(spec, model)
    try:
        price = frame_quote(model, compiled.resolution).amount
    except Unpriced as error:
        raise ValidationError({"model": str(error)}) from None
    images = [
        {"role": "reference", "name": reference.image.name}
        for reference in list(shot.references.all())[: caps.max_references]
    ]
    for image in images:
        image["sha256"] = file_sha256(image["name"])
    return {
        "kind": TakeKind.FRAME,
        "model": model,
        "provider": caps.provider,
        "prompt": compiled.prompt,
        "params": compiled.params,
        "spec": dataclasses.asdict(spec),
        "input_images": images,
        "seed": None,  # each candidate is drawn fresh
        "estimated_cost": price,
    }


def frame_takes(shot: Shot) -> QuerySet[Take]:
    return shot.takes.filter(kind=TakeKind.FRAME)


def frame_candidates(shot: Shot) -> list[Take]:
    """The newest candidates, oldest first so they read left to right as they were asked."""
    newest = frame_takes(shot).select_related("requested_by").order_by("-number")
    return list(reversed(newest[:SHOWN_CANDIDATES]))


def chosen_frame_id(shot: Shot) -> int | None:
    """The candidate whose picture is the shot's hero frame now, if one is."""
    if not shot.hero_frame:
        return None
    return (
        TakeEvent.objects.filter(
            take__shot=shot,
            take__kind=TakeKind.FRAME,
            message__startswith=f"{CHOSEN_PREFIX}{shot.hero_frame.name} ",
        )
        .values_list("take_id", flat=True)
        .last()
    )


def candidates_in_flight(shot: Shot) -> bool:
    return frame_takes(shot).exclude(state__in=FINISHED_TAKE_STATES).exists()
