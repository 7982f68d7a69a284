"""The upload form: a compound within the user's reach, and an .xlsx file that opens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms

if TYPE_CHECKING:
    from .importers import Importer, User

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    compound: forms.ModelChoiceField = forms.ModelChoiceField(
        label="小区",
        queryset=None,
        empty_label="请选择小区",
        error_messages={
            "required": "请选择导入到哪个小区。",
            "invalid_choice": "只能导入到您负责范围内的小区。",
        },
    )
    file = forms.FileField(
        label="Excel 文件",
        help_text="请使用导入模板（.xlsx）填写，第 1 行为表头。整个文件没有任何问题才会导入。",
        error_messages={"required": "请选择要上传的 Excel 文件。", "empty": "上传的文件是空的。"},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args: Any, importer: Importer, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        compound = cast("forms.ModelChoiceField", self.fields["compound"])
        compound.queryset = importer.compounds_for(user).order_by("path")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                "只支持 Excel 2007 及以上版本的 .xlsx 文件；"
                ".xls、.csv 等请在 Excel 中另存为 .xlsx。"
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件超过 20 MB，请分成几个文件导入。")
        return upload
