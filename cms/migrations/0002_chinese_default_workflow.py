"""Wagtail's migrations create a default workflow and task named "Moderators approval", which
the editor's action menu shows as 提交给Moderators approval: give both a Chinese name."""

from django.db import migrations

ENGLISH, CHINESE = "Moderators approval", "审核员组审批"


def rename(apps, schema_editor, old: str, new: str) -> None:
    for model in ("Workflow", "Task"):
        apps.get_model("wagtailcore", model).objects.filter(name=old).update(name=new)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, editor: rename(apps, editor, ENGLISH, CHINESE),
            lambda apps, editor: rename(apps, editor, CHINESE, ENGLISH),
        )
    ]
