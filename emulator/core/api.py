"""What a service handler sees of the emulator core: the parsed call, its errors, time and ids.

Every service (``emulator/services/<product>/``) is written against this module only.  The core
(server, signature verification, principals, routing, control API) builds a :class:`Call` for
each request, finds the handler method named after the action in snake case
(``CreateVpcEndpoint`` -> ``create_vpc_endpoint``) and serialises what it returns (a ``dict``)
or the :class:`ApiError` it raises, in the product's wire style (RPC/ROA JSON envelope, or the
SLS ``errorCode``/``errorMessage`` envelope).

Records kept in stores are dataclasses whose fields hold only JSON-native values (str, int,
float, bool, None, list, dict), so that the whole world round-trips through ``--state-file``
with :func:`record_to_dict` / ``Cls(**d)``.

Asynchronous lifecycles are *lazy*: a record carries ``pending`` — a list of
``[due_epoch, field, value]`` — and :func:`settle` applies every entry that is due whenever the
record is read.  A value of :data:`GONE` for the field ``"__gone__"`` means the record disappears.
Durations come from :class:`Pace`, switchable at run time (instant / fast / realistic, plus
per-key overrides), so the same code serves unit tests (instant) and the demo (realistic).
"""

from __future__ import annotations

import builtins
import dataclasses
import json
import secrets
import string
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

GONE = "__gone__"


class ApiError(Exception):
    """An error answered to the client with its exact Alibaba Cloud code and HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400, headers: dict[str, str] | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.headers = dict(headers or {})


# --------------------------------------------------------------------------------------------
# Durations of asynchronous transitions
# --------------------------------------------------------------------------------------------

#: Seconds each transition takes, per pace.  "realistic" keeps the real ordering and the order of
#: magnitude of the lower end of what the services take (an endpoint takes tens of seconds to
#: minutes to become Active; terraform's first poll is after 60 s), so a demo onboards and tears
#: down a group in about a minute.
DURATIONS: dict[str, dict[str, float]] = {
    # key                                 instant fast  realistic
    "privatelink.endpoint.create":       {"instant": 0, "fast": 0.3, "realistic": 20.0},
    "privatelink.endpoint.modify":       {"instant": 0, "fast": 0.2, "realistic": 5.0},
    "privatelink.endpoint.delete":       {"instant": 0, "fast": 0.3, "realistic": 12.0},
    "privatelink.connection.accept":     {"instant": 0, "fast": 0.2, "realistic": 3.0},
    "privatelink.zone.create":           {"instant": 0, "fast": 0.3, "realistic": 10.0},
    "privatelink.zone.delete":           {"instant": 0, "fast": 0.3, "realistic": 8.0},
    "ecs.eni.release":                   {"instant": 0, "fast": 0.5, "realistic": 10.0},
    "privatezone.zone.visible":          {"instant": 0, "fast": 0.2, "realistic": 3.0},
    "privatezone.bind.visible":          {"instant": 0, "fast": 0.1, "realistic": 2.0},
    "sls.project.visible":               {"instant": 0, "fast": 0.2, "realistic": 5.0},
    "sls.logstore.visible":              {"instant": 0, "fast": 0.1, "realistic": 3.0},
    "resourcemanager.role.delete":       {"instant": 0, "fast": 0.3, "realistic": 5.0},
}

PACES = ("instant", "fast", "realistic")


class Pace:
    """The current pace and per-key overrides; thread-safe, switchable through the control API."""

    def __init__(self, name: str = "instant", overrides: dict[str, float] | None = None):
        self._lock = threading.Lock()
        self.name = "instant"
        self.overrides: dict[str, float] = {}
        self.set(name, overrides or {})

    def set(self, name: str, overrides: dict[str, float] | None = None) -> None:
        if name not in PACES:
            raise ValueError(f"pace must be one of {', '.join(PACES)}, not {name!r}")
        unknown = set(overrides or {}) - set(DURATIONS)
        if unknown:
            raise ValueError(f"unknown duration keys {sorted(unknown)}; known: {sorted(DURATIONS)}")
        with self._lock:
            self.name = name
            self.overrides = {k: float(v) for k, v in (overrides or {}).items()}

    def seconds(self, key: str) -> float:
        with self._lock:
            if key in self.overrides:
                return self.overrides[key]
            return DURATIONS[key][self.name]

    def describe(self) -> dict[str, Any]:
        with self._lock:
            return {
                "pace": self.name,
                "overrides": dict(self.overrides),
                "durations": {k: self.overrides.get(k, v[self.name]) for k, v in DURATIONS.items()},
            }


# --------------------------------------------------------------------------------------------
# Records and lazy transitions
# --------------------------------------------------------------------------------------------


def schedule(record: Any, due: float, field_name: str, value: Any) -> None:
    """Arrange for ``record.<field_name> = value`` at epoch ``due`` (applied by :func:`settle`)."""
    record.pending.append([due, field_name, value])
    record.pending.sort(key=lambda entry: entry[0])


def settle(record: Any, now: float) -> bool:
    """Apply every due transition of ``record``; return False once the record is gone."""
    while record.pending and record.pending[0][0] <= now:
        _, field_name, value = record.pending.pop(0)
        if field_name == GONE:
            return False
        setattr(record, field_name, value)
    return True


def record_to_dict(record: Any) -> dict[str, Any]:
    return dataclasses.asdict(record)


@dataclass
class Record:
    """Base for stored resources: ``pending`` holds lazy transitions."""

    pending: list[list[Any]] = field(default_factory=list, kw_only=True)


# --------------------------------------------------------------------------------------------
# One call
# --------------------------------------------------------------------------------------------


@dataclass
class Principal:
    """Who signed the request."""

    name: str  # "owner" or "eas-role" in the default world
    account_id: str
    access_key_id: str
    # The RAM-style policy that limits this principal; None means the account owner (all allowed).
    policy: dict[str, Any] | None = None


@dataclass
class Call:
    """One request as a handler sees it.

    ``params`` holds RPC query/form parameters (or ROA query and path parameters, or SLS query
    parameters) with ``Name.N`` / ``Name.N.Field`` already unflattened into lists of values /
    lists of dicts.  All values are strings as received; use the :class:`Params` accessors to
    convert and validate them.  ``body`` is the parsed JSON body (SLS, ROA) or None.
    """

    product: str
    action: str
    params: Params
    principal: Principal
    region: str
    request_id: str
    now: float
    body: Any = None
    project: str | None = None  # SLS only: taken from the Host header
    method: str = "POST"
    path: str = "/"
    # Request headers by lower-cased name (repeated ones joined with ","), and the body as
    # received: SLS PutLogs needs x-log-bodyrawsize / x-log-compresstype and the raw protobuf.
    headers: dict[str, str] = field(default_factory=dict)
    raw_body: bytes = b""

    @property
    def account_id(self) -> str:
        return self.principal.account_id


@dataclass
class Reply:
    """What a handler returns instead of a ``dict`` when it needs another status or headers.

    ``body`` is serialised like a plain return value (a dict, a list for ROA, ``{}`` for an
    empty SLS body) or sent verbatim when it is ``bytes``.
    """

    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class Params:
    """Typed, validated access to request parameters; errors carry the real codes."""

    def __init__(self, raw: dict[str, Any]):
        self.raw = raw

    def __contains__(self, name: str) -> bool:
        return name in self.raw and self.raw[name] not in (None, "")

    def get(self, name: str, default: Any = None) -> Any:
        return self.raw.get(name, default)

    def str(self, name: str, required: bool = False, default: str | None = None) -> str | None:
        value = self.raw.get(name)
        if value is None or value == "":
            if required:
                raise ApiError("MissingParameter", f"The input parameter \"{name}\" that is mandatory for "
                               "processing this request is not supplied.", 400)
            return default
        if not isinstance(value, str):
            raise ApiError("InvalidParameter", f"The parameter {name} is malformed.", 400)
        return value

    def req(self, name: builtins.str) -> builtins.str:
        value = self.str(name, required=True)
        assert value is not None
        return value

    def int(self, name: builtins.str, default: int | None = None, lo: int | None = None,
            hi: int | None = None, code: builtins.str | None = None) -> int | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ApiError(code or "InvalidParameter", f"The parameter {name} must be an integer.",
                           400) from None
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            if hi is None:
                rule = f"at least {lo}"
            elif lo is None:
                rule = f"at most {hi}"
            else:
                rule = f"between {lo} and {hi}"
            raise ApiError(code or "InvalidParameter",
                           f"The parameter {name} must be {rule}; got {number}.", 400)
        return number

    def bool(self, name: builtins.str, default: bool = False) -> bool:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise ApiError("InvalidParameter", f"The parameter {name} must be true or false.", 400)

    def list(self, name: builtins.str) -> builtins.list[Any]:
        """``Name.1``, ``Name.2`` … as a list (strings, or dicts for ``Name.N.Field``)."""
        value = self.raw.get(name)
        if value is None:
            return []
        if isinstance(value, list):
            return [v for v in value if v is not None]
        return [value]

    def json_list(self, name: builtins.str) -> builtins.list[Any]:
        """A parameter sent as a JSON array string (ECS ``SecurityGroupIds``)."""
        value = self.raw.get(name)
        if value in (None, ""):
            return []
        try:
            parsed = json.loads(value)
        except (TypeError, ValueError):
            raise ApiError("InvalidParameter", f"The parameter {name} must be a JSON array.", 400) from None
        if not isinstance(parsed, list):
            raise ApiError("InvalidParameter", f"The parameter {name} must be a JSON array.", 400)
        return parsed


# --------------------------------------------------------------------------------------------
# Ids, tokens, paging
# --------------------------------------------------------------------------------------------

_ALNUM = string.ascii_lowercase + string.digits


def new_id(prefix: str, length: int = 20) -> str:
    """An id with a real prefix: ``ep-``, ``sg-``, ``eni-``, ``vsw-`` … followed by lowercase alnum."""
    return prefix + "".join(secrets.choice(_ALNUM) for _ in range(length))


def new_request_id() -> str:
    return str(uuid.uuid4()).upper()


def iso_now(now: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if now is None else now))


class ClientTokens:
    """``ClientToken`` idempotency for one store: same token + same request -> same answer.

    A token reused with different parameters is refused with ``mismatch_code`` (the product's code
    for it, e.g. ``IdempotentParameterMismatch``).  Entries are JSON-native for persistence.
    """

    def __init__(self, entries: dict[str, dict[str, Any]] | None = None):
        self.entries: dict[str, dict[str, Any]] = entries or {}

    def lookup(self, call: Call, mismatch_code: str = "IdempotentParameterMismatch",
               mismatch_status: int = 400) -> dict[str, Any] | None:
        token = call.params.str("ClientToken")
        if not token:
            return None
        key = f"{call.action}:{token}"
        entry = self.entries.get(key)
        if entry is None:
            return None
        if entry["fingerprint"] != _fingerprint(call):
            raise ApiError(mismatch_code, "The request uses the same client token as a previous, but "
                           "non-identical request. Do not reuse a client token with different requests, "
                           "unless the requests are identical.", mismatch_status)
        return dict(entry["response"])

    def remember(self, call: Call, response: dict[str, Any]) -> None:
        token = call.params.str("ClientToken")
        if token:
            self.entries[f"{call.action}:{token}"] = {"fingerprint": _fingerprint(call), "response": response}


def _fingerprint(call: Call) -> str:
    raw = {k: v for k, v in call.params.raw.items() if k not in ("ClientToken", "RequestId")}
    return json.dumps(raw, sort_keys=True, default=str)


def page_by_token(items: list[Any], call: Call, default: int = 50, maximum: int = 1000,
                  size_name: str = "MaxResults") -> tuple[list[Any], str]:
    """NextToken/MaxResults paging: returns (page, next_token); next_token is "" on the last page."""
    size = call.params.int(size_name, default=default, lo=1, hi=maximum)
    assert size is not None
    token = call.params.str("NextToken")
    start = 0
    if token:
        try:
            start = int(token, 16) - 0x1000
            if start < 0 or start > len(items):
                raise ValueError
        except ValueError:
            raise ApiError("IllegalParam.NextToken", "The specified NextToken is invalid.", 400) from None
    page = items[start:start + size]
    next_start = start + size
    return page, (format(next_start + 0x1000, "x") if next_start < len(items) else "")


def page_by_number(items: list[Any], call: Call, default: int = 10,
                   maximum: int = 50) -> tuple[list[Any], int, int]:
    """PageNumber/PageSize paging: returns (page, page_number, page_size)."""
    number = call.params.int("PageNumber", default=1, lo=1)
    size = call.params.int("PageSize", default=default, lo=1, hi=maximum)
    assert number is not None and size is not None
    start = (number - 1) * size
    return items[start:start + size], number, size


Handler = Callable[[Call], dict[str, Any]]
