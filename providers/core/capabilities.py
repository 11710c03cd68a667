"""The shape of what a model accepts: `Capabilities` and its camera support, as plain data.

Each provider package fills these in for its own models (`providers/<provider>/capabilities.py`)
and `providers/capabilities.py` gathers them into one table. Values follow
../shared/reference/providers.md (the API reference); tags such as [3P] or [I] repeat its
confidence for that value.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from providers.core.catalog import ASPECT_RATIOS, DIALOGUE_LANGUAGES

ALL_RATIOS = tuple(value for value, _ in ASPECT_RATIOS)
ALL_LANGUAGES = tuple(code for code, _ in DIALOGUE_LANGUAGES)

# Camera styles: how a model hears about the six axes.
NUMERIC = "numeric"  # every axis sent as a number (previz)
SINGLE_AXIS = "single_axis"  # Kling camera_control "simple": exactly one non-zero field
FIXED_FLAG = "fixed_flag"  # Seedance camera_fixed: a lock, no direction
PRESETS = "presets"  # Higgsfield motions: a named move plus a strength
PROMPT = "prompt"  # words in the prompt only


@dataclass(frozen=True)
class CameraSupport:
    style: str
    field: str = ""  # the request field carrying the move, "" when words only
    # Our axis -> the API's field, for numeric styles; axes missing here become words.
    axis_fields: tuple[tuple[str, str], ...] = ()
    value_range: tuple[int, int] = (-10, 10)
    # Axes whose API sign is the opposite of ours (Kling zoom + is a *wider* field of view).
    inverted_axes: tuple[str, ...] = ()
    max_axes: int = 0  # 0 = no limit


PROMPT_CAMERA = CameraSupport(style=PROMPT)

# Where a model is in its life at the provider.
AVAILABLE = "available"
DEPRECATED = "deprecated"  # still served, with a shutdown date: shots get a pre-flight warning
RETIRED = "retired"  # no longer served: refused before any money is held


@dataclass(frozen=True)
class Lifecycle:
    status: str = AVAILABLE
    retires_on: datetime.date | None = None  # the announced shutdown (DEPRECATED/RETIRED)
    replacement: str = ""  # the catalog slug to switch to, "" when there is none
    source: str = ""  # where the date was announced, with its confidence tag


@dataclass(frozen=True)
class Capabilities:
    slug: str
    name: str
    provider: str
    api_model: str  # the model id the API expects
    prompt_field: str  # where compile.CompiledRequest.prompt goes in the request
    durations: tuple[int, ...]
    aspect_ratios: tuple[str, ...]
    resolutions: tuple[str, ...]
    camera: CameraSupport = PROMPT_CAMERA
    # The clip takes the hero frame's shape and the request has no ratio field (Kling i2v).
    ratio_follows_first_frame: bool = False
    # Ratios reachable without a hero frame (Runway Gen-4.5 text_to_video takes two); None = all.
    text_to_video_ratios: tuple[str, ...] | None = None
    # Things that force the longest duration (Veo: "1080p", "4k", "references").
    needs_longest_duration_for: tuple[str, ...] = ()
    native_audio: bool = False
    audio_with_last_frame: bool = True
    first_frame: bool = True
    last_frame: bool = False
    last_frame_needs_first: bool = False
    requires_first_frame: bool = False
    max_references: int = 0
    references_with_frames: bool = True
    reference_ratios: tuple[str, ...] | None = None
    seed_range: tuple[int, int] | None = None  # None = no seed
    negative_prompt: bool = False
    negative_prompt_max_chars: int | None = None  # None = no documented limit
    dialogue_languages: tuple[str, ...] = ()
    timestamp_beats: bool = False
    voice_sample: bool = False
    prompt_max_chars: int | None = None  # None = no documented limit
    prompt_required: bool = True
    # Scene extension (Veo 3.1): seconds one "Extend" adds, and the longest clip it can reach;
    # 0 = the model cannot continue a clip it made.
    extend_seconds: int = 0
    extend_max_total_seconds: int = 0
    # A cheap draft that a final can be made from without sending the inputs again (Seedance).
    draft_mode: bool = False
    # Served through an aggregator's catalogue (Higgsfield GET /models): the id the account's
    # catalogue lists; the model is offered only when the account has it. "" = not catalogued.
    catalogue_id: str = ""
    lifecycle: Lifecycle = field(default_factory=Lifecycle)
    notes: tuple[str, ...] = field(default=())

    @property
    def seed(self) -> bool:
        return self.seed_range is not None


T = TypeVar("T")


class UnknownModelError(KeyError):
    """A model slug the catalog does not list."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


def look_up(table: Mapping[str, T], slug: str, *, kind: str, listed_in: str) -> T:
    """`table[slug]`, or UnknownModelError naming what is known (for a developer's eyes)."""
    try:
        return table[slug]
    except KeyError:
        known = ", ".join(table)
        raise UnknownModelError(
            f"Unknown {kind} model {slug!r}; known models ({listed_in}): {known}"
        ) from None


@dataclass(frozen=True)
class StillCapabilities:
    """An image model that makes hero-frame candidates (the guide's Hero Frame First)."""

    slug: str
    name: str
    provider: str  # the provider account (capabilities.provider slugs) whose keys it uses
    api_model: str
    aspect_ratios: tuple[str, ...]
    resolutions: tuple[str, ...]  # the provider's own words ("1K", "2K", "1080p"...)
    max_references: int = 0  # reference images it can take (characters, locations, looks)
    prompt_max_chars: int | None = None
    catalogue_id: str = ""  # as Capabilities.catalogue_id: offered only when listed
    lifecycle: Lifecycle = field(default_factory=Lifecycle)
    notes: tuple[str, ...] = field(default=())
