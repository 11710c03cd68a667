"""The boundary between the film app and providers: a shot described once, as plain data.

`projects` builds a `ShotSpec` from its Shot row; everything in `providers` reads only this.
Values are not validated here on purpose: a half-edited shot must still reach
`preflight.check_shot`, which turns problems into form messages instead of exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from providers.core.catalog import CAMERA_AXES


@dataclass(frozen=True)
class CameraMove:
    """Six axes, each an integer in catalog.CAMERA_RANGE (-10..+10).

    Sign convention (shared by every translation in camera.py):
    pan +right/-left, tilt +up/-down, roll +clockwise/-counter-clockwise,
    zoom +in/-out, truck +right/-left, dolly +in (towards the subject)/-out.
    """

    pan: int = 0
    tilt: int = 0
    roll: int = 0
    zoom: int = 0
    truck: int = 0
    dolly: int = 0

    @property
    def is_static(self) -> bool:
        return not self.nonzero_axes()

    def nonzero_axes(self) -> list[str]:
        """Moving axes in catalog order."""
        return [axis for axis in CAMERA_AXES if getattr(self, axis)]

    def as_dict(self) -> dict[str, int]:
        return {axis: getattr(self, axis) for axis in CAMERA_AXES}


@dataclass(frozen=True)
class DialogueLine:
    """One spoken line. An empty speaker means the shot's subject speaks."""

    speaker: str
    text: str
    language: str = "en"


@dataclass(frozen=True)
class Beat:
    """Something that happens at a moment of the shot, e.g. (at 2s) she turns."""

    at_seconds: float
    action: str


@dataclass(frozen=True)
class ShotSpec:
    label: str
    subject: str
    action: str
    context: str
    style: str
    shot_size: str  # catalog.SHOT_SIZES slug, or "" when the shot leaves framing open
    camera_angle: str  # catalog.CAMERA_ANGLES slug, or ""
    lens_mm: int | None
    duration_seconds: int
    aspect_ratio: str  # catalog.ASPECT_RATIOS value
    resolution: str = "720p"
    audio: bool = False
    dialogue: tuple[DialogueLine, ...] = ()
    sound_effects: str = ""
    ambience: str = ""
    beats: tuple[Beat, ...] = ()
    camera: CameraMove = field(default_factory=CameraMove)
    has_hero_frame: bool = False
    has_last_frame: bool = False
    reference_count: int = 0
    has_voice_sample: bool = False
    negative_prompt: str = ""
    seed: int | None = None
    motion_preset: str = ""  # motions.MOTIONS slug, e.g. "crane_up"
    # Free words qualifying the move ("that shakes with the impact"); appended to the camera
    # phrase because no slider can say how a handheld shot should feel.
    camera_notes: str = ""
