"""Simple Log Service signature verification (v1 and v4), driven by ``aliyun.log.LogClient``."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from aliyun.log import LogClient, LogException
from aliyun.log.auth import AuthV1

from tests.support.capture import captured_requests, flip_byte, replay
from tests.support.emulator_control import EmulatorControl
from tests.support.sdk import log_client
from tests.support.world import KEYS


def _error(raised: pytest.ExceptionInfo[LogException]) -> tuple[str, int]:
    return raised.value.get_error_code(), raised.value.get_resp_status()


@pytest.mark.parametrize("auth_version", ["v1", "v4"])
def test_sls_request_accepted(emulator: EmulatorControl, auth_version: str) -> None:
    response = log_client(emulator, auth_version=auth_version).list_project(size=10)
    assert response.get_count() >= 0


@pytest.mark.parametrize("auth_version", ["v1", "v4"])
def test_sls_wrong_secret_refused(emulator: EmulatorControl, auth_version: str) -> None:
    client = log_client(emulator, auth_version=auth_version)
    client._auth.credentials_provider.get_credentials().access_key_secret = "not-the-secret"
    with pytest.raises(LogException) as raised:
        client.list_project(size=10)
    assert _error(raised) == ("SignatureNotMatch", 401)


def test_sls_unknown_key_refused(emulator: EmulatorControl) -> None:
    client = log_client(emulator)
    client._auth.credentials_provider.get_credentials().access_key_id = "LTAI-nobody"
    with pytest.raises(LogException) as raised:
        client.list_project(size=10)
    assert _error(raised) == ("Unauthorized", 401)
    assert raised.value.get_error_message() == "AccessKeyId not found: LTAI-nobody"


@pytest.mark.parametrize("auth_version", ["v1", "v4"])
def test_sls_tampered_body_refused(emulator: EmulatorControl, auth_version: str) -> None:
    with captured_requests() as sent:
        log_client(emulator, auth_version=auth_version).create_project("eas-signing-probe", "probe")
    request = sent[-1]
    assert isinstance(request.body, bytes | str) and request.body
    body = request.body.encode() if isinstance(request.body, str) else request.body
    tampered = replay(request, body=flip_byte(body, body.index(b"probe")))
    assert (tampered.status_code, tampered.json()["errorCode"]) == (401, "SignatureNotMatch")


def test_sls_tampered_query_refused(emulator: EmulatorControl) -> None:
    with captured_requests() as sent:
        log_client(emulator).list_project(size=10)
    request = sent[-1]
    assert request.url is not None
    tampered = replay(request, url=request.url.replace("size=10", "size=11"))
    assert (tampered.status_code, tampered.json()["errorCode"]) == (401, "SignatureNotMatch")


def test_sls_stale_date_refused(emulator: EmulatorControl) -> None:
    stale = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    with mock.patch.object(AuthV1, "_getGMT", return_value=stale), pytest.raises(LogException) as raised:
        log_client(emulator).list_project(size=10)
    assert _error(raised) == ("RequestTimeExpired", 400)


def test_sls_sts_token_accepted(emulator: EmulatorControl) -> None:
    client = log_client(emulator, key="eas-role-sts")
    client.create_project("eas-sts-probe", "created with a temporary key")
    assert client.get_project("eas-sts-probe").get_projectname() == "eas-sts-probe"


def test_sls_wrong_sts_token_refused(emulator: EmulatorControl) -> None:
    client = log_client(emulator, key="eas-role-sts")
    client._auth.credentials_provider.get_credentials().security_token = "forged-token"
    with pytest.raises(LogException) as raised:
        client.list_project(size=10)
    assert _error(raised) == ("Unauthorized", 401)
    assert raised.value.get_error_message() == "The security token you provided is invalid."


def test_sls_forward_proxy_mode_reaches_project(emulator: EmulatorControl) -> None:
    client = LogClient("cn-hangzhou.log.aliyuncs.com", *KEYS["owner"][:2], source="tests")
    client._session.trust_env = False
    client._session.proxies = {"http": f"http://127.0.0.1:{emulator.port}"}
    client.create_project("eas-proxy-probe", "reached through the proxy form")
    assert client.get_project("eas-proxy-probe").get_region() == "cn-hangzhou"
