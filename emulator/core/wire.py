"""Parameter parsing and response envelopes, one per wire style (RPC/ROA OpenAPI, SLS)."""

from __future__ import annotations

import json
import time
from email.utils import formatdate
from typing import Any

from emulator.core.api import ApiError
from emulator.core.http import HttpResponse, json_response

#: Parameters of the legacy RPC signature protocol: the gateway consumes them, handlers never
#: see them (a retried call gets a new nonce and timestamp, which would break ClientToken).
RPC_PROTOCOL_PARAMS = frozenset(
    {
        "Action",
        "Version",
        "Format",
        "AccessKeyId",
        "Signature",
        "SignatureMethod",
        "SignatureVersion",
        "SignatureNonce",
        "SignatureType",
        "Timestamp",
        "SecurityToken",
    }
)

HOST_ID = "emulator.aliyuncs.com"


def unflatten(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``Name.N`` -> list, ``Name.N.Field`` -> list of dicts (1-based, possibly sparse).

    Only a numeric second segment makes a list; other dotted names are kept verbatim.  Missing
    positions are ``None`` (``Params.list`` drops them).  Later duplicates win.
    """
    result: dict[str, Any] = {}
    for key, value in pairs:
        _put(result, key.split("."), value)
    return result


def _put(target: dict[str, Any], parts: list[str], value: str) -> None:
    head = parts[0]
    if len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) >= 1:
        index = int(parts[1]) - 1
        existing = target.get(head)
        items: list[Any] = existing if isinstance(existing, list) else []
        target[head] = items
        while len(items) <= index:
            items.append(None)
        if len(parts) == 2:
            items[index] = value
            return
        element = items[index] if isinstance(items[index], dict) else {}
        items[index] = element
        _put(element, parts[2:], value)
        return
    target[".".join(parts)] = value


# --------------------------------------------------------------------------------------------
# OpenAPI (RPC and ROA)
# --------------------------------------------------------------------------------------------


def openapi_success(payload: dict[str, Any], request_id: str) -> HttpResponse:
    body = dict(payload)
    body.setdefault("RequestId", request_id)
    return json_response(200, body, {"x-acs-request-id": request_id})


def openapi_error(error: ApiError, request_id: str) -> HttpResponse:
    body: dict[str, Any] = {
        "RequestId": request_id,
        "HostId": HOST_ID,
        "Code": error.code,
        "Message": error.message,
        "Recommend": f"https://api.aliyun.com/troubleshoot?q={error.code}",
    }
    detail = getattr(error, "access_denied_detail", None)
    if detail:
        body["AccessDeniedDetail"] = detail
    return json_response(error.status, body, {"x-acs-request-id": request_id, **error.headers})


# --------------------------------------------------------------------------------------------
# Simple Log Service
# --------------------------------------------------------------------------------------------


def sls_headers(request_id: str) -> dict[str, str]:
    return {
        "x-log-requestid": request_id,
        "Server": "AliyunSLS",
        "Date": formatdate(time.time(), usegmt=True),
    }


def sls_success(payload: Any, request_id: str) -> HttpResponse:
    """Write operations answer an empty body; a handler signals that by returning ``{}``."""
    headers = sls_headers(request_id)
    if payload == {} or payload is None:
        return HttpResponse(200, b"", headers)
    return json_response(200, payload, headers, content_type="application/json")


def sls_error(error: ApiError, request_id: str) -> HttpResponse:
    body = {"errorCode": error.code, "errorMessage": error.message, "requestId": request_id}
    return json_response(
        error.status, body, {**sls_headers(request_id), **error.headers}, content_type="application/json"
    )


def parse_json_body(body: bytes, content_type: str | None, sls: bool) -> Any:
    """JSON bodies are parsed; anything else (PutLogs protobuf) is handed over as bytes."""
    if not body:
        return None
    if content_type and "json" not in content_type.lower():
        return body
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        code = "PostBodyInvalid" if sls else "InvalidParameter"
        raise ApiError(code, "The request body is not valid JSON.", 400) from None
