"""One changing run per resource group: a lock kept as a Prefect variable, freed by a crash.

Two onboardings of one group at once could each create a private zone (one then orphaned), and
a teardown during an onboarding could report "torn down" while the onboarding rebuilds.  So
onboarding and teardown hold the group's lock for the whole run; plans and health checks, which
only read, do not.

* **Taking it** is creating the variable ``easrg-lock-rg-<region>-<name>``: the server refuses a
  second variable of one name (409), so exactly one of two racing runs gets it.
* **Holding it**: the value names the holder (flow run, action, host, process) and a heartbeat
  that a background thread renews every ``HEARTBEAT_S``.
* **A lock left by a crash** is taken over, with a warning naming the old holder, as soon as one
  of these shows the holder is dead: its process is gone (same host); its flow run has ended
  (Crashed, Failed, Cancelled, Completed) or no longer exists; its heartbeat is older than
  ``LEASE_S`` (another host, whose run the server still shows Running).  A stale lock is deleted
  by its id, so of two runs that both found it stale only one deletes it, and only one then
  creates the next.
* **A live holder** ends the new run at once, before any cloud call, naming the holder and the
  time the lock frees itself if that holder has in fact died (as Terraform fails on a held state
  lock rather than waiting).  Deleting the variable (Prefect UI: Variables) releases it by hand.

Prefect's global concurrency limits were not used: on the temporary servers that the CLI and
tests run (``prefect server`` without its services), nothing frees a crashed holder's slot.
"""

from __future__ import annotations

import contextvars
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from prefect import runtime
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.actions import VariableCreate
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound, PrefectHTTPStatusError

from blocks.record import record_block_name
from blocks.saving import busy_retried
from flows.spec import ResourceGroupSpec

_log = logging.getLogger("eas-rg")

#: how often the holder renews its heartbeat
HEARTBEAT_S = 10.0
#: a holder silent this long is taken for dead (several missed heartbeats, for a slow server)
LEASE_S = 90.0
#: attempts to take a lock that keeps being freed and re-taken by others, before giving up
_ATTEMPTS = 5


class GroupBusyError(RuntimeError):
    """Another live run is changing the same resource group."""


LOCK_PREFIX = "easrg-lock-"


def lock_name(spec: ResourceGroupSpec) -> str:
    return f"{LOCK_PREFIX}{record_block_name(spec.name, spec.region)}"


def _clock(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


def _by_id(client: SyncPrefectClient, method: str, variable_id: UUID, **body: Any) -> bool:
    """PATCH or DELETE one variable by its id (not its name: a successor may have the name now);
    False when it is gone."""
    try:
        client._client.request(method, f"/variables/{variable_id}", **body)
    except PrefectHTTPStatusError as error:
        if error.response.status_code == 404:
            return False
        raise
    return True


class _Holding:
    """The lock while this run holds it: the variable's id, and the heartbeat thread."""

    def __init__(self, name: str, variable_id: UUID, value: dict[str, Any]):
        self.name = name
        self.variable_id = variable_id
        self.value = value
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=contextvars.copy_context().run, args=(self._beat,), name="group-lock", daemon=True
        )
        self._thread.start()

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            value = {**self.value, "heartbeat_at": time.time()}
            try:
                with get_client(sync_client=True) as client:
                    renewed = _by_id(client, "PATCH", self.variable_id, json={"value": value})
                if not renewed and not self._stop.is_set():  # stop set: released, as meant
                    _log.error(
                        "the lock %s was released by someone else while this run held it; "
                        "another run may now change the same group",
                        self.name,
                    )
                    return
                if not renewed:
                    return
                self.value = value
            except Exception:  # noqa: BLE001 - a missed beat is retried; the lease allows several
                _log.warning("could not renew the lock %s; retrying", self.name, exc_info=True)

    def _delete(self) -> None:
        with get_client(sync_client=True) as client:
            _by_id(client, "DELETE", self.variable_id)

    def release(self) -> None:
        self._stop.set()
        self._thread.join(HEARTBEAT_S + 30)
        try:
            busy_retried(lambda: self._delete())
        except Exception:  # noqa: BLE001 - the run's end state frees it for the next run anyway
            _log.warning(
                "could not release the lock %s; the next run takes it over", self.name, exc_info=True
            )


def _holder(value: Any) -> dict[str, Any]:
    """The holder a lock's value names, every field checked: a value that is not what this module
    writes (edited by hand, another version) reads as a holder with no heartbeat, taken over."""
    raw = value if isinstance(value, dict) else {}
    now = time.time()

    def text(key: str) -> str:
        return raw[key] if isinstance(raw.get(key), str) else ""

    def moment(key: str) -> float:
        v = raw.get(key)
        if isinstance(v, int | float) and not isinstance(v, bool) and 0 < v < now + 86400:
            return float(v)
        return 0.0

    pid = raw.get("pid")
    return {
        "action": text("action") or "a run",
        "flow_run_id": text("flow_run_id"),
        "flow_run_name": text("flow_run_name"),
        "host": text("host"),
        "pid": pid if isinstance(pid, int) and not isinstance(pid, bool) and 0 < pid < 2**31 else None,
        "token": text("token"),
        "acquired_at": moment("acquired_at"),
        "heartbeat_at": moment("heartbeat_at"),
    }


def _who(holder: dict[str, Any]) -> str:
    if holder["flow_run_name"] or holder["flow_run_id"]:
        return f"{holder['action']} {holder['flow_run_name'] or holder['flow_run_id']!r}"
    if holder["pid"]:
        return f"{holder['action']} in process {holder['pid']} on {holder['host'] or 'an unnamed host'}"
    return f"{holder['action']} that left no name"


def _stale_reason(client: SyncPrefectClient, holder: dict[str, Any], now: float) -> str:
    """Why the holder is dead, or "" if it may be alive.

    Assumed: a host name identifies one process namespace (containers that share a host name
    and not their processes would see each other's holders as dead), and holders' clocks agree
    within the lease.
    """
    if holder["host"] == socket.gethostname() and holder["pid"] and not _process_alive(holder["pid"]):
        return f"its process {holder['pid']} on {holder['host']} is gone"
    run_id = holder["flow_run_id"]
    if run_id:
        try:
            state = client.read_flow_run(UUID(run_id)).state
        except ObjectNotFound:
            return f"its flow run {run_id} no longer exists"
        except ValueError:
            pass
        else:
            if state is not None and state.is_final():
                return f"its flow run ended {state.name}"
    if not holder["heartbeat_at"]:
        return "its lock names no heartbeat time"
    silent = now - holder["heartbeat_at"]
    if silent > LEASE_S:
        return f"it has not renewed the lock for {silent:.0f} s (lease {LEASE_S:.0f} s)"
    return ""


def _busy(spec: ResourceGroupSpec, name: str, holder: dict[str, Any], action: str) -> GroupBusyError:
    heartbeat = holder["heartbeat_at"]
    return GroupBusyError(
        f"resource group {spec.name} ({spec.region}) is being changed by {_who(holder)} "
        f"(flow run id {holder['flow_run_id'] or '-'}, process {holder['pid'] or '-'} on "
        f"{holder['host'] or '-'}) since {_clock(holder['acquired_at'] or heartbeat)}; this "
        f"{action} changed nothing. Wait for that run to end and run this again. If it died, its lock "
        f"frees itself at {_clock(heartbeat + LEASE_S)} at the latest (at once if its process on this "
        f"host is gone or its flow run has ended); to free it now, delete the Prefect variable "
        f"{name!r} (UI: Variables, or `prefect variable unset {name}`)."
    )


def _acquire(
    client: SyncPrefectClient, spec: ResourceGroupSpec, action: str, token: str
) -> tuple[UUID, dict[str, Any]]:
    name = lock_name(spec)
    now = time.time()
    value = {
        "action": action,
        "flow_run_id": str(runtime.flow_run.id or ""),
        "flow_run_name": str(runtime.flow_run.name or ""),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "token": token,
        "acquired_at": now,
        "heartbeat_at": now,
    }
    for _ in range(_ATTEMPTS):
        try:
            variable = client.create_variable(VariableCreate(name=name, value=value))
            return variable.id, value
        except ObjectAlreadyExists:
            pass
        current = client.read_variable_by_name(name)
        if current is None:  # released meanwhile
            continue
        holder = _holder(current.value)
        if holder["token"] == token:  # this very take, whose first answer was lost
            return current.id, value
        same_process = (holder["host"], holder["pid"]) == (value["host"], value["pid"])
        if value["flow_run_id"] and holder["flow_run_id"] == value["flow_run_id"] and not same_process:
            reason = "it is this flow run's own, left by an earlier attempt in another process"
        else:
            reason = _stale_reason(client, holder, time.time())
        if not reason:
            raise _busy(spec, name, holder, action)
        if _by_id(client, "DELETE", current.id):  # False: another run deleted it first; try again
            _log.warning(
                "took over the lock of resource group %s from %s: %s", spec.name, _who(holder), reason
            )
    raise GroupBusyError(
        f"resource group {spec.name} ({spec.region}): the lock {name!r} kept changing hands "
        f"({_ATTEMPTS} attempts); this {action} changed nothing, run it again"
    )


def live_holder(spec: ResourceGroupSpec) -> str:
    """Who is changing ``spec``'s group now (e.g. "onboarding 'onboard-rg1'"), or "" if no live run."""
    with get_client(sync_client=True) as client:
        current = client.read_variable_by_name(lock_name(spec))
        if current is None:
            return ""
        holder = _holder(current.value)
        return "" if _stale_reason(client, holder, time.time()) else _who(holder)


def live_holders() -> list[str]:
    """Every group being changed now, as "<lock name>: <who>" (for a role deletion to refuse)."""
    found: list[str] = []
    with get_client(sync_client=True) as client:
        offset = 0
        while True:
            body = {"variables": {"name": {"like_": LOCK_PREFIX}}, "limit": 200, "offset": offset}
            page = client._client.post("/variables/filter", json=body).json()
            for variable in page:
                name = str(variable.get("name", ""))
                if not name.startswith(LOCK_PREFIX):
                    continue
                holder = _holder(variable.get("value"))
                if not _stale_reason(client, holder, time.time()):
                    found.append(f"{name.removeprefix(LOCK_PREFIX)}: {_who(holder)}")
            if len(page) < 200:
                return found
            offset += len(page)


@contextmanager
def group_lock(spec: ResourceGroupSpec, action: str) -> Iterator[None]:
    """Hold ``spec``'s group lock for the ``with`` block; :class:`GroupBusyError` if a live run has it."""

    token = uuid4().hex  # one per take, kept across retries: a lost answer finds its own lock

    def acquire() -> tuple[UUID, dict[str, Any]]:
        with get_client(sync_client=True) as client:
            return _acquire(client, spec, action, token)

    variable_id, value = busy_retried(acquire)
    holding = _Holding(lock_name(spec), variable_id, value)
    try:
        yield
    finally:
        holding.release()
