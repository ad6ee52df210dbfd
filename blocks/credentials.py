"""The ``AlibabaCloudCredentials`` block: who calls Alibaba Cloud, where, and as what.

Empty credential fields mean the standard Alibaba Cloud credential chain (environment, profile,
ECS instance role, OIDC/RRSA in ACK...), resolved by ``alibabacloud_credentials`` where the flow
runs.  Secrets are ``SecretStr``: they show as ``**********`` in the UI, in ``repr`` and in logs;
tasks take the block (or its name), never the secret values, and return results without them.
"""

from __future__ import annotations

from typing import Any

from prefect.blocks.core import Block
from pydantic import ConfigDict, Field, SecretStr, model_validator

from alicloud.clients import Clients
from alicloud.credentials import CredentialValues
from alicloud.settings import Settings


class AlibabaCloudCredentials(Block):
    """Credentials and endpoint for Alibaba Cloud; empty credential fields mean the standard chain."""

    # Validation errors must not echo the input: it holds the secrets in clear.
    model_config = ConfigDict(hide_input_in_errors=True)

    _block_type_slug = "alibaba-cloud-credentials"
    _block_type_name = "Alibaba Cloud Credentials"
    _description = (
        "Credentials for Alibaba Cloud (access key, STS token, RAM role ARN or OIDC), or none to use the "
        "standard credential chain; the region; an optional endpoint override pointing every product at "
        "a local emulator; and whether to act within the EAS role's permissions."
    )
    _documentation_url = (
        "https://www.alibabacloud.com/help/en/sdk/developer-reference/v2-manage-python-access-credentials"  # noqa: E501
    )
    _code_example = """
```python
from blocks import AlibabaCloudCredentials

credentials = AlibabaCloudCredentials.load("BLOCK_NAME")
clients = credentials.get_clients()
```
"""

    access_key_id: str | None = Field(
        default=None, description="AccessKey ID (or the STS AccessKey ID); empty to use the credential chain."
    )
    access_key_secret: SecretStr | None = Field(
        default=None, description="AccessKey secret matching the AccessKey ID."
    )
    security_token: SecretStr | None = Field(
        default=None, description="STS security token, when the key pair is temporary."
    )
    role_arn: str | None = Field(
        default=None,
        description="RAM role to assume (acs:ram::<account>:role/<name>), from the key pair or the chain.",
    )
    role_session_name: str | None = Field(
        default=None, description="Session name used when assuming the role (default eas-rg)."
    )
    oidc_provider_arn: str | None = Field(
        default=None, description="OIDC provider ARN, for RRSA (role for service accounts) in ACK."
    )
    oidc_token_file_path: str | None = Field(
        default=None, description="Path of the OIDC token file, for RRSA in ACK."
    )
    region_id: str | None = Field(
        default=None, description="Region such as cn-hangzhou; empty to use EASRG_REGION."
    )
    endpoint: str | None = Field(
        default=None,
        description="Endpoint override such as http://127.0.0.1:8765 (a local emulator); empty: the cloud.",
    )
    as_role: bool = Field(
        default=False,
        description="Refuse, before sending, any call the EAS service-linked role's policy does not allow.",
    )

    @model_validator(mode="after")
    def _credentials_fit_together(self) -> AlibabaCloudCredentials:
        self.credential_values().validate()
        return self

    def credential_values(self) -> CredentialValues:
        """The explicit values (secrets revealed only into this object, whose repr hides them)."""
        return CredentialValues(
            access_key_id=self.access_key_id or "",
            access_key_secret=_reveal(self.access_key_secret),
            security_token=_reveal(self.security_token),
            role_arn=self.role_arn or "",
            role_session_name=self.role_session_name or "",
            oidc_provider_arn=self.oidc_provider_arn or "",
            oidc_token_file_path=self.oidc_token_file_path or "",
        )

    def settings(self) -> Settings:
        """Process settings (``EASRG_*``) with this block's region, endpoint and ``as_role`` on top.

        ``as_role`` turns the guard on when either the block or the environment asks for it.
        """
        base = Settings()
        overrides: dict[str, Any] = {"as_role": self.as_role or base.as_role}
        if self.region_id:
            overrides["region"] = self.region_id
        if self.endpoint:
            overrides["endpoint"] = self.endpoint
        return Settings(**{**base.model_dump(), **overrides})

    def get_clients(self) -> Clients:
        """The client factory for every product, built from this block."""
        return Clients(self.settings(), self.credential_values())


def _reveal(secret: SecretStr | None) -> str:
    return secret.get_secret_value() if secret is not None else ""
