"""Fixtures the API's tests share."""

import pytest
from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask


@pytest.fixture
def review_chain(db):
    """A one-step review chain, for pages that wait in review with a live version."""
    workflow = Workflow.objects.create(name="测试审核流程")
    task = GroupApprovalTask.objects.create(name="业委会初审")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow
