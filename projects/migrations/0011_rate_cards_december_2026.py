"""December 2026: takes and rate cards may name still models (hero-frame candidates), cards
may price per image, and the rate cards as checked against the providers this month.

The rows are written out here, not read from providers/: a migration gives the same result
whenever it runs. Cards are added, never changed: the newest effective card wins, and the
ledger keeps pointing at what was charged before.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations, models

import projects.models.choices

# (model, resolution, audio, unit, price, currency, effective, source)
RATE_CARDS = [
    (
        "previz",
        "*",
        None,
        "second",
        "0",
        "USD",
        "2026-12-01",
        "local renderer: free (no provider bill; 2026-12)",
    ),
    (
        "veo-3.1",
        "720p",
        None,
        "second",
        "0.40",
        "USD",
        "2026-12-01",
        "docs/providers.md §1.6/§9: Veo 3.1 Standard $0.40 720p/1080p, $0.60 4k ([V] via a transcription of ai.google.dev/gemini-api/docs/pricing, 2026-10)",
    ),
    (
        "veo-3.1",
        "1080p",
        None,
        "second",
        "0.40",
        "USD",
        "2026-12-01",
        "docs/providers.md §1.6/§9: Veo 3.1 Standard $0.40 720p/1080p, $0.60 4k ([V] via a transcription of ai.google.dev/gemini-api/docs/pricing, 2026-10)",
    ),
    (
        "veo-3.1",
        "4k",
        None,
        "second",
        "0.60",
        "USD",
        "2026-12-01",
        "docs/providers.md §1.6/§9: Veo 3.1 Standard $0.40 720p/1080p, $0.60 4k ([V] via a transcription of ai.google.dev/gemini-api/docs/pricing, 2026-10)",
    ),
    (
        "veo-3.1-fast",
        "720p",
        None,
        "second",
        "0.10",
        "USD",
        "2026-12-01",
        "docs/providers.md §9: Veo 3.1 Fast $0.10 720p, $0.12 1080p, $0.30 4k ([3P] 2026-07, pointing at ai.google.dev/gemini-api/docs/pricing)",
    ),
    (
        "veo-3.1-fast",
        "1080p",
        None,
        "second",
        "0.12",
        "USD",
        "2026-12-01",
        "docs/providers.md §9: Veo 3.1 Fast $0.10 720p, $0.12 1080p, $0.30 4k ([3P] 2026-07, pointing at ai.google.dev/gemini-api/docs/pricing)",
    ),
    (
        "veo-3.1-fast",
        "4k",
        None,
        "second",
        "0.30",
        "USD",
        "2026-12-01",
        "docs/providers.md §9: Veo 3.1 Fast $0.10 720p, $0.12 1080p, $0.30 4k ([3P] 2026-07, pointing at ai.google.dev/gemini-api/docs/pricing)",
    ),
    (
        "veo-3.1-lite",
        "720p",
        None,
        "second",
        "0.05",
        "USD",
        "2026-12-01",
        "docs/providers.md §9: Veo 3.1 Lite $0.05 720p, $0.08 1080p ([3P] 2026-07; aggregators list 1080p at $0.08 too, 2026-10)",
    ),
    (
        "veo-3.1-lite",
        "1080p",
        None,
        "second",
        "0.08",
        "USD",
        "2026-12-01",
        "docs/providers.md §9: Veo 3.1 Lite $0.05 720p, $0.08 1080p ([3P] 2026-07; aggregators list 1080p at $0.08 too, 2026-10)",
    ),
    (
        "kling-3.0-std",
        "720p",
        False,
        "second",
        "0.084",
        "USD",
        "2026-12-01",
        "docs/providers.md §3.11 [3P citing Kling's billing page, checked 2026-12-01]: $0.084/s at 720p silent",
    ),
    (
        "kling-3.0-std",
        "720p",
        True,
        "second",
        "0.126",
        "USD",
        "2026-12-01",
        "docs/providers.md §3.11 [3P citing Kling's billing page, checked 2026-12-01]: $0.126/s at 720p with audio",
    ),
    (
        "kling-3.0-pro",
        "1080p",
        False,
        "second",
        "0.112",
        "USD",
        "2026-12-01",
        "docs/providers.md §3.11 [3P citing Kling's billing page, checked 2026-12-01]: $0.112/s at 1080p silent",
    ),
    (
        "kling-3.0-pro",
        "1080p",
        True,
        "second",
        "0.168",
        "USD",
        "2026-12-01",
        "docs/providers.md §3.11 [3P citing Kling's billing page, checked 2026-12-01]: $0.168/s at 1080p with audio",
    ),
    (
        "runway-gen4.5",
        "*",
        None,
        "second",
        "0.12",
        "USD",
        "2026-12-01",
        "docs/providers.md §2.8: 12 credits/s × $0.01 [V: runwayml SDK, 2026-07; 2026-12]",
    ),
    (
        "runway-gen4-turbo",
        "*",
        None,
        "second",
        "0.05",
        "USD",
        "2026-12-01",
        "docs/providers.md §2.8: 5 credits/s × $0.01 [V: runwayml SDK, 2026-07; 2026-12]",
    ),
    (
        "seedance-1.5-pro",
        "*",
        True,
        "million_tokens",
        "2.4",
        "USD",
        "2026-12-01",
        "docs/providers.md §4.6: $2.4 per 1M tokens with audio [V via Comfy docs, 2026]",
    ),
    (
        "seedance-1.5-pro",
        "*",
        False,
        "million_tokens",
        "1.2",
        "USD",
        "2026-12-01",
        "docs/providers.md §4.6: $1.2 per 1M tokens silent [V via Comfy docs, 2026]",
    ),
    (
        "previz-still",
        "*",
        None,
        "image",
        "0",
        "USD",
        "2026-12-01",
        "local renderer: free (no provider bill; 2026-12)",
    ),
    (
        "nano-banana-pro",
        "1K",
        None,
        "image",
        "0.134",
        "USD",
        "2026-12-01",
        "ai.google.dev/gemini-api/docs/pricing [3P, 2026-05-29]",
    ),
    (
        "nano-banana-pro",
        "2K",
        None,
        "image",
        "0.134",
        "USD",
        "2026-12-01",
        "ai.google.dev/gemini-api/docs/pricing [3P, 2026-05-29]",
    ),
    (
        "nano-banana-pro",
        "4K",
        None,
        "image",
        "0.24",
        "USD",
        "2026-12-01",
        "ai.google.dev/gemini-api/docs/pricing [3P, 2026-05-29]",
    ),
    (
        "seedream-4.5",
        "*",
        None,
        "image",
        "0.04",
        "USD",
        "2026-12-01",
        "byteplus.com/en/product/Seedream: $0.04 per image at 2K and 4K alike [3P: integrators' rate cards of 2026-04..2026-10; one lists BytePlus at $0.045]",
    ),
    (
        "runway-gen4-image",
        "720p",
        None,
        "image",
        "0.05",
        "USD",
        "2026-12-01",
        "docs.dev.runwayml.com/guides/pricing: 5 credits × $0.01 [3P, 2026-08]",
    ),
    (
        "runway-gen4-image",
        "1080p",
        None,
        "image",
        "0.08",
        "USD",
        "2026-12-01",
        "docs.dev.runwayml.com/guides/pricing: 8 credits × $0.01 [3P, 2026-08]",
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
    dependencies = [("projects", "0010_take_kind_extends_still")]

    operations = [
        migrations.AlterField(
            model_name="ratecard",
            name="model",
            field=models.CharField(choices=projects.models.choices.take_models, max_length=40),
        ),
        migrations.AlterField(
            model_name="ratecard",
            name="unit",
            field=models.CharField(
                choices=[
                    ("second", "per second"),
                    ("million_tokens", "per million tokens"),
                    ("unit", "per unit"),
                    ("image", "per image"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="take",
            name="model",
            field=models.CharField(choices=projects.models.choices.take_models, max_length=40),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
