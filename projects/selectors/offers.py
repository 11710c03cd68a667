"""What the studio offers before the click: the Generate button's model, estimate, or the
reason it cannot go yet; and the storyboard's per-scene estimates."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from projects.models import Scene, Shot
from projects.registry import ProviderUnavailable, provider_for_model
from projects.selectors.continuations import draft_offer
from projects.selectors.design import Preview
from projects.selectors.money import provider_cap_refusal, rate_cards, scene_estimate
from projects.selectors.shot_spec import shot_spec
from projects.selectors.snapshots import estimate_cost


def generate_offer(shot: Shot, preview: Preview) -> dict:
    """What the Generate button says: the model, the estimate, or why it cannot go yet."""
    offer = {"model": preview.capabilities.name, "blocked": "", "estimate": ""}
    try:
        provider_for_model(shot.target_model)
    except ProviderUnavailable as error:
        offer["blocked"] = str(error)
        return offer
    try:
        cost = estimate_cost(shot.target_model, shot_spec(shot))
    except ValidationError as error:
        offer["blocked"] = " ".join(error.messages)
        return offer
    if preview.problems:
        offer["blocked"] = "Fix the pre-flight problems above first."
    else:
        offer["blocked"] = provider_cap_refusal(preview.capabilities.provider, cost)
    offer["estimate"] = "free" if cost == 0 else f"up to ${cost:.2f}"
    # Models that make cheap drafts (Seedance) offer one beside Generate.
    offer["draft"] = draft_offer(shot)
    return offer


def priced_scenes(scenes: list[Scene]) -> list[Scene]:
    """The storyboard's scenes, each with `estimate` (worst case of its ready shots) and
    `unpriced` (labels of ready shots no rate card prices)."""
    rates = rate_cards()
    for scene in scenes:
        scene.estimate, scene.unpriced = scene_estimate(scene, rates)
    return scenes
