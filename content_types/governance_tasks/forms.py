"""The form an office posts progress with, and the form that copies a list to a new year."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator

from .models import GovernanceTask, TaskStatus

EVIDENCE_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once, each checked; the count and size limits are the settings'."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        limit = settings.WEIZHI_TASK_EVIDENCE_MAX_FILES
        if len(files) > limit:
            raise forms.ValidationError(f"一次最多上传 {limit} 个佐证材料。")
        biggest = settings.WEIZHI_TASK_EVIDENCE_MAX_BYTES
        cleaned = []
        for upload in files:
            if upload.size > biggest:
                raise forms.ValidationError(
                    f"“{upload.name}”超过 {biggest // (1024 * 1024)} MB，请压缩后再上传。"
                )
            cleaned.append(super().clean(upload, initial))
        return cleaned


class ProgressForm(forms.Form):
    community: forms.ModelChoiceField = forms.ModelChoiceField(
        label="社区",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "只能更新您负责的社区的进展。"},
    )
    status = forms.ChoiceField(label="进展状态", choices=TaskStatus.choices)
    progress_notes = forms.CharField(
        label="进展情况", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    evidence = EvidenceField(
        label="佐证材料",
        required=False,
        validators=[
            FileExtensionValidator(
                EVIDENCE_EXTENSIONS,
                message="佐证材料只接受 PDF、Word、Excel 文件和 JPG、PNG 图片。",
            )
        ],
        help_text="可多选；只有本单位和街道微治办能查看。",
    )

    def __init__(self, *args: Any, task: GovernanceTask, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.task = task
        field: Any = self.fields["community"]
        if task.per_community:
            field.queryset = communities
            field.required = True
            field.error_messages["required"] = "请选择要更新进展的社区。"
        else:
            del self.fields["community"]

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        if status == TaskStatus.ONGOING and not self.task.is_long_term:
            raise forms.ValidationError("只有长期坚持的任务才能标为“长期坚持”状态。")
        return status


class CarryOverForm(forms.Form):
    year = forms.IntegerField(label="复制到年度", min_value=2000, max_value=2100)

    def __init__(self, *args: Any, from_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.from_year = from_year

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year <= self.from_year:
            raise forms.ValidationError(f"请填写{self.from_year}年以后的年度。")
        return year
