"""Credentials: explicit values, or else the standard Alibaba Cloud credential chain.

Nothing here reimplements a chain.  With no explicit value, ``alibabacloud_credentials``' own
default provider runs (environment variables, the ``~/.alibabacloud/credentials`` profile, the
CLI profile, OIDC/RRSA in ACK pods, the ECS instance role ...).  Explicit values select one
provider of the same library:

==========================================  ==========================================
given                                       provider
==========================================  ==========================================
nothing                                     the default chain
``access_key_id`` + ``access_key_secret``   static access key
... + ``security_token``                    static STS token
``role_arn`` (+ keys, or the chain)         assume the role through STS (RAM role ARN)
``role_arn`` + ``oidc_provider_arn`` +      OIDC role ARN (RRSA)
``oidc_token_file_path``
==========================================  ==========================================

Secrets never appear in ``repr``/``str``.
"""

from __future__ import annotations

from dataclasses import dataclass

from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_credentials.models import Config as CredentialConfig
from alibabacloud_credentials.provider import DefaultCredentialsProvider, RamRoleArnCredentialsProvider

DEFAULT_SESSION_NAME = "eas-rg"


@dataclass(frozen=True, repr=False)
class CredentialValues:
    """Explicit credential values; every field empty means "use the standard chain"."""

    access_key_id: str = ""
    access_key_secret: str = ""
    security_token: str = ""
    role_arn: str = ""
    role_session_name: str = ""
    oidc_provider_arn: str = ""
    oidc_token_file_path: str = ""

    def __repr__(self) -> str:
        return (
            f"CredentialValues(kind={self.kind!r}, access_key_id={self.access_key_id!r}, "
            f"role_arn={self.role_arn!r})"
        )

    __str__ = __repr__

    @property
    def kind(self) -> str:
        """``chain``, ``access_key``, ``sts``, ``ram_role_arn`` or ``oidc_role_arn``."""
        if self.oidc_provider_arn or self.oidc_token_file_path:
            return "oidc_role_arn"
        if self.role_arn:
            return "ram_role_arn"
        if self.security_token:
            return "sts"
        if self.access_key_id or self.access_key_secret:
            return "access_key"
        return "chain"

    def validate(self) -> None:
        """Raise ``ValueError`` naming the field and the fix when the values cannot work together."""
        if bool(self.access_key_id) != bool(self.access_key_secret):
            missing = "access_key_secret" if self.access_key_id else "access_key_id"
            raise ValueError(f"{missing} is empty: give both access_key_id and access_key_secret, or neither")
        if self.security_token and not self.access_key_id:
            raise ValueError("security_token needs access_key_id and access_key_secret (the STS key pair)")
        if self.kind == "oidc_role_arn":
            for name in ("role_arn", "oidc_provider_arn", "oidc_token_file_path"):
                if not getattr(self, name):
                    raise ValueError(
                        f"{name} is empty: OIDC (RRSA) needs role_arn, oidc_provider_arn "
                        "and oidc_token_file_path"
                    )
            if self.access_key_id:
                raise ValueError("access_key_id must be empty with OIDC: the token file is the credential")


def credential_client(
    values: CredentialValues | None = None, *, allow_sts_calls: bool = True
) -> CredentialClient:
    """The ``alibabacloud_credentials`` client for ``values`` (the default chain when empty).

    ``allow_sts_calls`` is False when every product points at an emulator: assuming a role would
    call the real STS service, so a ``role_arn`` is refused there.
    """
    values = values or CredentialValues()
    values.validate()
    kind = values.kind
    if kind in ("ram_role_arn", "oidc_role_arn") and not allow_sts_calls:
        raise ValueError(
            "role_arn cannot be used with an endpoint override (assuming a role calls the real STS); "
            "give the role's STS key pair and security_token instead"
        )
    session = values.role_session_name or DEFAULT_SESSION_NAME
    if kind == "chain":
        return CredentialClient()
    if kind == "access_key":
        return CredentialClient(
            CredentialConfig(
                type="access_key",
                access_key_id=values.access_key_id,
                access_key_secret=values.access_key_secret,
            )
        )
    if kind == "sts":
        return CredentialClient(
            CredentialConfig(
                type="sts",
                access_key_id=values.access_key_id,
                access_key_secret=values.access_key_secret,
                security_token=values.security_token,
            )
        )
    if kind == "oidc_role_arn":
        return CredentialClient(
            CredentialConfig(
                type="oidc_role_arn",
                role_arn=values.role_arn,
                oidc_provider_arn=values.oidc_provider_arn,
                oidc_token_file_path=values.oidc_token_file_path,
                role_session_name=session,
            )
        )
    if values.access_key_id:
        return CredentialClient(
            CredentialConfig(
                type="ram_role_arn",
                access_key_id=values.access_key_id,
                access_key_secret=values.access_key_secret,
                security_token=values.security_token or None,
                role_arn=values.role_arn,
                role_session_name=session,
            )
        )
    # A role to assume with whatever the standard chain finds as the source identity.
    provider = RamRoleArnCredentialsProvider(
        credentials_provider=DefaultCredentialsProvider(), role_arn=values.role_arn, role_session_name=session
    )
    return CredentialClient(provider=provider)
