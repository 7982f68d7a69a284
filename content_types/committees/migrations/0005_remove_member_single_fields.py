from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("committees", "0004_member_history_into_records")]

    operations = [
        migrations.RemoveField(model_name="committeemember", name="evaluation_result"),
        migrations.RemoveField(model_name="committeemember", name="evaluation_year"),
        migrations.RemoveField(model_name="committeemember", name="last_training_date"),
    ]
