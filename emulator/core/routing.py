"""From an HTTP request to (service, action, parameters): the API version names the product.

* A request carrying ``x-log-apiversion`` or an ``Authorization`` starting with ``LOG `` /
  ``SLS4-HMAC-SHA256`` goes to Simple Log Service.  The project is the first label of the
  ``Host`` (port removed) unless the host is the endpoint itself: a bare IP, ``localhost``, the
  server's own host, or ``<region>.log.aliyuncs.com``.  Routes are matched by method and path;
  when a project-less and a project route share a path (``GET /``: ListProject vs GetProject),
  the project decides.
* Anything else is OpenAPI: the version from ``x-acs-version`` or ``Version``, the action from
  ``x-acs-action`` or ``Action``.  RPC is served at ``/`` (query and form parameters, ``Name.N``
  unflattened); ROA by method and path through the service's ``routes``.
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from emulator.core.api import ApiError
from emulator.core.http import HttpRequest, strip_port
from emulator.core.registry import Services
from emulator.core.service import ServiceSpec
from emulator.core.wire import RPC_PROTOCOL_PARAMS, parse_json_body, unflatten

#: SLS actions addressed to the endpoint rather than to a project.
SLS_PROJECTLESS_ACTIONS = frozenset({"ListProject"})
DEFAULT_REGION = "cn-hangzhou"

_SLS_ENDPOINT = re.compile(
    r"^(?:(?P<project>[a-z0-9][a-z0-9-]*)\.)?"
    r"(?P<region>[a-z]+-[a-z0-9-]+?)(?:-intranet|-vpc|-share)?\.log\.aliyuncs\.com$"
)
_OPENAPI_HOST = re.compile(r"^[a-z0-9-]+\.(?P<region>[a-z]+-[a-z0-9-]+)\.aliyuncs\.com$")


@dataclass
class Target:
    spec: ServiceSpec
    action: str
    params: dict[str, Any]
    body: Any = None
    project: str | None = None
    region_hint: str | None = None  # from the host, when it names one
    extra: dict[str, Any] = field(default_factory=dict)


def is_sls(request: HttpRequest) -> bool:
    authorization = (request.header("authorization") or "").lstrip()
    return (
        request.header("x-log-apiversion") is not None
        or authorization.startswith("LOG ")
        or authorization.startswith("SLS4-HMAC-SHA256")
    )


def _not_found(action: str | None) -> ApiError:
    return ApiError(
        "InvalidAction.NotFound",
        f"Specified api is not found, please check your url and method. Action: {action}",
        404,
    )


# --------------------------------------------------------------------------------------------
# OpenAPI
# --------------------------------------------------------------------------------------------


def route_openapi(request: HttpRequest, services: Services) -> Target:
    pairs = request.query_pairs() + request.form_pairs()
    plain = dict(pairs)
    version = request.header("x-acs-version") or plain.get("Version")
    action = request.header("x-acs-action") or plain.get("Action")
    if not version:
        raise ApiError(
            "MissingParameter",
            'The input parameter "Version" that is mandatory for processing this request is not supplied.',
            400,
        )
    spec = services.by_version.get(version)
    if spec is None:
        raise ApiError("InvalidVersion", f"Specified parameter Version is not valid. Version: {version}", 404)
    hint = _openapi_region_hint(request.host())
    if spec.style == "ROA":
        return _route_roa(request, spec, action, hint)
    if request.path != "/" or not action:
        raise _not_found(action)
    if spec.actions and action not in spec.actions:
        raise _not_found(action)
    params = unflatten([(k, v) for k, v in pairs if k not in RPC_PROTOCOL_PARAMS])
    return Target(spec, action, params, region_hint=hint)


def _route_roa(request: HttpRequest, spec: ServiceSpec, action: str | None, hint: str | None) -> Target:
    for route in spec.routes:
        found = route.match(request.method, request.path)
        if found is None:
            continue
        params = unflatten(request.query_pairs())
        params.update({k: urllib.parse.unquote(v) for k, v in found.items()})
        body = parse_json_body(request.body, request.header("content-type"), sls=False)
        return Target(spec, route.action, params, body=body, region_hint=hint)
    raise _not_found(action)


def _openapi_region_hint(host: str) -> str | None:
    found = _OPENAPI_HOST.match(host.lower())
    return found.group("region") if found else None


# --------------------------------------------------------------------------------------------
# Simple Log Service
# --------------------------------------------------------------------------------------------


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def sls_host(host: str, base_hosts: frozenset[str] = frozenset()) -> tuple[str | None, str | None]:
    """(project, region) named by an SLS ``Host`` header; either may be None."""
    host = strip_port(host).lower()
    if not host or _is_ip(host) or host == "localhost" or host in base_hosts:
        return None, None
    found = _SLS_ENDPOINT.match(host)
    if found:
        return found.group("project"), found.group("region")
    return host.split(".", 1)[0], None


def route_sls(request: HttpRequest, services: Services, base_hosts: frozenset[str] = frozenset()) -> Target:
    spec = services.sls
    if spec is None:
        raise ApiError("InvalidMethod", "Simple Log Service is not served by this emulator.", 405)
    project, region = sls_host(request.header("host") or request.host(), base_hosts)
    candidates = []
    for route in spec.routes:
        found = route.match(request.method, request.path)
        if found is not None:
            candidates.append((route, found))
    if not candidates:
        raise ApiError("InvalidMethod", f"The method {request.method} {request.path} is not supported.", 405)
    if len(candidates) > 1:
        wanted_projectless = project is None
        preferred = [c for c in candidates if (c[0].action in SLS_PROJECTLESS_ACTIONS) == wanted_projectless]
        candidates = preferred or candidates
    route, found = candidates[0]
    if project is None and route.action not in SLS_PROJECTLESS_ACTIONS:
        raise ApiError("MissingHost", "The Host header does not name a project.", 400)
    params: dict[str, Any] = dict(request.query_pairs())
    params.update({k: urllib.parse.unquote(v) for k, v in found.items()})
    body = parse_json_body(request.body, request.header("content-type"), sls=True)
    return Target(spec, route.action, params, body=body, project=project, region_hint=region)
