"""Give every existing take a random request key and tag ledger entries with their provider."""

import uuid

from django.db import migrations


def fill(apps, schema_editor):
    Take = apps.get_model("projects", "Take")
    LedgerEntry = apps.get_model("projects", "LedgerEntry")
    for take in Take.objects.filter(request_key__isnull=True).only("pk").iterator():
        Take.objects.filter(pk=take.pk).update(request_key=uuid.uuid4())
    for provider in Take.objects.values_list("provider", flat=True).distinct():
        LedgerEntry.objects.filter(take__provider=provider, provider="").update(provider=provider)


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_trust")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
