"""The rate cards the studio started with, frozen here as they were when this migration was
written: a migration must give the same result whenever it runs, so it never imports live
code (providers.prices changes as providers change their prices; staff edit cards in the admin).
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

# (model, resolution, audio, unit, price, currency, effective, source)
RATE_CARDS = [
    ("previz", "*", None, "second", "0", "USD", "2026-11-01", "local renderer: free"),
    (
        "veo-3.1",
        "720p",
        None,
        "second",
        "0.40",
        "USD",
        "2026-11-01",
        "shared/reference/providers.md §1.6 (3P: ai.google.dev/gemini-api/docs/pricing)",
    ),
    (
        "veo-3.1",
        "1080p",
        None,
        "second",
        "0.40",
        "USD",
        "2026-11-01",
        "shared/reference/providers.md §1.6 (3P: ai.google.dev/gemini-api/docs/pricing)",
    ),
    (
        "veo-3.1",
        "4k",
        None,
        "second",
        "0.60",
        "USD",
        "2026-11-01",
        "shared/reference/providers.md §1.6 (3P: ai.google.dev/gemini-api/docs/pricing)",
    ),
    (
        "veo-3.1-fast",
        "720p",
        None,
        "second",
        "0.15",
        "USD",
        "2026-11-01",
        "shared/reference/providers.md §1.6 (3P: ai.google.dev/gemini-api/docs/pricing)",
    ),
    (
        "veo-3.1-fast",
        "1080p",
        None,
        "second",
        "0.15",
        "USD",
        "2026-11-01",
        "shared/reference/providers.md §1.6 (3P: ai.google.dev/gemini-api/docs/pricing)",
    ),
    (
        "veo-3.1-fast",
        "4k",
        None,
        "second",
        "0.35",
        "USD",
        "2026-11-01",
        "shared/reference/providers.md §1.6 (3P: ai.google.dev/gemini-api/docs/pricing)",
    ),
    (
        "runway-gen4.5",
        "*",
        None,
        "second",
        "0.12",
        "USD",
        "2026-11-01",
        "shared/reference/providers.md §2.8: 12 credits/s × $0.01",
    ),
    (
        "runway-gen4-turbo",
        "*",
        None,
        "second",
        "0.05",
        "USD",
        "2026-11-01",
        "shared/reference/providers.md §2.8: 5 credits/s × $0.01",
    ),
    (
        "seedance-1.5-pro",
        "*",
        True,
        "million_tokens",
        "2.4",
        "USD",
        "2026-11-01",
        "shared/reference/providers.md §4.6: $2.4 per 1M tokens with audio",
    ),
    (
        "seedance-1.5-pro",
        "*",
        False,
        "million_tokens",
        "1.2",
        "USD",
        "2026-11-01",
        "shared/reference/providers.md §4.6: $1.2 per 1M tokens without audio",
    ),
]


def seed(apps, schema_editor):
    RateCard = apps.get_model("projects", "RateCard")
    for model, resolution, audio, unit, price, currency, effective, source in RATE_CARDS:
        RateCard.objects.get_or_create(
            model=model,
            resolution=resolution,
            audio=audio,
            unit=unit,
            effective=date.fromisoformat(effective),
            defaults={"price": Decimal(price), "currency": currency, "source": source},
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
