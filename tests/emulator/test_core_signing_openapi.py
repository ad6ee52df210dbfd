"""OpenAPI signature verification, driven by the Tea SDK over loopback."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from alibabacloud_resourcemanager20200331 import models as rm_models
from alibabacloud_resourcemanager20200331.client import Client as ResourceManagerClient
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_tea_openapi.utils import Utils

from tests.support.capture import captured_requests, flip_byte, replay
from tests.support.emulator_control import EmulatorControl
from tests.support.sdk import generic_roa, tea_config

RM_VERSION = "2020-03-31"


def _rm(emulator: EmulatorControl, key: str = "owner", **config: object) -> ResourceManagerClient:
    return ResourceManagerClient(tea_config(emulator, key, **config))


def _list_roles(client: ResourceManagerClient) -> dict[str, object]:
    return dict(client.list_roles(rm_models.ListRolesRequest(page_size=5)).body.to_map())


def test_acs3_request_accepted(emulator: EmulatorControl) -> None:
    assert _list_roles(_rm(emulator))["TotalCount"] == 0


def test_acs3_wrong_secret_refused(emulator: EmulatorControl) -> None:
    with pytest.raises(ClientException) as raised:
        _list_roles(_rm(emulator, access_key_secret="not-the-secret"))
    assert (raised.value.code, raised.value.status_code) == ("SignatureDoesNotMatch", 400)


def test_acs3_unknown_key_refused(emulator: EmulatorControl) -> None:
    with pytest.raises(ClientException) as raised:
        _list_roles(_rm(emulator, access_key_id="LTAI-nobody"))
    assert (raised.value.code, raised.value.status_code) == ("InvalidAccessKeyId.NotFound", 404)


def test_acs3_tampered_query_refused(emulator: EmulatorControl) -> None:
    with captured_requests() as sent:
        _list_roles(_rm(emulator))
    request = sent[-1]
    assert request.url is not None and "?" in request.url
    tampered = replay(request, url=flip_byte(request.url, len(request.url) - 1))
    assert (tampered.status_code, tampered.json()["Code"]) == (400, "SignatureDoesNotMatch")


def test_acs3_tampered_body_refused(emulator: EmulatorControl) -> None:
    with captured_requests() as sent:
        _list_roles(_rm(emulator))
    tampered = replay(
        sent[-1], body=b"PageSize=5", headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert (tampered.status_code, tampered.json()["Code"]) == (400, "SignatureDoesNotMatch")


def test_acs3_reused_nonce_refused(emulator: EmulatorControl) -> None:
    with captured_requests() as sent:
        _list_roles(_rm(emulator))
    again = replay(sent[-1])
    assert (again.status_code, again.json()["Code"]) == (400, "SignatureNonceUsed")


def test_acs3_stale_timestamp_refused(emulator: EmulatorControl) -> None:
    stale = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with (
        mock.patch.object(Utils, "get_timestamp", return_value=stale),
        pytest.raises(ClientException) as raised,
    ):
        _list_roles(_rm(emulator))
    assert (raised.value.code, raised.value.status_code) == ("InvalidTimeStamp.Expired", 400)


def test_acs3_sts_token_accepted(emulator: EmulatorControl) -> None:
    # The role may not call RAM actions: reaching the policy check proves the token was accepted.
    with pytest.raises(ClientException) as raised:
        _list_roles(_rm(emulator, "eas-role-sts"))
    assert raised.value.code == "Forbidden.RAM"


def test_acs3_wrong_sts_token_refused(emulator: EmulatorControl) -> None:
    with pytest.raises(ClientException) as raised:
        _list_roles(_rm(emulator, "eas-role-sts", security_token="forged-token"))
    assert (raised.value.code, raised.value.status_code) == (
        "InvalidSecurityToken.MismatchWithAccessKey",
        400,
    )


def test_rpc_v1_request_accepted(emulator: EmulatorControl) -> None:
    assert _list_roles(_rm(emulator, signature_algorithm="v2"))["TotalCount"] == 0


def test_rpc_v1_tampered_query_refused(emulator: EmulatorControl) -> None:
    with captured_requests() as sent:
        _list_roles(_rm(emulator, signature_algorithm="v2"))
    request = sent[-1]
    assert request.url is not None
    url = request.url.replace("PageSize=5", "PageSize=6")
    tampered = replay(request, url=url)
    assert (tampered.status_code, tampered.json()["Code"]) == (400, "SignatureDoesNotMatch")


def test_rpc_v1_reused_nonce_refused(emulator: EmulatorControl) -> None:
    with captured_requests() as sent:
        _list_roles(_rm(emulator, signature_algorithm="v2"))
    again = replay(sent[-1])
    assert (again.status_code, again.json()["Code"]) == (400, "SignatureNonceUsed")


def test_rpc_v1_wrong_sts_token_refused(emulator: EmulatorControl) -> None:
    with pytest.raises(ClientException) as raised:
        _list_roles(_rm(emulator, "eas-role-sts", security_token="forged-token", signature_algorithm="v2"))
    assert raised.value.code == "InvalidSecurityToken.MismatchWithAccessKey"


def test_roa_v1_request_accepted(emulator: EmulatorControl) -> None:
    body = generic_roa(
        tea_config(emulator, signature_algorithm="v2"),
        RM_VERSION,
        "ListRoles",
        "GET",
        "/",
        query={"PageSize": "5"},
    )
    assert body["PageSize"] == 5


def test_roa_v1_wrong_secret_refused(emulator: EmulatorControl) -> None:
    config = tea_config(emulator, signature_algorithm="v2", access_key_secret="not-the-secret")
    with pytest.raises(ClientException) as raised:
        generic_roa(config, RM_VERSION, "ListRoles", "GET", "/")
    assert (raised.value.code, raised.value.status_code) == ("SignatureDoesNotMatch", 400)


def test_roa_v1_tampered_header_refused(emulator: EmulatorControl) -> None:
    with captured_requests() as sent:
        generic_roa(tea_config(emulator, signature_algorithm="v2"), RM_VERSION, "ListRoles", "GET", "/")
    tampered = replay(
        sent[-1], headers={"x-acs-signature-nonce": flip_byte(sent[-1].headers["x-acs-signature-nonce"], 0)}
    )
    assert (tampered.status_code, tampered.json()["Code"]) == (400, "SignatureDoesNotMatch")
