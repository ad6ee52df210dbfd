"""Official SDK clients pointed at the emulator."""

from __future__ import annotations

from typing import Any, Protocol

from alibabacloud_tea_openapi import utils_models as open_api_util_models
from alibabacloud_tea_openapi.client import Client as OpenApiClient
from alibabacloud_tea_openapi.models import Config
from alibabacloud_tea_openapi.utils import Utils
from aliyun.log import LogClient
from darabonba.runtime import RuntimeOptions

from tests.support.world import KEYS, REGION


class Reachable(Protocol):
    host: str
    port: int


def tea_config(emulator: Reachable, key: str = "owner", **overrides: Any) -> Config:
    """A Tea ``Config`` for one of the default world's keys (see ``tests.support.world.KEYS``)."""
    access_key_id, secret, token = KEYS[key]
    settings: dict[str, Any] = {
        "access_key_id": access_key_id,
        "access_key_secret": secret,
        "endpoint": f"127.0.0.1:{emulator.port}",
        "protocol": "http",
        "region_id": REGION,
    }
    if token:
        settings["security_token"] = token
    settings.update(overrides)
    return Config(**settings)


def _params(action: str, version: str, style: str, method: str, pathname: str, body_type: str) -> Any:
    return open_api_util_models.Params(
        action=action,
        version=version,
        protocol="HTTPS",
        pathname=pathname,
        method=method,
        auth_type="AK",
        style=style,
        req_body_type=body_type,
        body_type="json",
    )


def generic_rpc(
    config: Config,
    version: str,
    action: str,
    query: dict[str, Any] | None = None,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One RPC call through ``call_api``; lists and dicts are flattened like a product SDK does."""
    request = open_api_util_models.OpenApiRequest(query=Utils.query(query or {}), body=body)
    params = _params(action, version, "RPC", "POST", "/", "formData")
    result = OpenApiClient(config).call_api(params, request, RuntimeOptions())
    return dict(result["body"])


def generic_roa(
    config: Config,
    version: str,
    action: str,
    method: str,
    pathname: str,
    query: dict[str, Any] | None = None,
    body: Any = None,
) -> Any:
    request = open_api_util_models.OpenApiRequest(query=query or {}, body=body)
    params = _params(action, version, "ROA", method, pathname, "json")
    result = OpenApiClient(config).call_api(params, request, RuntimeOptions())
    return result["body"]


def log_client(emulator: Reachable, key: str = "owner", auth_version: str = "v1") -> LogClient:
    """A ``LogClient`` that reaches ``127.0.0.1:PORT`` with the project in the Host header.

    ``_isRowIp`` makes the SDK connect to the IP while still naming the project in ``Host``
    (the SDK version is pinned for this).  Proxies are ignored so loopback stays loopback.
    """
    access_key_id, secret, token = KEYS[key]
    client = LogClient(
        f"127.0.0.1:{emulator.port}",
        access_key_id,
        secret,
        securityToken=token,
        auth_version=auth_version,
        region=REGION,
    )
    client._isRowIp = True
    client._session.trust_env = False
    return client
