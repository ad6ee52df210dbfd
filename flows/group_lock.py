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
from uuid import UUID

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


def lock_name(spec: ResourceGroupSpec) -> str:
    return f"easrg-lock-{record_block_name(spec.name, spec.region)}"


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


def _flow_run_id() -> str:
    return str(runtime.flow_run.id or "")


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

    def __init__(self, client_factory: Any, name: str, variable_id: UUID, value: dict[str, Any]):
        self._client_factory = client_factory
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
                with self._client_factory() as client:
                    renewed = _by_id(client, "PATCH", self.variable_id, json={"value": value})
                if not renewed:
                    _log.error(
                        "the lock %s was released by someone else while this run held it; "
                        "another run may now change the same group",
                        self.name,
                    )
                    return
                self.value = value
            except Exception:  # noqa: BLE001 - a missed beat is retried; the lease allows several
                _log.warning("could not renew the lock %s; retrying", self.name, exc_info=True)

    def _delete(self) -> None:
        with self._client_factory() as client:
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


def _stale_reason(client: SyncPrefectClient, holder: dict[str, Any], now: float) -> str:
    """Why the holder is dead, or "" if it may be alive."""
    if holder.get("host") == socket.gethostname() and isinstance(holder.get("pid"), int):
        if not _process_alive(holder["pid"]):
            return f"its process {holder['pid']} on {holder['host']} is gone"
    run_id = holder.get("flow_run_id") or ""
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
    silent = now - float(holder.get("heartbeat_at") or 0)
    if silent > LEASE_S:
        return f"it has not renewed the lock for {silent:.0f} s (lease {LEASE_S:.0f} s)"
    return ""


def _busy(spec: ResourceGroupSpec, name: str, holder: dict[str, Any], action: str) -> GroupBusyError:
    heartbeat = float(holder.get("heartbeat_at") or 0)
    who = holder.get("flow_run_name") or holder.get("flow_run_id") or "a run outside Prefect"
    return GroupBusyError(
        f"resource group {spec.name} ({spec.region}) is being changed by {holder.get('action', 'a run')} "
        f"{who!r} (flow run id {holder.get('flow_run_id') or '-'}, process {holder.get('pid')} on "
        f"{holder.get('host')}) since {_clock(float(holder.get('acquired_at') or heartbeat))}; this "
        f"{action} changed nothing. Wait for that run to end and run this again. If it died, its lock "
        f"frees itself at {_clock(heartbeat + LEASE_S)}; to free it now, delete the Prefect variable "
        f"{name!r} (UI: Variables, or `prefect variable unset {name}`)."
    )


def _acquire(client: SyncPrefectClient, spec: ResourceGroupSpec, action: str) -> tuple[UUID, dict[str, Any]]:
    name = lock_name(spec)
    now = time.time()
    value = {
        "action": action,
        "flow_run_id": _flow_run_id(),
        "flow_run_name": str(runtime.flow_run.name or ""),
        "host": socket.gethostname(),
        "pid": os.getpid(),
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
        holder = current.value if isinstance(current.value, dict) else {}
        if value["flow_run_id"] and holder.get("flow_run_id") == value["flow_run_id"]:
            reason = "it is this flow run's own, left by an earlier attempt"
        else:
            reason = _stale_reason(client, holder, time.time())
        if not reason:
            raise _busy(spec, name, holder, action)
        if _by_id(client, "DELETE", current.id):  # False: another run deleted it first; try again
            _log.warning(
                "took over the lock of resource group %s from %s %r: %s",
                spec.name,
                holder.get("action", "a run"),
                holder.get("flow_run_name") or holder.get("flow_run_id"),
                reason,
            )
    raise GroupBusyError(
        f"resource group {spec.name} ({spec.region}): the lock {name!r} kept changing hands "
        f"({_ATTEMPTS} attempts); this {action} changed nothing, run it again"
    )


def live_holder(spec: ResourceGroupSpec) -> str:
    """Who is changing ``spec``'s group now (e.g. "onboarding 'onboard-rg1'"), or "" if no live run."""
    with get_client(sync_client=True) as client:
        current = client.read_variable_by_name(lock_name(spec))
        holder = current.value if current is not None and isinstance(current.value, dict) else None
        if holder is None or _stale_reason(client, holder, time.time()):
            return ""
    who = holder.get("flow_run_name") or holder.get("flow_run_id") or f"process {holder.get('pid')}"
    return f"{holder.get('action', 'a run')} {who!r}"


@contextmanager
def group_lock(spec: ResourceGroupSpec, action: str) -> Iterator[None]:
    """Hold ``spec``'s group lock for the ``with`` block; :class:`GroupBusyError` if a live run has it."""

    def client_factory() -> Any:
        return get_client(sync_client=True)

    def acquire() -> tuple[UUID, dict[str, Any]]:
        with client_factory() as client:
            return _acquire(client, spec, action)

    variable_id, value = busy_retried(acquire)
    holding = _Holding(client_factory, lock_name(spec), variable_id, value)
    try:
        yield
    finally:
        holding.release()
