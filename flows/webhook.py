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
server would accept them and the run would then crash; a field given twice is refused too,
since which copy counts depends on the parser) and the spec (400 naming each bad field).  A
request not fully sent within :data:`READ_TIMEOUT_S` is answered 408.  Only then does it call
``run_deployment(name, parameters, timeout=0, idempotency_key=<delivery id>)`` and answer 202
with the flow run id.  The idempotency key makes Prefect return the same run for the same
delivery even across restarts of the receiver, whose replay memory is only in-process.

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
TIMESTAMP = re.compile(r"[0-9]{1,12}")
#: a sender has this long to send its request (a connection left half-sent would hold a thread forever)
READ_TIMEOUT_S = 10.0

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
    # hex digits compare case-insensitively: senders that print upper-case hex sign the same bytes
    if not hmac.compare_digest(sign(secret, timestamp, delivery, body), signature.lower()):
        raise Rejected(401, "signature does not match (sha256 HMAC of '<timestamp>.<delivery>.' + body)")
    # int() also takes signs, underscores, spaces and other scripts' digits: only plain digits are seconds
    if not TIMESTAMP.fullmatch(timestamp):
        raise Rejected(401, "X-Easrg-Timestamp must be Unix seconds (ASCII digits)")
    age = now - int(timestamp)
    if abs(age) > TOLERANCE_S:
        when = f"{int(age)} s in the past" if age > 0 else f"{int(-age)} s in the future"
        raise Rejected(401, f"timestamp is {when}; at most {TOLERANCE_S} s either way is accepted")
    return delivery


class _Object(dict[str, Any]):
    """A JSON object, knowing the keys it was given more than once (``json`` keeps the last)."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    found = _Object(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        twice: list[str] = []
        for key, _ in pairs:
            if key in seen:
                twice.append(key)
            seen.add(key)
        found.duplicates = tuple(twice)
    return found


def _first_duplicate(data: Any) -> str | None:
    """The dotted path of a key given twice anywhere in ``data`` (iterative: no recursion limit)."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, _Object):
            if value.duplicates:
                return f"{path}.{value.duplicates[0]}".lstrip(".")
            stack += [(f"{path}.{k}", v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(f"{path}.{i}", v) for i, v in enumerate(value)]
    return None


def _load(body: bytes) -> Any:
    """The body as JSON; a key given twice is refused (a sender's own checks may have read the
    first one, and the flow would get the last)."""
    try:
        data = json.loads(body, object_pairs_hook=_object)
    except RecursionError:
        raise Rejected(400, "body is nested too deeply to be a delivery") from None
    except (ValueError, UnicodeDecodeError):
        raise Rejected(400, "body is not JSON") from None
    duplicate = _first_duplicate(data)
    if duplicate:
        raise Rejected(400, f"{duplicate}: given more than once; send each field once", field=duplicate)
    return data


def parameters(body: bytes) -> dict[str, Any]:
    """The flow parameters of a delivery body; 400 naming the field for anything wrong."""
    data = _load(body)
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
        reason = _start_failure(deployment, error)
        logger.warning("delivery %s: could not start %s: %s", delivery, deployment, reason)
        return Response(502, {"error": f"could not start {deployment}: {reason}"})
    replays.started(delivery, flow_run_id)
    logger.info("delivery %s started flow run %s of %s", delivery, flow_run_id, deployment)
    return Response(202, {"flow_run_id": flow_run_id, "deployment": deployment, "delivery": delivery})


def _start_failure(deployment: str, error: Exception) -> str:
    from prefect.exceptions import ObjectNotFound

    if isinstance(error, ObjectNotFound):  # its text is "None"
        return (
            f"no deployment {deployment} on the Prefect server (PREFECT_API_URL); "
            "create it with `make deploy` against that server"
        )
    return f"{type(error).__name__}: {error}"


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
        timeout = READ_TIMEOUT_S  # per socket operation: a half-sent request frees its thread

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
        """The body, read within one deadline (a per-read timeout alone lets a sender dripping a
        byte at a time hold the thread for as long as it likes)."""
        try:
            wanted = min(int(self.headers.get("Content-Length") or 0), MAX_BODY + 1)
        except ValueError:
            wanted = 0
        deadline = time.monotonic() + (self.timeout or READ_TIMEOUT_S)
        chunks: list[bytes] = []
        while wanted > 0:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            self.connection.settimeout(remaining)
            chunk = self.rfile.read1(wanted)
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)

    def _respond(self, method: str) -> None:
        try:
            response = self.answer(method)
        except TimeoutError:
            response = Response(408, {"error": f"request body not received within {self.timeout} s"})
            self.close_connection = True
        except Exception:  # answer, rather than drop the connection with a traceback
            logger.exception("unexpected error answering %s %s", method, self.path)
            response = Response(500, {"error": "internal error; the delivery was not started"})
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
