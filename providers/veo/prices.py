"""Veo's rate cards: per second, by resolution (docs/providers.md §1.6)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from providers.core.prices import PER_SECOND, PROVIDERS_MD, Rate

EFFECTIVE = datetime.date(2026, 12, 1)
# Google's own pricing page (ai.google.dev/gemini-api/docs/pricing) was not in what we could
# search on 2026-12-06; each number says where it comes from and how sure we are.
STANDARD = (
    f"{PROVIDERS_MD} §1.6/§9: Veo 3.1 Standard $0.40 720p/1080p, $0.60 4k "
    "([V] via a transcription of ai.google.dev/gemini-api/docs/pricing, 2026-10)"
)
FAST = (
    f"{PROVIDERS_MD} §9: Veo 3.1 Fast $0.10 720p, $0.12 1080p, $0.30 4k "
    "([3P] 2026-07, pointing at ai.google.dev/gemini-api/docs/pricing)"
)
LITE = (
    f"{PROVIDERS_MD} §9: Veo 3.1 Lite $0.05 720p, $0.08 1080p "
    "([3P] 2026-07; aggregators list 1080p at $0.08 too, 2026-10)"
)


def _veo(model: str, source: str, **by_resolution: str) -> list[Rate]:
    return [
        Rate(
            model,
            resolution.removeprefix("r"),
            None,
            PER_SECOND,
            Decimal(price),
            effective=EFFECTIVE,
            source=source,
        )
        for resolution, price in by_resolution.items()
    ]


RATE_CARDS: tuple[Rate, ...] = (
    *_veo("veo-3.1", STANDARD, r720p="0.40", r1080p="0.40", r4k="0.60"),
    *_veo("veo-3.1-fast", FAST, r720p="0.10", r1080p="0.12", r4k="0.30"),
    *_veo("veo-3.1-lite", LITE, r720p="0.05", r1080p="0.08"),
)
