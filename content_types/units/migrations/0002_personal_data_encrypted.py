"""Owners' names and phones held in encrypted columns, and a column for the keyed phone digest.

The rows are converted by 0003: on PostgreSQL a migration that changes rows must not also
change the schema (the index added here would wait on the rows' pending trigger events).
"""

from django.db import migrations, models

import content_types.accounts.personal_data


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="owner_phone_digest",
            field=models.CharField(
                db_index=True,
                default="",
                editable=False,
                max_length=64,
                verbose_name="业主手机号摘要",
            ),
        ),
        migrations.AlterField(
            model_name="unit",
            name="owner_name",
            field=content_types.accounts.personal_data.EncryptedCharField(
                max_length=100, verbose_name="业主姓名"
            ),
        ),
        migrations.AlterField(
            model_name="unit",
            name="owner_phone",
            field=content_types.accounts.personal_data.EncryptedCharField(
                help_text="业主个人信息，不对外公开；网络投票时用于核验身份（手机号后四位）。",
                max_length=30,
                verbose_name="业主手机号",
            ),
        ),
    ]
