"""Rank models from what a shot needs, after the guide's chapters (its decision-tree figure is
missing, so the tree is rebuilt from each chapter's "Best Use Cases"): dialogue and lip-sync
-> Seedance, then Veo; physical action -> Kling; precise camera -> Higgsfield, Runway;
over 8 s -> not Veo; 4K -> only Veo; native audio -> Veo, Seedance, Kling Pro.
Every point a model gains or loses comes with its reason. Previz is a free preview, not a
candidate for the final take, so it is never ranked.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from providers.capabilities import CAPABILITIES
from providers.core.capabilities import PRESETS, RETIRED, Capabilities
from providers.core.catalog import DIALOGUE_LANGUAGES, label_for
from providers.core.spec import ShotSpec
from providers.design.preflight import check_shot, lifecycle_status, lifecycle_warnings

PHYSICAL = re.compile(
    r"\b(fall|falls|falling|stumbl\w*|crash\w*|collid\w*|splinter\w*|shatter\w*|impact|punch\w*"
    r"|kick\w*|jump\w*|leap\w*|run|runs|running|sprint\w*|fight\w*|tumbl\w*|flip\w*|spin\w*"
    r"|throw\w*|throws|splash\w*|explod\w*|smash\w*|drift\w*|skid\w*|dive|dives|diving)\b",
    re.IGNORECASE,
)


@dataclass
class Recommendation:
    model: str
    score: int
    reasons: list[str] = field(default_factory=list)
    current: bool = False  # the shot's target now: always listed, even when it ranks low
    price: str = ""  # filled in by the studio from its rate cards ("up to $1.20")
    # Why switching to it would not let the shot go at once (no rate card, pre-flight
    # problems): the page then offers no one-click switch, so Generate is never left disabled.
    not_ready: str = ""

    @property
    def name(self) -> str:
        return CAPABILITIES[self.model].name


def physical_words(spec: ShotSpec) -> list[str]:
    text = " ".join([spec.action, *(b.action for b in spec.beats)])
    return sorted({m.lower() for m in PHYSICAL.findall(text)})


def _score(
    spec: ShotSpec, caps: Capabilities, today: datetime.date | None = None
) -> Recommendation:
    rec = Recommendation(model=caps.slug, score=0)

    def add(points: int, reason: str) -> None:
        rec.score += points
        rec.reasons.append(f"{points:+d} {reason}")

    warnings = lifecycle_warnings(caps, today=today)
    if warnings:
        # Still served, but a shot planned on it today may have to move before it is made.
        add(-2, warnings[0].rstrip("."))

    name, slug = caps.name, caps.slug
    if spec.dialogue:
        if slug.startswith("seedance"):
            add(4, f"{name} has the best lip-sync for spoken dialogue")
        elif slug.startswith("veo"):
            add(3, f"{name} voices multi-person dialogue with lip-sync")
        elif caps.native_audio:
            add(1, f"{name} can voice dialogue")
        else:
            add(-5, f"{name} makes silent clips, so nobody would speak the lines")
        for code in sorted({line.language for line in spec.dialogue} - {"en"}):
            language = label_for(DIALOGUE_LANGUAGES, code)
            if code in caps.dialogue_languages:
                add(2, f"{name} speaks {language}")
            elif caps.native_audio:
                add(-4, f"{name} does not speak {language}")
    wants_sound = spec.audio or spec.sound_effects.strip() or spec.ambience.strip()
    if wants_sound:
        if slug.startswith("veo"):
            add(3, f"{name} generates dialogue, sound effects and ambience natively")
        elif caps.native_audio:
            add(2, f"{name} generates native audio")
        else:
            add(-5, f"{name} makes silent clips")
    words = physical_words(spec)
    if words:
        if caps.provider == "kling":
            add(4, f"{name} renders weight and impact well ({', '.join(words)})")
        elif spec.beats and caps.timestamp_beats:
            add(1, f"{name} can sequence the action with timestamps")
    precise = len(spec.camera.nonzero_axes()) >= 2 or bool(spec.motion_preset)
    if precise:
        if caps.camera.style == PRESETS:  # DoP; Higgsfield's catalogue models move by words
            add(3, f"{name} plays deterministic camera presets from a hero frame")
        elif caps.provider == "runway":
            add(2, f"{name} follows precise camera choreography")
        elif caps.provider == "kling":
            add(1, f"{name} has strong camera motion")
    longest = max(caps.durations)
    if spec.duration_seconds > 8:
        if longest >= spec.duration_seconds:
            add(1, f"{name} makes clips up to {longest} s")
        else:
            add(-6, f"{name} stops at {longest} s")
    if spec.resolution == "4k":
        if "4k" in caps.resolutions:
            add(3, f"{name} renders 4K")
        else:
            add(-4, f"{name} renders at most {caps.resolutions[-1]}")
    if spec.reference_count > 0:
        if caps.max_references:
            add(
                3, f"{name} keeps characters consistent from up to {caps.max_references} references"
            )
        else:
            add(-3, f"{name} takes no reference images")
    if spec.beats and caps.timestamp_beats:
        add(2, f"{name} times beats with timestamp prompting")
    if caps.requires_first_frame and not spec.has_hero_frame:
        add(-6, f"{name} needs a hero frame to animate")
    problems = [m for messages in check_shot(spec, caps).values() for m in messages]
    if problems:
        add(-len(problems), f"{len(problems)} pre-flight issue(s), e.g. {problems[0]}")
    return rec


def recommend(
    spec: ShotSpec,
    *,
    runnable: Callable[[str], bool] | None = None,
    current: str = "",
    today: datetime.date | None = None,
) -> list[Recommendation]:
    """Models ranked for `spec`, best first. Only models that can run are candidates: never a
    retired one, and none `runnable` says no to (the studio's keys), so applying a
    recommendation never leaves a Generate button that cannot go. `current`, the shot's
    target, is always in the list, marked, wherever it ranks."""

    def candidate(caps: Capabilities) -> bool:
        if caps.provider == "previz" or lifecycle_status(caps, today=today) == RETIRED:
            return False
        return runnable is None or runnable(caps.slug)

    ranked = [
        _score(spec, caps, today)
        for caps in CAPABILITIES.values()
        if candidate(caps) or caps.slug == current
    ]
    for rec in ranked:
        rec.current = rec.model == current
    order = {slug: i for i, slug in enumerate(CAPABILITIES)}
    return sorted(ranked, key=lambda r: (-r.score, order[r.model]))
