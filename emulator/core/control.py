"""The control API under ``/_emulator/``: JSON in and out, no signature.

=======================  ===================================================================
``GET health``           liveness, loaded services, pace
``POST reset``           back to the world file; clears calls, faults, throttles; start pace
``GET state``            every store's dump (lazy transitions settled), by account/region
``GET calls``            request log; filters ``product``, ``action``, ``since`` (epoch s)
``DELETE calls``         clear the request log
``GET|POST pace``        ``{"pace": "instant|fast|realistic", "overrides": {key: seconds}}``
``GET|POST|DELETE faults``    fault rules (see :mod:`emulator.core.faults`)
``GET|POST|DELETE throttle``  ``{"action": "X" | "*", "qps": N}``
``POST admin/<p>/<op>``  ``store.admin_<op>(**kwargs)`` of product ``p``; ``account_id``
                         (default: the first account) and ``region`` (default cn-hangzhou)
                         pick the store
``GET clock``            server time
=======================  ===================================================================
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from emulator.core.api import ApiError, iso_now
from emulator.core.gateway import Gateway
from emulator.core.http import HttpRequest, HttpResponse, json_response
from emulator.core.routing import DEFAULT_REGION

PREFIX = "/_emulator/"


class ControlError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def handle_control(request: HttpRequest, gateway: Gateway) -> HttpResponse:
    route = request.path[len(PREFIX) :].strip("/")
    try:
        payload = _parse(request.body)
        result = _dispatch(request.method, route, payload, _query(request), gateway)
        return json_response(200, result)
    except ControlError as error:
        return json_response(error.status, {"error": error.message})
    except ApiError as error:
        return json_response(error.status, {"error": error.message, "Code": error.code})
    except (TypeError, ValueError, KeyError) as error:
        return json_response(400, {"error": str(error)})


def _parse(body: bytes) -> Any:
    if not body.strip():
        return None
    try:
        return json.loads(body.decode("utf-8"))
    except ValueError:
        raise ControlError(400, "the body must be JSON") from None


def _query(request: HttpRequest) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(request.query, keep_blank_values=False))


def _dispatch(method: str, route: str, payload: Any, query: dict[str, str], gateway: Gateway) -> Any:
    if route.startswith("admin/"):
        if method != "POST":
            raise ControlError(405, "admin operations are POST")
        parts = route.split("/")
        if len(parts) != 3:
            raise ControlError(404, "use POST /_emulator/admin/<product>/<op>")
        return _admin(gateway, parts[1], parts[2], payload or {})
    handler = _ROUTES.get((method, route))
    if handler is None:
        raise ControlError(404, f"no control operation {method} /_emulator/{route}")
    return handler(gateway, payload, query)


def _health(gateway: Gateway, payload: Any, query: dict[str, str]) -> Any:
    world = gateway.world
    return {
        "status": "ok",
        "services": sorted(world.services.by_product),
        "pace": world.pace.name,
        "accounts": world.account_ids(),
        "state_file": str(world.state_file) if world.state_file else None,
    }


def _reset(gateway: Gateway, payload: Any, query: dict[str, str]) -> Any:
    gateway.world.reset()
    gateway.calls.clear()
    gateway.faults.clear()
    gateway.throttles.clear()
    gateway.nonces.clear()
    return {"reset": True, "pace": gateway.world.pace.name}


def _state(gateway: Gateway, payload: Any, query: dict[str, str]) -> Any:
    world = gateway.world
    with world.lock:
        world.materialise()
        world.settle_all(time.time())
        return {"time": time.time(), "accounts": world.snapshot()}


def _calls(gateway: Gateway, payload: Any, query: dict[str, str]) -> Any:
    since = float(query["since"]) if "since" in query else None
    return {"calls": gateway.calls.query(query.get("product"), query.get("action"), since)}


def _clear_calls(gateway: Gateway, payload: Any, query: dict[str, str]) -> Any:
    gateway.calls.clear()
    return {"cleared": True}


def _get_pace(gateway: Gateway, payload: Any, query: dict[str, str]) -> Any:
    return gateway.world.pace.describe()


def _set_pace(gateway: Gateway, payload: Any, query: dict[str, str]) -> Any:
    if not isinstance(payload, dict) or "pace" not in payload:
        raise ControlError(400, 'send {"pace": "instant|fast|realistic", "overrides": {...}}')
    world = gateway.world
    with world.lock:
        world.pace.set(payload["pace"], payload.get("overrides") or {})
        world.save()
    return world.pace.describe()


def _add_faults(gateway: Gateway, payload: Any, query: dict[str, str]) -> Any:
    if isinstance(payload, dict):
        payload = payload.get("faults", [payload])
    if not isinstance(payload, list) or not all(isinstance(r, dict) for r in payload):
        raise ControlError(400, "send a fault rule or a list of them")
    return {"faults": gateway.faults.add(payload)}


def _list_faults(gateway: Gateway, payload: Any, query: dict[str, str]) -> Any:
    return {"faults": gateway.faults.list()}


def _clear_faults(gateway: Gateway, payload: Any, query: dict[str, str]) -> Any:
    gateway.faults.clear()
    return {"faults": []}


def _set_throttle(gateway: Gateway, payload: Any, query: dict[str, str]) -> Any:
    if not isinstance(payload, dict) or "qps" not in payload:
        raise ControlError(400, 'send {"action": "X" or "*", "qps": N}')
    return {"throttle": gateway.throttles.set(str(payload.get("action", "*")), float(payload["qps"]))}


def _get_throttle(gateway: Gateway, payload: Any, query: dict[str, str]) -> Any:
    return {"throttle": gateway.throttles.limits()}


def _clear_throttle(gateway: Gateway, payload: Any, query: dict[str, str]) -> Any:
    gateway.throttles.clear()
    return {"throttle": {}}


def _clock(gateway: Gateway, payload: Any, query: dict[str, str]) -> Any:
    now = time.time()
    return {"time": now, "iso": iso_now(now)}


def _admin(gateway: Gateway, product: str, op: str, kwargs: dict[str, Any]) -> Any:
    world = gateway.world
    if product not in world.services.by_product:
        raise ControlError(404, f"no service {product!r}")
    if not isinstance(kwargs, dict):
        raise ControlError(400, "admin arguments are a JSON object")
    kwargs = dict(kwargs)
    account_id = str(kwargs.pop("account_id", world.account_ids()[0]))
    region = str(kwargs.pop("region", DEFAULT_REGION))
    with world.lock:
        store = world.store(product, account_id, region)
        operation = getattr(store, f"admin_{op}", None)
        if not callable(operation):
            raise ControlError(404, f"{product} has no admin operation {op!r}")
        result = operation(**kwargs)
        world.save()
    return result if result is not None else {}


_Handler = Callable[[Gateway, Any, dict[str, str]], Any]
_ROUTES: dict[tuple[str, str], _Handler] = {
    ("GET", "health"): _health,
    ("POST", "reset"): _reset,
    ("GET", "state"): _state,
    ("GET", "calls"): _calls,
    ("DELETE", "calls"): _clear_calls,
    ("GET", "pace"): _get_pace,
    ("POST", "pace"): _set_pace,
    ("GET", "faults"): _list_faults,
    ("POST", "faults"): _add_faults,
    ("DELETE", "faults"): _clear_faults,
    ("GET", "throttle"): _get_throttle,
    ("POST", "throttle"): _set_throttle,
    ("DELETE", "throttle"): _clear_throttle,
    ("GET", "clock"): _clock,
}
