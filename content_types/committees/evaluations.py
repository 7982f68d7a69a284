"""What an annual evaluation sets going: 不称职 opens the member's withdrawal (退出机制, measure 7).

The step is a ``MemberWithdrawal`` row the community office and Party organisation see on their
dashboard until they start it; opening, starting and cancelling are in the compound's audit log.
"""

from __future__ import annotations

from typing import Any

from wagtail.log_actions import log

from .models import EvaluationGrade, MemberEvaluation, MemberWithdrawal, WithdrawalStatus

LOG_ACTIONS = {
    "committees.withdrawal_open": "考核不称职，开启委员退出程序",
    "committees.withdrawal_cancel": "考核结果更正，撤销委员退出程序",
}


def follow_up(evaluation: MemberEvaluation, user: Any = None) -> MemberWithdrawal | None:
    """Open the withdrawal of a member graded 不称职; a corrected grade cancels one not started."""
    withdrawal = MemberWithdrawal.objects.filter(evaluation=evaluation).first()
    if evaluation.grade == EvaluationGrade.INCOMPETENT:
        if withdrawal is None:
            withdrawal = MemberWithdrawal.objects.create(
                compound_id=evaluation.compound_id,
                evaluation=evaluation,
                member_name=evaluation.member_name,
            )
            log(withdrawal, "committees.withdrawal_open", user=user)
        elif withdrawal.status == WithdrawalStatus.CANCELLED:
            withdrawal.status = WithdrawalStatus.OPEN
            withdrawal.save(update_fields=["status"])
            log(withdrawal, "committees.withdrawal_open", user=user)
    elif withdrawal is not None and withdrawal.status == WithdrawalStatus.OPEN:
        withdrawal.status = WithdrawalStatus.CANCELLED
        withdrawal.save(update_fields=["status"])
        log(withdrawal, "committees.withdrawal_cancel", user=user)
    return withdrawal
