"""The file's ``notification_channels``: an office's or role's mailbox or group robot."""

from __future__ import annotations

import pytest
import yaml

from site_config.apply import apply_file, plan_file
from site_config.export import export_yaml
from site_config.validation import ConfigError, load_config
from workflows.channels.models import Channel

from .conftest import MINIMAL

pytestmark = pytest.mark.django_db

CHANNELS = """\
notification_channels:
  - code: fengming-dingtalk
    name: 凤鸣社区微治办钉钉群
    type: dingtalk
    address: http://127.0.0.1:9/robot/send?access_token=example
    secret_env: WEIZHI_DINGTALK_SECRET_FENGMING
    scope: fengming
    roles: [community_office]
    events: [case]
  - code: jinxiu-wecom
    name: 锦绣花园业委会企业微信群
    type: wecom
    address: http://127.0.0.1:9/cgi-bin/webhook/send?key=example
    scope: jinxiu
    roles: [owners_committee]
"""


def test_the_file_declares_channels_and_export_round_trips_them(empty_site, write_config):
    apply_file(write_config(MINIMAL + CHANNELS))

    dingtalk, wecom = Channel.objects.order_by("sort_order")
    assert (dingtalk.kind, dingtalk.scope.slug, dingtalk.roles, dingtalk.events) == (
        "dingtalk",
        "fengming",
        ["community_office"],
        ["case"],
    )
    assert dingtalk.secret_env == "WEIZHI_DINGTALK_SECRET_FENGMING"  # the name, never a secret
    assert (wecom.kind, wecom.scope.slug, wecom.events, wecom.active) == (
        "wecom",
        "jinxiu",
        [],
        True,
    )

    exported = write_config(export_yaml(), "exported.yaml")
    assert (
        yaml.safe_load(exported.read_text())["notification_channels"]
        == yaml.safe_load(CHANNELS)["notification_channels"]
    )
    assert plan_file(exported)[1].is_empty

    # A channel switched off is an update; one left out of the file is removed.
    off = CHANNELS.replace(
        "    roles: [owners_committee]\n", "    roles: [owners_committee]\n    active: false\n"
    )
    apply_file(write_config(MINIMAL + off, "off.yaml"))
    assert Channel.objects.get(code="jinxiu-wecom").active is False
    apply_file(write_config(MINIMAL + CHANNELS.split("  - code: jinxiu-wecom")[0], "one.yaml"))
    assert list(Channel.objects.values_list("code", flat=True)) == ["fengming-dingtalk"]


@pytest.mark.parametrize(
    ("replace", "by", "line", "problem"),
    [
        (
            "scope: jinxiu",
            "scope: nowhere",
            32,
            "notification_channels[1].scope：范围“nowhere”不存在",
        ),
        (
            "roles: [community_office]",
            "roles: [owners_committee]",
            26,
            "notification_channels[0].roles[0]：“业委会”授予在小区上，“fengming”是社区",
        ),
        ("type: wecom", "type: sms", 30, "notification_channels[1].type："),
        (
            "address: http://127.0.0.1:9/cgi-bin",
            "address: ftp://127.0.0.1:9/cgi-bin",
            31,
            "notification_channels[1].address：群机器人地址应为 http:// 或 https://",
        ),
        (
            "    scope: jinxiu",
            "    secret_env: WECOM_SECRET\n    scope: jinxiu",
            32,
            "notification_channels[1].secret_env：只有钉钉群机器人使用签名密钥",
        ),
        (
            "    address: http://127.0.0.1:9/cgi-bin/webhook/send?key=example\n",
            "",
            28,
            "notification_channels[1].address：请填写 address 或 address_env 其中之一",
        ),
        (
            "secret_env: WEIZHI_DINGTALK_SECRET_FENGMING",
            "secret_env: 'sk-0123 4567'",
            24,
            "notification_channels[0].secret_env：",
        ),
    ],
)
def test_a_bad_channel_is_refused_at_its_line_and_nothing_changes(
    empty_site, write_config, replace, by, line, problem
):
    assert replace in CHANNELS
    with pytest.raises(ConfigError) as refused:
        load_config(write_config(MINIMAL + CHANNELS.replace(replace, by)))

    [found] = [str(p) for p in refused.value.problems]
    assert found.startswith(f"site.yaml 第{line}行，{problem}"), found
    assert not Channel.objects.exists()


def test_a_robot_whose_address_is_its_key_takes_the_address_from_the_environment(
    empty_site, write_config
) -> None:
    keyed = CHANNELS.replace(
        "address: http://127.0.0.1:9/cgi-bin/webhook/send?key=example",
        "address_env: WEIZHI_WECOM_URL_JINXIU",
    )
    apply_file(write_config(MINIMAL + keyed))

    wecom = Channel.objects.get(code="jinxiu-wecom")
    assert (wecom.address, wecom.address_env) == ("", "WEIZHI_WECOM_URL_JINXIU")
    exported = write_config(export_yaml(), "exported.yaml")
    assert "key=" not in exported.read_text()
    assert plan_file(exported)[1].is_empty
