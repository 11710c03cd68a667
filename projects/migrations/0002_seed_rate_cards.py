from django.db import migrations


def seed(apps, schema_editor):
    from providers.prices import RATE_CARDS

    RateCard = apps.get_model("projects", "RateCard")
    for rate in RATE_CARDS:
        RateCard.objects.get_or_create(
            model=rate.model,
            resolution=rate.resolution,
            audio=rate.audio,
            unit=rate.unit,
            effective=rate.effective,
            defaults={"price": rate.price, "currency": rate.currency, "source": rate.source},
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
