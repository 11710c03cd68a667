"""Choices that follow the catalog (providers.core.catalog, providers.core.motions) as it grows.

Fields name these functions instead of the lists, so a migration records the function, not
the values: adding a video model, a move or an aspect ratio costs no migration. The values are
still checked on every form and full_clean(). Keep the names: migrations refer to them.
"""

from __future__ import annotations

from providers.core import catalog
from providers.core.motions import MOTIONS

RESOLUTIONS = [
    ("preview", "Preview"),
    ("480p", "480p"),
    ("720p", "720p"),
    ("1080p", "1080p"),
    ("4k", "4K"),
]


def video_models() -> list[tuple[str, str]]:
    return list(catalog.VIDEO_MODELS)


def still_models() -> list[tuple[str, str]]:
    return list(catalog.STILL_MODELS)


def take_models() -> list[tuple[str, str]]:
    """What a take (or a rate card) may name: a video model, or a still model for a hero-frame
    candidate."""
    return video_models() + still_models()


def aspect_ratios() -> list[tuple[str, str]]:
    return list(catalog.ASPECT_RATIOS)


def shot_sizes() -> list[tuple[str, str]]:
    return list(catalog.SHOT_SIZES)


def camera_angles() -> list[tuple[str, str]]:
    return list(catalog.CAMERA_ANGLES)


def dialogue_languages() -> list[tuple[str, str]]:
    return list(catalog.DIALOGUE_LANGUAGES)


def resolutions() -> list[tuple[str, str]]:
    return list(RESOLUTIONS)


def motions() -> list[tuple[str, str]]:
    return [("", "None (use the sliders)")] + [(m.slug, m.name) for m in MOTIONS.values()]


def prompt_families() -> list[tuple[str, str]]:
    """Models that share a prompt formula, and so a prompt template (design.compile)."""
    from providers.design.compile import FAMILIES

    return [(key, family.name) for key, family in FAMILIES.items()]
