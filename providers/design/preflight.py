"""Pre-flight checks: every problem a model would have with a shot, as sentences on the form
field that fixes it. Runs live while the filmmaker edits and again before any money moves, so
it must never raise on a half-edited shot.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping

from providers.capabilities import CAPABILITIES, resolve
from providers.core.capabilities import DEPRECATED, RETIRED, SINGLE_AXIS, Capabilities
from providers.core.catalog import CAMERA_RANGE, DIALOGUE_LANGUAGES, label_for, provider_name
from providers.core.motions import MOTIONS
from providers.core.prompting import fmt_seconds
from providers.core.spec import ShotSpec
from providers.core.templating import TemplateProblem
from providers.design.compile import compile_shot

FIELDS = (
    "target_model",
    "duration_seconds",
    "aspect_ratio",
    "resolution",
    "audio",
    "dialogue",
    "beats",
    "references",
    "camera",
    "prompt",
    "hero_frame",
    "last_frame",
    "seed",
    "negative_prompt",
    "motion_preset",
)


def either(items: list[str], word: str = "or") -> str:
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def durations_text(durations: tuple[int, ...]) -> str:
    low, high = min(durations), max(durations)
    if len(durations) > 3 and durations == tuple(range(low, high + 1)):
        return f"{low} to {high}"
    return either(list(durations))


def models_with(test) -> str:
    return either([c.name for c in CAPABILITIES.values() if test(c)])


def article(number: int) -> str:
    return "an" if str(number).startswith("8") or number in (11, 18) else "a"


def utf16_len(text: str) -> int:
    # Runway counts UTF-16 code units; for the others this equals characters except emoji.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


# Who runs each provider account's models, as a filmmaker would name them ("Google no longer
# serves Veo 3.1"); the account names in catalog.PROVIDER_NAMES are product names.
COMPANIES = {"google-veo": "Google", "seedance": "BytePlus"}


def company(provider: str) -> str:
    return COMPANIES.get(provider, provider_name(provider))


def spoken_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def lifecycle_status(model: str | Capabilities, *, today: datetime.date | None = None) -> str:
    """AVAILABLE, DEPRECATED or RETIRED as of `today`: a deprecated model whose shutdown date
    has come is treated as retired, since the provider stops serving it that day whether or
    not the catalog has caught up."""
    life = resolve(model).lifecycle
    today = today or datetime.date.today()
    if life.status == DEPRECATED and life.retires_on is not None and life.retires_on <= today:
        return RETIRED
    return life.status


def replacement_of(model: str | Capabilities) -> Capabilities | None:
    """The model to switch to from a deprecated or retired one, when there is one."""
    slug = resolve(model).lifecycle.replacement
    return CAPABILITIES.get(slug) if slug else None


def _switch_words(caps: Capabilities) -> str:
    replacement = replacement_of(caps)
    return f"switch the shot to {replacement.name}" if replacement else "choose another model"


def retired_reason(model: str | Capabilities, *, today: datetime.date | None = None) -> str:
    """Why a retired model cannot be generated, in plain words; "" when it still runs."""
    caps = resolve(model)
    if lifecycle_status(caps, today=today) != RETIRED:
        return ""
    when = caps.lifecycle.retires_on
    since = f" since {spoken_date(when)}" if when else ""
    return f"{company(caps.provider)} no longer serves {caps.name}{since}: {_switch_words(caps)}."


def gone_message(model: str | Capabilities, said: str = "") -> str:
    """A take's message when the provider itself says the model is gone or not on this
    account (ModelRetired): a fact about the model, not a judgement on the shot."""
    caps = resolve(model)
    text = (
        f"{company(caps.provider)} no longer serves {caps.name} to this studio: "
        f"{_switch_words(caps)}. Nothing was made and nothing was charged."
    )
    return f"{text} ({said})" if said else text


def lifecycle_warnings(
    model: str | Capabilities, *, today: datetime.date | None = None
) -> list[str]:
    """A warning, never a blocker, for a model that still runs but has a shutdown date."""
    caps = resolve(model)
    if lifecycle_status(caps, today=today) != DEPRECATED:
        return []
    when = caps.lifecycle.retires_on
    date_words = f"on {spoken_date(when)}" if when else "soon"
    return [f"{company(caps.provider)} retires {caps.name} {date_words}: {_switch_words(caps)}."]


def check_shot(
    spec: ShotSpec,
    model_slug: str | Capabilities,
    *,
    today: datetime.date | None = None,
    templates: Mapping[str, str] | None = None,
) -> dict[str, list[str]]:
    """`templates`: the team's prompt templates (compile.compile_shot), so the prompt whose
    length is checked is the one that would be sent."""
    caps = resolve(model_slug)
    found: dict[str, list[str]] = {}

    def say(field: str, message: str) -> None:
        found.setdefault(field, []).append(message)

    retired = retired_reason(caps, today=today)
    if retired:
        say("target_model", retired)
    name = caps.name
    longest = max(caps.durations)
    if spec.duration_seconds not in caps.durations:
        say(
            "duration_seconds",
            f"{name} makes clips of {durations_text(caps.durations)} seconds; "
            f"this shot is {spec.duration_seconds} s.",
        )
    else:
        needs = [
            ("1080p", spec.resolution == "1080p", "1080p"),
            ("4k", spec.resolution == "4k", "4k"),
            ("references", spec.reference_count > 0, "reference images"),
        ]
        for key, applies, words in needs:
            if (
                applies
                and key in caps.needs_longest_duration_for
                and spec.duration_seconds != longest
            ):
                say(
                    "duration_seconds",
                    f"{name} needs {article(longest)} {longest} s shot for {words}; "
                    f"this shot is {spec.duration_seconds} s.",
                )

    follows = caps.ratio_follows_first_frame and spec.has_hero_frame
    if not follows and spec.aspect_ratio not in caps.aspect_ratios:
        say(
            "aspect_ratio",
            f"{name} makes {either(list(caps.aspect_ratios))} clips; "
            f"this shot is {spec.aspect_ratio}.",
        )
    elif (
        caps.text_to_video_ratios is not None
        and not spec.has_hero_frame
        and spec.aspect_ratio not in caps.text_to_video_ratios
    ):
        say(
            "aspect_ratio",
            f"{name} makes {spec.aspect_ratio} clips only from a hero frame; "
            f"add one or choose {either(list(caps.text_to_video_ratios))}.",
        )

    if spec.resolution not in caps.resolutions:
        rendered = (
            f"{caps.resolutions[0]} only"
            if len(caps.resolutions) == 1
            else either(list(caps.resolutions))
        )
        say("resolution", f"{name} renders {rendered}; this shot asks for {spec.resolution}.")

    if spec.audio and not caps.native_audio:
        say(
            "audio",
            f"{name} makes silent clips; turn audio off or choose "
            f"{models_with(lambda c: c.native_audio)}.",
        )
    elif spec.audio and spec.has_last_frame and not caps.audio_with_last_frame:
        say("audio", f"{name} cannot make audio with a last frame; turn audio off or remove it.")

    if spec.audio and caps.native_audio:
        _check_dialogue(spec, caps, say)
    _check_beats(spec, say)
    _check_references(spec, caps, say)
    _check_camera(spec, caps, say)
    _check_frames(spec, caps, say)

    if spec.seed is not None and caps.seed_range is not None:
        low, high = caps.seed_range
        if not low <= spec.seed <= high:
            say("seed", f"{name} takes seeds from {low} to {high}; this one is {spec.seed}.")
    limit = caps.negative_prompt_max_chars
    negative = spec.negative_prompt.strip()
    if caps.negative_prompt and limit is not None and len(negative) > limit:
        say(
            "negative_prompt",
            f"{name} reads negative prompts up to {limit} characters; this one is {len(negative)}.",
        )

    try:
        prompt = compile_shot(spec, caps, templates).prompt
    except TemplateProblem as problem:
        say("prompt", f"The prompt template cannot be used: {problem}")
        return found
    if caps.prompt_required and not prompt.strip():
        say("prompt", f"{name} needs a prompt: describe the subject or the action.")
    if caps.prompt_max_chars is not None and utf16_len(prompt) > caps.prompt_max_chars:
        say(
            "prompt",
            f"{name} reads prompts up to {caps.prompt_max_chars} characters; "
            f"this one is {utf16_len(prompt)}.",
        )
    return found


def _check_dialogue(spec: ShotSpec, caps: Capabilities, say) -> None:
    for number, line in enumerate(spec.dialogue, start=1):
        if not line.text.strip():
            say("dialogue", f"Line {number} has no words.")
        if line.language not in caps.dialogue_languages:
            spoken = [label_for(DIALOGUE_LANGUAGES, c) for c in caps.dialogue_languages]
            only = " only" if len(spoken) == 1 else ""
            can = f"speaks {either(spoken, 'and')}{only}" if spoken else "speaks no dialogue"
            language = label_for(DIALOGUE_LANGUAGES, line.language)
            say("dialogue", f"{caps.name} {can}; line {number} is in {language}.")


def _check_beats(spec: ShotSpec, say) -> None:
    for beat in spec.beats:
        at = beat.at_seconds
        if not math.isfinite(at):
            say("beats", "Every beat needs a time in seconds.")
        elif at < 0:
            say("beats", f"A beat cannot happen before 0 s; this one is at {fmt_seconds(at)} s.")
        elif at > spec.duration_seconds:
            say(
                "beats",
                f"The beat at {fmt_seconds(at)} s falls after the end of this "
                f"{spec.duration_seconds} s shot.",
            )
        if not beat.action.strip():
            say("beats", f"The beat at {fmt_seconds(at)} s has no action.")


def _check_references(spec: ShotSpec, caps: Capabilities, say) -> None:
    count = spec.reference_count
    # A draft on the local renderer should not wait for references it cannot use anyway:
    # they are listed as ignored in the compiled request instead.
    if count <= 0 or caps.provider == "previz":
        return
    if caps.max_references == 0:
        say("references", f"{caps.name} takes no reference images; this shot has {count}.")
        return
    if count > caps.max_references:
        say(
            "references",
            f"{caps.name} takes up to {caps.max_references} reference images; "
            f"this shot has {count}.",
        )
    if not caps.references_with_frames and (spec.has_hero_frame or spec.has_last_frame):
        say(
            "references",
            f"{caps.name} cannot combine reference images with a hero frame or last frame; "
            "remove one or the other.",
        )
    if caps.reference_ratios is not None and spec.aspect_ratio not in caps.reference_ratios:
        say(
            "references",
            f"{caps.name} takes reference images only for "
            f"{either(list(caps.reference_ratios))} shots; this shot is {spec.aspect_ratio}.",
        )


def _check_camera(spec: ShotSpec, caps: Capabilities, say) -> None:
    low, high = CAMERA_RANGE
    moves = spec.camera.as_dict()
    for axis, value in moves.items():
        if not low <= value <= high:
            say(
                "camera",
                f"{axis.capitalize()} must be between {low} and +{high}; it is {value:+d}.",
            )
    moving = spec.camera.nonzero_axes()
    if caps.camera.style == SINGLE_AXIS and len(moving) > caps.camera.max_axes:
        say(
            "camera",
            f"{caps.name} moves the camera along one axis at a time; "
            f"this shot moves {either(moving, 'and')}.",
        )
    if caps.camera.style == SINGLE_AXIS and moving and spec.has_last_frame:
        say("camera", f"{caps.name} cannot combine a camera move with a last frame.")
    if spec.motion_preset and spec.motion_preset not in MOTIONS:
        say("motion_preset", f"'{spec.motion_preset}' is not a camera move Shot Studio knows.")


def _check_frames(spec: ShotSpec, caps: Capabilities, say) -> None:
    if caps.requires_first_frame and not spec.has_hero_frame:
        say("hero_frame", f"{caps.name} animates a hero frame; add one to this shot.")
    if spec.has_hero_frame and not caps.first_frame:
        say("hero_frame", f"{caps.name} cannot start from a hero frame; remove it.")
    if spec.has_last_frame and not caps.last_frame:
        say(
            "last_frame",
            f"{caps.name} cannot end on a chosen last frame; remove it or choose "
            f"{models_with(lambda c: c.last_frame and c.provider != 'previz')}.",
        )
    elif spec.has_last_frame and caps.last_frame_needs_first and not spec.has_hero_frame:
        say("last_frame", f"{caps.name} needs a hero frame to end on a last frame; add one.")
