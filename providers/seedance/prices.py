"""Seedance's rate cards and token estimate: it bills tokens (docs/providers.md §4.6)."""

from __future__ import annotations

from decimal import Decimal

from providers.core.prices import ANY, PER_MILLION_TOKENS, PROVIDERS_MD, Rate
from providers.core.spec import ShotSpec

RATE_CARDS: tuple[Rate, ...] = (
    Rate(
        "seedance-1.5-pro",
        ANY,
        True,
        PER_MILLION_TOKENS,
        Decimal("2.4"),
        source=f"{PROVIDERS_MD} §4.6: $2.4 per 1M tokens with audio [V via Comfy docs, 2026]",
    ),
    Rate(
        "seedance-1.5-pro",
        ANY,
        False,
        PER_MILLION_TOKENS,
        Decimal("1.2"),
        source=f"{PROVIDERS_MD} §4.6: $1.2 per 1M tokens silent [V via Comfy docs, 2026]",
    ),
)

# Output pixels per resolution's short side, for token pricing (16:9 long side = 16/9 × short).
SHORT_SIDE = {"480p": 480, "720p": 720, "1080p": 1080, "4k": 2160, "preview": 360}
FPS = 24


def seedance_tokens(spec: ShotSpec, *, draft: bool = False) -> Decimal:
    """tokens ≈ width × height × fps × seconds / 1024 (§4.6).

    A draft renders at 480p whatever the shot asks (§4.3), so it is counted at 480p [I: the
    docs say only that a draft "uses fewer tokens"]; a final made from a draft is counted like
    any clip, at its own resolution and the draft's duration and ratio."""
    short = SHORT_SIDE["480p"] if draft else SHORT_SIDE.get(spec.resolution, 720)
    across, down = (int(part) for part in (spec.aspect_ratio or "16:9").split(":"))
    long_side = round(short * max(across, down) / min(across, down))
    pixels = short * long_side
    return Decimal(pixels * FPS * spec.duration_seconds) / Decimal(1024)
