"""Calls through the generic Tea client (VPC, ECS, CS): the same signer and wire as a product SDK.

Parameters are flattened with the SDK's own ``Utils.query`` (lists as ``Name.1``, ``Name.2``;
lists of objects as ``Name.1.Field``), exactly as a product SDK does.  Values are stringified by
the SDK, so booleans go out as ``True``/``False``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from alibabacloud_tea_openapi.client import Client as OpenApiClient
from alibabacloud_tea_openapi.utils import Utils
from alibabacloud_tea_openapi.utils_models import OpenApiRequest, Params
from darabonba.runtime import RuntimeOptions

VERSIONS = {"vpc": "2016-04-28", "ecs": "2014-05-26", "cs": "2015-12-15"}


def rpc(client: OpenApiClient, *, product: str, action: str, query: dict[str, Any]) -> dict[str, Any]:
    """One RPC call (``POST /``, parameters in the query); the JSON body of the answer."""
    params = Params(
        action=action,
        version=VERSIONS[product],
        protocol="HTTPS",
        pathname="/",
        method="POST",
        auth_type="AK",
        style="RPC",
        req_body_type="formData",
        body_type="json",
    )
    cleaned = {key: value for key, value in query.items() if value is not None}
    request = OpenApiRequest(query=Utils.query(cleaned))
    return _body(client.call_api(params, request, RuntimeOptions()))


def roa(
    client: OpenApiClient,
    *,
    product: str,
    action: str,
    method: str,
    path: str,
    path_params: dict[str, str],
    query: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One ROA call; ``path`` holds ``{Name}`` placeholders filled, percent-encoded, from ``path_params``."""
    pathname = path.format(**{key: quote(value, safe="") for key, value in path_params.items()})
    params = Params(
        action=action,
        version=VERSIONS[product],
        protocol="HTTPS",
        pathname=pathname,
        method=method,
        auth_type="AK",
        style="ROA",
        req_body_type="json",
        body_type="json",
    )
    cleaned = {key: str(value) for key, value in (query or {}).items() if value is not None}
    request = OpenApiRequest(query=cleaned)
    return _body(client.call_api(params, request, RuntimeOptions()))


def _body(response: Any) -> dict[str, Any]:
    body = response.get("body") if isinstance(response, dict) else None
    return body if isinstance(body, dict) else {}
