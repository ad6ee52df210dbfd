"""Request parsing: parameter unflattening, request targets, SLS hosts."""

from __future__ import annotations

import pytest

from emulator.core.api import ApiError, Params
from emulator.core.http import split_target
from emulator.core.routing import sls_host
from emulator.core.wire import unflatten


def test_unflatten_builds_one_based_list() -> None:
    assert unflatten([("SecurityGroupId.1", "sg-a"), ("SecurityGroupId.2", "sg-b")]) == {
        "SecurityGroupId": ["sg-a", "sg-b"]
    }


def test_unflatten_keeps_gaps_of_sparse_list() -> None:
    params = unflatten([("Name.3", "c"), ("Name.1", "a")])
    assert params == {"Name": ["a", None, "c"]}
    assert Params(params).list("Name") == ["a", "c"]


def test_unflatten_builds_list_of_dicts() -> None:
    params = unflatten([("Zone.1.VSwitchId", "vsw-1"), ("Zone.1.ZoneId", "z-j"), ("Zone.2.ip", "10.0.0.5")])
    assert params == {"Zone": [{"VSwitchId": "vsw-1", "ZoneId": "z-j"}, {"ip": "10.0.0.5"}]}


def test_unflatten_nests_lists_inside_items() -> None:
    assert unflatten([("Rule.1.Port.2", "443")]) == {"Rule": [{"Port": [None, "443"]}]}


def test_unflatten_keeps_dotted_names_without_index() -> None:
    assert unflatten([("Tag.Key", "k")]) == {"Tag.Key": "k"}


@pytest.mark.parametrize("text", ["True", "true", "TRUE", "1"])
def test_params_bool_parses_case_insensitively(text: str) -> None:
    assert Params({"DryRun": text}).bool("DryRun") is True


def test_params_bool_rejects_other_text() -> None:
    with pytest.raises(ApiError) as raised:
        Params({"DryRun": "maybe"}).bool("DryRun")
    assert raised.value.code == "InvalidParameter"


def test_split_target_strips_absolute_form() -> None:
    assert split_target("http://p1.cn-hangzhou.log.aliyuncs.com:80/logstores/a%20b?x=1") == (
        "/logstores/a%20b",
        "x=1",
    )


def test_split_target_keeps_origin_form() -> None:
    assert split_target("/?Action=X") == ("/", "Action=X")


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("eas-p.127.0.0.1", ("eas-p", None)),
        ("127.0.0.1", (None, None)),
        ("localhost", (None, None)),
        ("eas-p.localhost", ("eas-p", None)),
        ("eas-p.cn-hangzhou.log.aliyuncs.com", ("eas-p", "cn-hangzhou")),
        ("cn-hangzhou.log.aliyuncs.com", (None, "cn-hangzhou")),
        ("eas-p.cn-shanghai-intranet.log.aliyuncs.com:80", ("eas-p", "cn-shanghai")),
    ],
)
def test_sls_host_names_project_and_region(host: str, expected: tuple[str | None, str | None]) -> None:
    assert sls_host(host) == expected
