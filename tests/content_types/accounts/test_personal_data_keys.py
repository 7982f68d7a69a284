"""Without valid keys for owners' personal data the site refuses to start."""

from __future__ import annotations

from django.test import SimpleTestCase, override_settings

from content_types.accounts.checks import personal_data_keys_check


class PersonalDataKeysCheckTest(SimpleTestCase):
    def ids(self) -> list[str]:
        return [error.id for error in personal_data_keys_check()]

    def test_the_test_settings_pass(self) -> None:
        assert self.ids() == []

    @override_settings(WEIZHI_FIELD_ENCRYPTION_KEYS=[], WEIZHI_PERSONAL_DATA_DIGEST_KEY="")
    def test_missing_keys_are_refused(self) -> None:
        assert self.ids() == ["weizhi.E002", "weizhi.E004"]

    @override_settings(WEIZHI_FIELD_ENCRYPTION_KEYS=["not-a-fernet-key"])
    def test_a_malformed_key_is_refused_by_position(self) -> None:
        [error] = personal_data_keys_check()
        assert error.id == "weizhi.E003" and "第 1 个密钥" in error.msg
