"""The environments' settings: Chinese by default, production secure or refusing to start."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.smoke
def test_users_see_chinese_in_shanghai_time() -> None:
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.WAGTAIL_SITE_NAME == "微治"


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = run_manage(
        "check", DJANGO_SETTINGS_MODULE="cms.settings.production", ALLOWED_HOSTS="weizhi.example"
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "生产环境" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts() -> None:
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_to_start_without_the_personal_data_keys() -> None:
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="weizhi.example",
    )
    assert result.returncode != 0
    assert "WEIZHI_FIELD_ENCRYPTION_KEYS" in result.stderr
    assert "WEIZHI_PERSONAL_DATA_DIGEST_KEY" in result.stderr


def test_production_passes_the_deployment_checklist_without_warnings() -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="weizhi.example",
        WEIZHI_FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        WEIZHI_PERSONAL_DATA_DIGEST_KEY=secrets.token_urlsafe(40),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_make_run_reaches_group_robots_on_this_machine_only() -> None:
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.WEIZHI_CHANNEL_HOSTS)",
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "('127.0.0.1', 'localhost', '::1')"
