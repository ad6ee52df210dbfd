"""Settings of the client layer and the credential-value rules (no network)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from alicloud.ack import Kubeconfig
from alicloud.clients import Clients
from alicloud.credentials import CredentialValues, credential_client
from alicloud.errors import AuthError
from alicloud.settings import Settings


def test_settings_defaults() -> None:
    settings = Settings()

    assert (settings.endpoint, settings.region, settings.as_role) == ("", "cn-hangzhou", False)
    assert (settings.connect_timeout_s, settings.read_timeout_s, settings.retry_deadline_s) == (
        5.0,
        15.0,
        20.0,
    )
    assert settings.role_service_name == "customerclusters.eas.pai.aliyuncs.com"


def test_settings_read_the_easrg_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EASRG_ENDPOINT", "http://127.0.0.1:8765/")
    monkeypatch.setenv("EASRG_AS_ROLE", "true")

    settings = Settings()

    assert (settings.endpoint, settings.endpoint_host_port, settings.endpoint_scheme) == (
        "http://127.0.0.1:8765",
        "127.0.0.1:8765",
        "http",
    )
    assert settings.as_role


def test_settings_endpoint_without_scheme_is_refused_with_the_fix() -> None:
    with pytest.raises(ValidationError, match="add the scheme"):
        Settings(endpoint="127.0.0.1:8765")


def test_settings_timeouts_must_fit_in_a_task() -> None:
    with pytest.raises(ValidationError, match="below the 60 s task timeout"):
        Settings(read_timeout_s=58)


@pytest.mark.parametrize(
    ("endpoint", "loopback"),
    [
        ("http://127.0.0.1:8765", True),
        ("http://localhost:8765", True),
        ("http://[::1]:8765", True),
        ("http://10.0.0.5:8765", False),
        ("", False),
    ],
)
def test_settings_endpoint_is_loopback(endpoint: str, loopback: bool) -> None:
    assert Settings(endpoint=endpoint).endpoint_is_loopback is loopback


def test_clients_tea_timeouts_are_milliseconds() -> None:
    clients = Clients(
        Settings(connect_timeout_s=2, read_timeout_s=7),
        CredentialValues(access_key_id="LTAI-x", access_key_secret="s"),
    )

    config = clients._tea_config()

    assert (config.connect_timeout, config.read_timeout) == (2000, 7000)


def test_clients_endpoint_override_has_no_scheme_in_tea_and_raw_ip_mode_in_sls() -> None:
    clients = Clients(
        Settings(endpoint="http://127.0.0.1:8765"),
        CredentialValues(access_key_id="LTAI-x", access_key_secret="s"),
    )

    config = clients._tea_config()

    assert (config.endpoint, config.protocol) == ("127.0.0.1:8765", "http")
    assert clients.sls._isRowIp is True
    assert clients.sls.timeout == (5.0, 15.0)
    assert clients.sls._session.trust_env is False


def test_credential_values_secret_without_id_names_the_missing_field() -> None:
    with pytest.raises(ValueError, match="access_key_id is empty"):
        CredentialValues(access_key_secret="s").validate()


def test_credential_values_oidc_needs_all_three_fields() -> None:
    with pytest.raises(ValueError, match="oidc_token_file_path is empty"):
        CredentialValues(
            role_arn="acs:ram::1:role/r", oidc_provider_arn="acs:ram::1:oidc-provider/p"
        ).validate()


def test_credential_client_static_keys_are_returned_as_given() -> None:
    client = credential_client(
        CredentialValues(access_key_id="STS.x", access_key_secret="s", security_token="t")
    )

    credential = client.get_credential()

    assert (credential.access_key_id, credential.access_key_secret, credential.security_token) == (
        "STS.x",
        "s",
        "t",
    )


def test_credential_client_role_arn_is_refused_without_sts() -> None:
    values = CredentialValues(access_key_id="LTAI-x", access_key_secret="s", role_arn="acs:ram::1:role/r")

    with pytest.raises(ValueError, match="role_arn"):
        credential_client(values, allow_sts_calls=False)


def test_kubeconfig_repr_never_shows_the_config() -> None:
    kubeconfig = Kubeconfig(
        config="apiVersion: v1\nusers:\n- user: {token: abcdef-secret}", expiration="2027-01-01"
    )

    assert "abcdef-secret" not in repr(kubeconfig) + str(kubeconfig)
    assert "2027-01-01" in repr(kubeconfig)


def test_check_credentials_with_an_empty_chain_names_where_credentials_come_from(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # no profile files either
    clients = Clients(Settings(endpoint="http://127.0.0.1:9"), CredentialValues())

    with pytest.raises(AuthError) as raised:
        clients.check_credentials()

    assert raised.value.code == "CredentialsUnavailable"
    assert "ALIBABA_CLOUD_ACCESS_KEY_ID" in str(raised.value)
    assert "--credentials-block" in str(raised.value)


def test_check_credentials_with_static_keys_passes_without_a_call() -> None:
    values = CredentialValues(access_key_id="LTAI-x", access_key_secret="s")
    Clients(Settings(endpoint="http://127.0.0.1:9"), values).check_credentials()
