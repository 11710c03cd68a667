"""ProviderAccount "local" becomes "previz", the previz adapter's own slug (see
projects/migrations/0007_provider_slugs.py)."""

from django.db import migrations

OLD, NEW = "local", "previz"


def rename(old: str, new: str):
    def run(apps, schema_editor):
        ProviderAccount = apps.get_model("studio", "ProviderAccount")
        # The slug is unique: an account already under the new name keeps it.
        if not ProviderAccount.objects.filter(slug=new).exists():
            ProviderAccount.objects.filter(slug=old).update(slug=new)

    return run


class Migration(migrations.Migration):
    dependencies = [("studio", "0002_trust")]

    operations = [migrations.RunPython(rename(OLD, NEW), rename(NEW, OLD))]
