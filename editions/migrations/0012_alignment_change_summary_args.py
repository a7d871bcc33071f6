# The alignment history kept untranslated, with its arguments, translated when shown.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('editions', '0011_mentions'),
    ]

    operations = [
        migrations.AddField(
            model_name='alignmentchange',
            name='summary_args',
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
