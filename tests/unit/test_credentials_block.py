"""The AlibabaCloudCredentials block: Prefect's block standards, hidden secrets, settings on top."""

from __future__ import annotations

import pytest
from prefect.blocks.core import Block
from prefect.testing.standard_test_suites import BlockStandardTestSuite
from pydantic import ValidationError

import blocks
from blocks.credentials import AlibabaCloudCredentials

SECRET = "s3cr3t-value-never-shown"
TOKEN = "sts-token-never-shown"


class TestAlibabaCloudCredentialsStandards(BlockStandardTestSuite):
    @pytest.fixture
    def block(self) -> type[Block]:
        return AlibabaCloudCredentials


def _block(**fields: object) -> AlibabaCloudCredentials:
    return AlibabaCloudCredentials(**fields)  # type: ignore[arg-type]


def test_block_is_exported_for_registration_with_its_slug() -> None:
    assert blocks.AlibabaCloudCredentials is AlibabaCloudCredentials
    assert AlibabaCloudCredentials.get_block_type_slug() == "alibaba-cloud-credentials"


def test_block_repr_and_json_hide_the_secrets() -> None:
    block = _block(access_key_id="LTAI-x", access_key_secret=SECRET, security_token=TOKEN)

    shown = repr(block) + str(block) + block.model_dump_json() + repr(block.credential_values())
    shown += repr(block.get_clients())

    assert SECRET not in shown and TOKEN not in shown


def test_block_validation_error_does_not_echo_the_secret() -> None:
    with pytest.raises(ValidationError) as raised:
        _block(access_key_secret=SECRET)

    assert "access_key_id is empty" in str(raised.value)
    assert SECRET not in str(raised.value)


def test_block_empty_means_the_standard_chain() -> None:
    assert _block().credential_values().kind == "chain"


def test_block_key_pair_with_token_is_sts() -> None:
    values = _block(access_key_id="STS.x", access_key_secret=SECRET, security_token=TOKEN).credential_values()

    assert (values.kind, values.access_key_secret, values.security_token) == ("sts", SECRET, TOKEN)


def test_block_region_endpoint_and_as_role_override_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EASRG_REGION", "cn-beijing")
    monkeypatch.setenv("EASRG_READ_TIMEOUT_S", "9")

    settings = _block(region_id="cn-shanghai", endpoint="http://127.0.0.1:8765", as_role=True).settings()

    assert (settings.region, settings.endpoint, settings.as_role) == (
        "cn-shanghai",
        "http://127.0.0.1:8765",
        True,
    )
    assert settings.read_timeout_s == 9


def test_block_without_region_uses_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EASRG_REGION", "cn-beijing")

    assert _block().settings().region == "cn-beijing"


def test_block_as_role_in_the_environment_is_not_switched_off_by_the_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EASRG_AS_ROLE", "true")

    assert _block(as_role=False).get_clients().guard.enabled


def test_block_role_arn_with_an_emulator_endpoint_is_refused() -> None:
    block = _block(
        access_key_id="LTAI-x",
        access_key_secret=SECRET,
        role_arn="acs:ram::1:role/x",
        endpoint="http://127.0.0.1:8765",
    )

    with pytest.raises(ValueError, match="role_arn cannot be used with an endpoint override"):
        block.get_clients()
