"""One request through the emulated gateway: route, authenticate, throttle, authorise, inject
faults, call the handler under the world lock, persist, answer in the product's wire style, log.
"""

from __future__ import annotations

import sys
import time
import traceback
from dataclasses import dataclass
from typing import Any

from emulator.core.api import ApiError, Call, Params, Reply, new_request_id
from emulator.core.calls import CallLog, is_read
from emulator.core.faults import FaultRule, Faults, Throttles, openapi_throttled, sls_throttled
from emulator.core.http import HttpRequest, HttpResponse, json_response
from emulator.core.policy import evaluate, openapi_denied, sls_denied
from emulator.core.principals import KeyRecord
from emulator.core.routing import DEFAULT_REGION, Target, is_sls, route_openapi, route_sls
from emulator.core.service import snake_case
from emulator.core.signing import NonceCache, verify_openapi
from emulator.core.signing_sls import verify_sls
from emulator.core.wire import openapi_error, openapi_success, sls_error, sls_success
from emulator.core.world import World


@dataclass
class _Exchange:
    """What the call log needs, filled in as the request progresses."""

    request_id: str
    style: str
    method: str
    product: str | None = None
    action: str | None = None
    record: KeyRecord | None = None
    region: str | None = None
    fault: bool = False


class Gateway:
    def __init__(self, world: World, base_hosts: frozenset[str] = frozenset()):
        self.world = world
        self.calls = CallLog()
        self.faults = Faults()
        self.throttles = Throttles()
        self.nonces = NonceCache()
        self.base_hosts = base_hosts

    def handle(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        sls = is_sls(request)
        exchange = _Exchange(new_request_id(), "SLS" if sls else "OpenAPI", request.method)
        code: str | None = None
        try:
            response = self._dispatch(request, exchange)
        except ApiError as error:
            code = error.code
            response = _error_response(sls, error, exchange.request_id)
        except Exception:  # noqa: BLE001 - an unexpected handler failure must still answer JSON
            traceback.print_exc(file=sys.stderr)
            code = "InternalServerError" if sls else "InternalError"
            internal = ApiError(code, "The request processing has failed due to some unknown error.", 500)
            response = _error_response(sls, internal, exchange.request_id)
        self._log(exchange, response, code, started)
        return response

    def _dispatch(self, request: HttpRequest, exchange: _Exchange) -> HttpResponse:
        now = time.time()
        if exchange.style == "SLS":
            target = route_sls(request, self.world.services, self.base_hosts)
        else:
            target = route_openapi(request, self.world.services)
        exchange.product, exchange.action = target.spec.product, target.action
        exchange.style = target.spec.style if target.spec.style == "SLS" else exchange.style
        record, signed_region = self._authenticate(request, exchange.style, now)
        exchange.record = record
        region = self._region(target, signed_region)
        exchange.region = region
        call = Call(
            product=target.spec.product,
            action=target.action,
            params=Params(target.params),
            principal=record.principal,
            region=region,
            request_id=exchange.request_id,
            now=now,
            body=target.body,
            project=target.project,
            method=request.method,
            path=request.path,
            headers=request.lower_headers(),
            raw_body=request.body,
        )
        self._throttle(call, exchange)
        self._authorise(target, call)
        fault = self.faults.take(target.spec.product, target.action)
        if fault is not None:
            exchange.fault = True
            _apply_delays(fault)
            if fault.code:
                raise fault.error()
        response = self._invoke(target, call)
        if fault is not None and fault.drop_response:
            response.drop = True
        return response

    def _authenticate(self, request: HttpRequest, style: str, now: float) -> tuple[KeyRecord, str | None]:
        keys = self.world.principals
        if style == "SLS":
            return verify_sls(request, keys, now)
        return verify_openapi(request, keys, self.nonces, now), None

    def _region(self, target: Target, signed_region: str | None) -> str:
        given = target.params.get("RegionId") if target.spec.style != "SLS" else None
        region = (given if isinstance(given, str) and given else None) or signed_region or target.region_hint
        region = region or DEFAULT_REGION
        if target.spec.scope == "region" and region not in self.world.all_regions():
            if target.spec.style == "SLS":
                raise ApiError("InvalidRegion", f"The region {region} is not supported.", 400)
            raise ApiError("InvalidRegionId.NotFound", "The specified RegionId does not exist.", 404)
        return region

    def _throttle(self, call: Call, exchange: _Exchange) -> None:
        wait_ms = self.throttles.check(call.account_id, call.action)
        if wait_ms is None:
            return
        exchange.fault = True
        if exchange.style == "SLS":
            limits = self.throttles.limits()
            raise sls_throttled(
                is_read(call.action, "SLS", call.method), limits.get(call.action, limits.get("*"))
            )
        raise openapi_throttled(wait_ms)

    def _authorise(self, target: Target, call: Call) -> None:
        principal = call.principal
        if principal.policy is None:
            return
        ram_action = target.spec.ram_action(target.action)
        resource = target.spec.resource_arn(call) if target.spec.resource_arn else "*"
        decision = evaluate(principal.policy, ram_action, resource)
        if decision.allowed:
            return
        if target.spec.style == "SLS":
            raise sls_denied(ram_action, resource)
        raise openapi_denied(ram_action, principal.name, principal.account_id, decision)

    def _invoke(self, target: Target, call: Call) -> HttpResponse:
        spec = target.spec
        with self.world.lock:
            method = getattr(spec.handlers(self.world), snake_case(target.action), None)
            if method is None:
                if spec.style == "SLS":
                    raise ApiError("InvalidMethod", f"The action {target.action} is not supported.", 405)
                raise ApiError(
                    "InvalidAction.NotFound",
                    f"Specified api is not found, please check your url and method. Action: {target.action}",
                    404,
                )
            try:
                result = method(call)
            finally:
                if not is_read(target.action, spec.style, call.method):
                    self.world.save()
        return _success_response(spec.style == "SLS", result, call.request_id)

    def _log(self, exchange: _Exchange, response: HttpResponse, code: str | None, started: float) -> None:
        principal = exchange.record.principal if exchange.record else None
        read = exchange.action is None or is_read(exchange.action, exchange.style, exchange.method)
        self.calls.add(
            time=time.time(),
            product=exchange.product,
            action=exchange.action,
            principal=principal.name if principal else None,
            access_key_id=principal.access_key_id if principal else None,
            account_id=principal.account_id if principal else None,
            region=exchange.region,
            status=response.status,
            code=code,
            latency_ms=round((time.monotonic() - started) * 1000, 3),
            kind="read" if read else "mutating",
            request_id=exchange.request_id,
            fault=exchange.fault,
        )


def _apply_delays(fault: FaultRule) -> None:
    # Outside the world lock: a hanging call must not stall the others.
    delay = float(fault.latency or 0.0) + float(fault.hang or 0.0)
    if delay > 0:
        time.sleep(delay)


def _error_response(sls: bool, error: ApiError, request_id: str) -> HttpResponse:
    return sls_error(error, request_id) if sls else openapi_error(error, request_id)


def _success_response(sls: bool, result: Any, request_id: str) -> HttpResponse:
    if isinstance(result, Reply):
        response = (
            _success_response(sls, result.body, request_id)
            if not isinstance(result.body, bytes)
            else HttpResponse(result.status, result.body, {})
        )
        response.status = result.status
        response.headers.update(result.headers)
        return response
    if sls:
        return sls_success(result, request_id)
    if isinstance(result, dict):
        return openapi_success(result, request_id)
    return json_response(200, result, {"x-acs-request-id": request_id})
