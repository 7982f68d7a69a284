"""Re-encrypt every encrypted value with the newest key, so an older key can be retired.

Put the new key first in WEIZHI_FIELD_ENCRYPTION_KEYS, keep the old ones after it, run this,
then remove the old ones.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from content_types.accounts.personal_data import encrypted_fields

BATCH = 1000


class Command(BaseCommand):
    help = "用最新的密钥重新加密全部个人信息；之后可从 WEIZHI_FIELD_ENCRYPTION_KEYS 删去旧密钥。"

    def handle(self, *args: Any, **options: Any) -> None:
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if not fields:
                continue
            rows = model._base_manager.only("pk", *fields).order_by("pk")
            done, last = 0, None
            with transaction.atomic():
                # Read decrypts under any key; writing encrypts under the newest.
                while batch := list((rows.filter(pk__gt=last) if last else rows)[:BATCH]):
                    model._base_manager.bulk_update(batch, fields)
                    done, last = done + len(batch), batch[-1].pk
            self.stdout.write(f"{model._meta.verbose_name}：已重新加密 {done} 条。")
