"""Existing tasks join the list of their year, their offices and, where the policy says so,
a status per community.

The year of the existing list is that of its earliest dated deadline (the policy's list is
2023's). Tasks 2, 6 and 8 of 附件1 are done community by community; each community starts
from the status the task had. The site configuration's marks follow the tasks' new keys
(year/number).
"""

from django.db import migrations
from django.utils import timezone

# Task number → the start of its measure in 附件1: only the policy's own rows are split.
PER_COMMUNITY = {2: "各社区成立", 6: "探索建立小区专员制度", 8: "完善小区议事协商规则"}


def _names(text):
    return [name.strip() for name in text.replace("，", "、").split("、") if name.strip()]


def forward(apps, schema_editor):
    task_model = apps.get_model("governance_tasks", "GovernanceTask")
    status_model = apps.get_model("governance_tasks", "CommunityTaskStatus")
    office_model = apps.get_model("site_config", "Office")
    community_model = apps.get_model("structure", "CommunityPage")
    managed_model = apps.get_model("site_config", "ManagedObject")
    tasks = list(task_model.objects.filter(year__isnull=True))
    if not tasks:
        return
    dated = [task.deadline_month.year for task in tasks if task.deadline_month]
    year = min(dated) if dated else timezone.localdate().year
    offices = {office.name: office for office in office_model.objects.all()}
    communities = list(community_model.objects.all())
    for task in tasks:
        task.year = year
        start = PER_COMMUNITY.get(task.number)
        task.per_community = bool(start and task.measure.startswith(start))
        task.save(update_fields=["year", "per_community"])
        task.offices.set(
            [offices[name] for name in _names(task.responsible_offices) if name in offices]
        )
        if task.per_community:
            status_model.objects.bulk_create(
                status_model(
                    task=task,
                    community=community,
                    status=task.status,
                    progress_notes=task.progress_notes,
                )
                for community in communities
            )
    for mark in managed_model.objects.filter(kind="governance_task").exclude(key__contains="/"):
        mark.key = f"{year}/{mark.key}"
        mark.save(update_fields=["key"])


def backward(apps, schema_editor):
    managed_model = apps.get_model("site_config", "ManagedObject")
    for mark in managed_model.objects.filter(kind="governance_task", key__contains="/"):
        mark.key = mark.key.split("/", 1)[1]
        mark.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [
        ("governance_tasks", "0002_task_years_offices_and_progress"),
        ("site_config", "0005_office_users"),
        ("structure", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
