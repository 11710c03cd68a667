"""The shared vocabulary of a shot: model slugs, shot sizes, angles, aspect ratios.

Plain data so that `projects` (the film) and `providers` (how a shot becomes video) agree on
values without importing each other's code. Capabilities per model live in `capabilities.py`.
"""

from __future__ import annotations

# (slug, label). Slugs are stored on shots: never rename one without a data migration.
VIDEO_MODELS: list[tuple[str, str]] = [
    ("previz", "Previz (local, free)"),
    ("veo-3.1", "Google Veo 3.1"),
    ("veo-3.1-fast", "Google Veo 3.1 Fast"),
    ("veo-3.1-lite", "Google Veo 3.1 Lite"),
    ("kling-2.6-std", "Kling 2.6 Standard"),
    ("kling-2.6-pro", "Kling 2.6 Pro"),
    ("kling-3.0-std", "Kling 3.0 Standard"),
    ("kling-3.0-pro", "Kling 3.0 Pro"),
    ("runway-gen4.5", "Runway Gen-4.5"),
    ("runway-gen4-turbo", "Runway Gen-4 Turbo"),
    ("seedance-1.5-pro", "Seedance 1.5 Pro"),
    ("higgsfield-dop-lite", "Higgsfield DoP Lite"),
    ("higgsfield-dop-turbo", "Higgsfield DoP Turbo"),
    ("higgsfield-dop-standard", "Higgsfield DoP Standard"),
    # Hosted by Higgsfield, offered only when the account's catalogue lists them.
    ("higgsfield-veo-3.1", "Veo 3.1 via Higgsfield"),
    ("higgsfield-kling-3.0", "Kling 3.0 via Higgsfield"),
    ("higgsfield-seedance-1.5", "Seedance 1.5 via Higgsfield"),
]
DEFAULT_MODEL = "previz"

# Image models that make hero-frame candidates (providers/stills.py has what each accepts).
# Slugs are stored on takes: never rename one without a data migration.
STILL_MODELS: list[tuple[str, str]] = [
    ("previz-still", "Previz still (local, free)"),
    ("nano-banana-pro", "Nano Banana Pro (Gemini 3 Pro Image)"),
    ("seedream-4.5", "Seedream 4.5"),
    ("runway-gen4-image", "Runway Gen-4 Image"),
    ("higgsfield-soul", "Higgsfield Soul"),
]

# Provider accounts (capabilities.provider slugs) as filmmakers call them.
PROVIDER_NAMES: dict[str, str] = {
    "previz": "Previz",
    "google-veo": "Veo",
    "kling": "Kling",
    "runway": "Runway",
    "seedance": "Seedance",
    "higgsfield": "Higgsfield",
}


def provider_name(slug: str) -> str:
    return PROVIDER_NAMES.get(slug, slug.replace("-", " ").title() or "The provider")


SHOT_SIZES: list[tuple[str, str]] = [
    ("ecu", "Extreme close-up"),
    ("cu", "Close-up"),
    ("mcu", "Medium close-up"),
    ("ms", "Medium shot"),
    ("mls", "Medium long shot"),
    ("ls", "Long shot"),
    ("ws", "Wide shot"),
    ("ews", "Extreme wide shot"),
]

CAMERA_ANGLES: list[tuple[str, str]] = [
    ("eye", "Eye level"),
    ("low", "Low angle"),
    ("high", "High angle"),
    ("overhead", "Overhead"),
    ("dutch", "Dutch angle"),
    ("pov", "Point of view"),
    ("ots", "Over the shoulder"),
]

ASPECT_RATIOS: list[tuple[str, str]] = [
    ("16:9", "16:9 landscape"),
    ("9:16", "9:16 portrait"),
    ("1:1", "1:1 square"),
    ("4:3", "4:3"),
    ("21:9", "21:9 scope"),
]

# The six axes of a camera move, each an integer in CAMERA_RANGE.
CAMERA_AXES: tuple[str, ...] = ("pan", "tilt", "roll", "zoom", "truck", "dolly")
CAMERA_RANGE: tuple[int, int] = (-10, 10)

DIALOGUE_LANGUAGES: list[tuple[str, str]] = [
    ("en", "English"),
    ("zh", "Chinese"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("fr", "French"),
    ("es", "Spanish"),
]


def label_for(choices: list[tuple[str, str]], value: str) -> str:
    """The human label of a choice value, or the value itself when unknown."""
    return dict(choices).get(value, value)


def describe_camera(moves: dict[str, int]) -> str:
    """A short human summary such as "pan +3, dolly -5", or "static"."""
    parts = [f"{axis} {moves[axis]:+d}" for axis in CAMERA_AXES if moves.get(axis)]
    return ", ".join(parts) if parts else "static"
