"""A small webhook receiver that starts a deployment (Prefect OSS has no inbound webhooks).

A sender signs each delivery and POSTs the JSON body ``{"spec": {...}, "dry_run": false}`` to
``/webhook`` with three headers:

* ``X-Easrg-Delivery``: a unique id of the delivery (1-128 of ``A-Z a-z 0-9 . _ : -``); a
  sender retrying after a lost answer re-sends the same id;
* ``X-Easrg-Timestamp``: Unix seconds when it was signed;
* ``X-Easrg-Signature``: ``sha256=`` + hex HMAC-SHA256, keyed by the shared secret, of
  ``"<timestamp>.<delivery id>."`` followed by the raw body bytes.

The receiver checks, in order: the path and method, the size and type of the body, the
signature (compared in constant time), the timestamp (at most :data:`TOLERANCE_S` away), the
delivery id (a second delivery with an id seen within the tolerance window is a replay: 409,
with the flow run the first one started), the body's fields (unknown ones are refused: the
server would accept them and the run would then crash) and the spec (400 naming each bad
field).  Only then does it call ``run_deployment(name, parameters, timeout=0,
idempotency_key=<delivery id>)`` and answer 202 with the flow run id.  The idempotency key makes
Prefect return the same run for the same delivery even across restarts of the receiver, whose
replay memory is only in-process.

:func:`handle` holds all of that as a pure function of the request (tested without sockets);
:func:`make_server` wraps it in a ``http.server`` server.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from typing import Any

from flows.spec import SpecError, parse_spec

PATH = "/webhook"
TOLERANCE_S = 300
MAX_BODY = 256 * 1024
MIN_SECRET = 16
FIELDS = frozenset({"spec", "dry_run"})
DELIVERY = re.compile(r"[A-Za-z0-9._:-]{1,128}")

#: ``start(deployment_name, parameters, delivery_id) -> flow run id``
Starter = Callable[[str, dict[str, Any], str], str]

logger = logging.getLogger("easrg.webhook")


@dataclass(frozen=True)
class Response:
    status: int
    body: dict[str, Any]


class Rejected(Exception):
    """The delivery is refused; ``status`` and the JSON ``body`` are the answer."""

    def __init__(self, status: int, error: str, **extra: Any):
        super().__init__(error)
        self.response = Response(status, {"error": error, **extra})


def sign(secret: str, timestamp: str, delivery: str, body: bytes) -> str:
    """The ``X-Easrg-Signature`` header value for a delivery (what senders compute)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.{delivery}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, headers: Mapping[str, str], body: bytes, now: float) -> str:
    """Check the signature and the timestamp; return the delivery id."""
    delivery = headers.get("x-easrg-delivery", "")
    timestamp = headers.get("x-easrg-timestamp", "")
    signature = headers.get("x-easrg-signature", "")
    if not (delivery and timestamp and signature):
        raise Rejected(401, "missing X-Easrg-Delivery, X-Easrg-Timestamp or X-Easrg-Signature header")
    if not DELIVERY.fullmatch(delivery):
        raise Rejected(400, "X-Easrg-Delivery must be 1-128 characters of A-Z a-z 0-9 . _ : -")
    if not hmac.compare_digest(sign(secret, timestamp, delivery, body), signature):
        raise Rejected(401, "signature does not match (sha256 HMAC of '<timestamp>.<delivery>.' + body)")
    try:
        age = now - int(timestamp)
    except ValueError:
        raise Rejected(401, "X-Easrg-Timestamp must be Unix seconds") from None
    if abs(age) > TOLERANCE_S:
        raise Rejected(401, f"timestamp is {int(age)} s away from now; at most {TOLERANCE_S} s is accepted")
    return delivery


def parameters(body: bytes) -> dict[str, Any]:
    """The flow parameters of a delivery body; 400 naming the field for anything wrong."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Rejected(400, "body is not JSON") from None
    if not isinstance(data, dict):
        raise Rejected(400, "body must be a JSON object with a 'spec' field")
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise Rejected(
            400, f"unknown field(s): {', '.join(unknown)}; allowed: spec, dry_run", field=unknown[0]
        )
    if "spec" not in data:
        raise Rejected(400, "spec: required", field="spec")
    dry_run = data.get("dry_run", False)
    if not isinstance(dry_run, bool):
        raise Rejected(400, "dry_run: must be true or false", field="dry_run")
    try:
        spec = parse_spec(data["spec"])
    except SpecError as error:
        problems = [
            {"field": f"spec.{f}" if f != "(spec)" else "spec", "message": m} for f, m in error.problems
        ]
        first = problems[0]
        raise Rejected(
            400, f"{first['field']}: {first['message']}", field=first["field"], problems=problems
        ) from None
    return {"spec": spec.model_dump(mode="json"), "dry_run": dry_run}


@dataclass
class Replays:
    """Delivery ids seen within the tolerance window, with the flow run each one started.

    An id is *claimed* before the run is started and *released* if starting fails, so a sender's
    retry after an error is not mistaken for a replay.
    """

    window_s: float = 2 * TOLERANCE_S
    limit: int = 100_000
    _seen: OrderedDict[str, tuple[float, str]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def claim(self, delivery: str, now: float) -> str | None:
        """None if the id is new (now claimed); else the flow run it started ('' while starting)."""
        with self._lock:
            while self._seen and (
                len(self._seen) >= self.limit or next(iter(self._seen.values()))[0] < now - self.window_s
            ):
                self._seen.popitem(last=False)
            if delivery in self._seen:
                return self._seen[delivery][1]
            self._seen[delivery] = (now, "")
            return None

    def started(self, delivery: str, flow_run_id: str) -> None:
        with self._lock:
            if delivery in self._seen:
                self._seen[delivery] = (self._seen[delivery][0], flow_run_id)

    def release(self, delivery: str) -> None:
        with self._lock:
            self._seen.pop(delivery, None)


def handle(
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    secret: str,
    deployment: str,
    replays: Replays,
    start: Starter,
    now: float,
) -> Response:
    """Answer one request (``headers`` with lower-case names).  Starts a run only when all checks pass."""
    try:
        _check_request(method, path, headers, body)
        delivery = verify(secret, headers, body, now)
        params = parameters(body)
        earlier = replays.claim(delivery, now)
        if earlier is not None:
            raise Rejected(409, f"delivery {delivery} was already received", flow_run_id=earlier or None)
    except Rejected as rejected:
        return rejected.response
    try:
        flow_run_id = start(deployment, params, delivery)
    except Exception as error:  # the sender may retry the same delivery: forget it
        replays.release(delivery)
        logger.warning("delivery %s: could not start %s: %s", delivery, deployment, error)
        return Response(502, {"error": f"could not start {deployment}: {type(error).__name__}: {error}"})
    replays.started(delivery, flow_run_id)
    logger.info("delivery %s started flow run %s of %s", delivery, flow_run_id, deployment)
    return Response(202, {"flow_run_id": flow_run_id, "deployment": deployment, "delivery": delivery})


def _check_request(method: str, path: str, headers: Mapping[str, str], body: bytes) -> None:
    if path.split("?", 1)[0] != PATH:
        raise Rejected(404, f"not found; deliveries go to POST {PATH}")
    if method != "POST":
        raise Rejected(405, f"use POST {PATH}")
    if len(body) > MAX_BODY:
        raise Rejected(413, f"body is larger than {MAX_BODY} bytes")
    if headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise Rejected(415, "Content-Type must be application/json")


def start_deployment(deployment: str, params: dict[str, Any], delivery: str) -> str:
    """Create a flow run of ``deployment`` and return at once (a repeat key returns the same run)."""
    from prefect.deployments import run_deployment

    flow_run: Any = run_deployment(
        deployment, parameters=params, timeout=0, idempotency_key=delivery, as_subflow=False
    )
    return str(flow_run.id)


def make_server(
    host: str, port: int, secret: str, deployment_name: str, *, start: Starter = start_deployment
) -> HTTPServer:
    """A threading HTTP server receiving deliveries for ``deployment_name`` ("flow/deployment").

    Prefect settings (``PREFECT_API_URL``...) in effect here are the ones every request uses.
    """
    if len(secret) < MIN_SECRET:
        raise ValueError(f"the webhook secret must be at least {MIN_SECRET} characters")
    if "/" not in deployment_name:
        raise ValueError(f"deployment_name must be 'flow-name/deployment-name', not {deployment_name!r}")
    context = contextvars.copy_context()
    replays = Replays()

    def run_start(name: str, params: dict[str, Any], delivery: str) -> str:
        return context.copy().run(start, name, params, delivery)

    class Handler(_Handler):
        def answer(self, method: str) -> Response:
            return handle(
                method,
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                self.read_body(),
                secret=secret,
                deployment=deployment_name,
                replays=replays,
                start=run_start,
                now=time.time(),
            )

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


class _Handler(BaseHTTPRequestHandler):
    server_version = "easrg-webhook"
    sys_version = ""

    def answer(self, method: str) -> Response:
        raise NotImplementedError

    def read_body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        return self.rfile.read(min(length, MAX_BODY + 1)) if length > 0 else b""

    def _respond(self, method: str) -> None:
        response = self.answer(method)
        data = json.dumps(response.body).encode()
        self.send_response(response.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self._respond("POST")

    def do_GET(self) -> None:  # noqa: N802
        self._respond("GET")

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), format % args)
