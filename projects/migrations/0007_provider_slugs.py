"""The previz provider's slug was "local" in the settings and the books while its adapter said
"previz"; the adapter's own slug is now the one name. Every column that stores a provider slug
follows (ProviderAccount is studio/migrations/0003_provider_slugs.py)."""

from django.db import migrations

OLD, NEW = "local", "previz"
# model -> the field holding a provider slug
COLUMNS = {"Take": "provider", "LedgerEntry": "provider", "ProviderSpend": "provider"}


def rename(old: str, new: str):
    def run(apps, schema_editor):
        for model, field in COLUMNS.items():
            # "previz" was never a provider slug before, so no row (nor ProviderSpend's one row
            # per provider and month) can already hold the new name.
            apps.get_model("projects", model).objects.filter(**{field: old}).update(**{field: new})

    return run


class Migration(migrations.Migration):
    dependencies = [("projects", "0006_take_request_key_unique")]

    operations = [migrations.RunPython(rename(OLD, NEW), rename(NEW, OLD))]
