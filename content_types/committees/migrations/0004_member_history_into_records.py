"""Carry each member's single training date and evaluation into the new records.

A member's last training date becomes their attendance at a training session of that day
(one session per compound and date, named as carried over); their evaluation becomes the
record of its year, the old grades read as the policy's (合格 → 称职, 基本合格 → 基本称职,
不合格 → 不称职), and a 不称职 opens the withdrawal step as a new one would. Going back
writes the latest of each into the fields again.
"""

from django.db import migrations

GRADES = {"pass": "competent", "basic_pass": "basically_competent", "fail": "incompetent"}
BACK = {new: old for old, new in GRADES.items()}
CARRIED_TOPIC = "培训（由原“最近一次培训日期”迁入）"


def forwards(apps, schema_editor):
    member_model = apps.get_model("committees", "CommitteeMember")
    session_model = apps.get_model("committees", "TrainingSession")
    attendance_model = apps.get_model("committees", "TrainingAttendance")
    evaluation_model = apps.get_model("committees", "MemberEvaluation")
    withdrawal_model = apps.get_model("committees", "MemberWithdrawal")
    sessions = {}
    members = member_model.objects.select_related("committee").order_by("pk")
    for member in members.filter(last_training_date__isnull=False):
        key = (member.committee.compound_id, member.last_training_date)
        if key not in sessions:
            sessions[key] = session_model.objects.create(
                compound_id=key[0], date=key[1], topic=CARRIED_TOPIC, organiser="（未记录）"
            )
        attendance_model.objects.create(
            session=sessions[key], member=member, member_name=member.name
        )
    for member in members.filter(evaluation_year__isnull=False).exclude(evaluation_result=""):
        evaluation = evaluation_model.objects.create(
            compound_id=member.committee.compound_id,
            member=member,
            member_name=member.name,
            year=member.evaluation_year,
            grade=GRADES[member.evaluation_result],
        )
        if evaluation.grade == "incompetent":
            withdrawal_model.objects.create(
                compound_id=evaluation.compound_id,
                evaluation=evaluation,
                member_name=member.name,
            )


def backwards(apps, schema_editor):
    member_model = apps.get_model("committees", "CommitteeMember")
    attendance_model = apps.get_model("committees", "TrainingAttendance")
    evaluation_model = apps.get_model("committees", "MemberEvaluation")
    for member in member_model.objects.all():
        last = (
            attendance_model.objects.filter(member=member).order_by("-session__date").first()
        )
        evaluation = evaluation_model.objects.filter(member=member).order_by("-year").first()
        member.last_training_date = last.session.date if last else None
        member.evaluation_year = evaluation.year if evaluation else None
        member.evaluation_result = BACK.get(evaluation.grade, "pass") if evaluation else ""
        member.save(update_fields=["last_training_date", "evaluation_year", "evaluation_result"])


class Migration(migrations.Migration):
    dependencies = [("committees", "0003_committee_records")]

    operations = [migrations.RunPython(forwards, backwards)]
