import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("projects", "0005_trust_data")]

    operations = [
        migrations.AlterField(
            model_name="take",
            name="request_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
