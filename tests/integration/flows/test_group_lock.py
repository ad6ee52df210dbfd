"""One changing run per resource group: the lock refuses a live holder and frees a dead one's."""

from __future__ import annotations

import contextvars
import logging
import os
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from prefect import flow, runtime
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import VariableCreate

from alicloud import roles
from flows import group_lock as lock_module
from flows.group_lock import GroupBusyError, group_lock, lock_name
from flows.health_check import HealthCheckError, check_resource_group_health
from flows.onboarding import onboard_resource_group
from flows.role_deletion import RoleInUseError, delete_service_linked_role_flow
from flows.spec import ResourceGroupSpec
from flows.teardown import teardown_resource_group
from tests.integration.alicloud_support import clients_for
from tests.integration.flows.inventory import Inventory, mutating
from tests.support.emulator_control import EmulatorControl
from tests.support.polling import wait_until
from tests.support.world import ROLE_NAME, ROLE_SERVICE_NAME

OTHER_HOST = "worker-elsewhere"


def _plant(spec: ResourceGroupSpec, **holder: Any) -> None:
    """A lock as another run would have left it."""
    now = time.time()
    value = {"action": "onboarding", "flow_run_name": "onboard-x", "acquired_at": now, "heartbeat_at": now}
    with get_client(sync_client=True) as client:
        client.create_variable(VariableCreate(name=lock_name(spec), value={**value, **holder}))


def _holder(spec: ResourceGroupSpec) -> dict[str, Any] | None:
    with get_client(sync_client=True) as client:
        variable = client.read_variable_by_name(lock_name(spec))
    return None if variable is None else dict(variable.value)  # type: ignore[arg-type]


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


@flow
def _finished_run() -> str:
    return str(runtime.flow_run.id)


def test_group_lock_second_taker_is_refused_naming_the_holder(spec: ResourceGroupSpec) -> None:
    with group_lock(spec, "onboarding"):
        with pytest.raises(GroupBusyError) as refused:
            with group_lock(spec, "teardown"):
                pytest.fail("a second holder got the lock")
        assert _holder(spec) is not None  # the refusal left the holder's lock alone
    message = str(refused.value)
    assert f"resource group {spec.name} ({spec.region}) is being changed by onboarding" in message
    assert "this teardown changed nothing" in message
    assert f"prefect variable unset {lock_name(spec)}" in message
    assert _holder(spec) is None  # released on leaving
    with group_lock(spec, "teardown"):  # and free for the next run
        assert _holder(spec)["action"] == "teardown"  # type: ignore[index]


def test_group_lock_released_when_the_block_raises(spec: ResourceGroupSpec) -> None:
    with pytest.raises(ZeroDivisionError), group_lock(spec, "onboarding"):
        raise ZeroDivisionError
    assert _holder(spec) is None


@pytest.mark.parametrize(
    ("holder", "reason"),
    [
        (lambda: {"host": socket.gethostname(), "pid": _dead_pid()}, "on {host} is gone"),
        (
            lambda: {"host": OTHER_HOST, "pid": 1, "flow_run_id": _finished_run()},
            "its flow run ended Completed",
        ),
        (
            lambda: {"host": OTHER_HOST, "pid": 1, "flow_run_id": "0b1c9a4e-1d7e-4c8e-9f55-5a2b7d0e4c11"},
            "no longer exists",
        ),
        (
            lambda: {"host": OTHER_HOST, "pid": 1, "heartbeat_at": time.time() - lock_module.LEASE_S - 5},
            "has not renewed the lock for",
        ),
    ],
    ids=["process gone", "flow run ended", "flow run deleted", "lease expired"],
)
def test_group_lock_left_by_a_dead_holder_is_taken_over_with_a_warning(
    spec: ResourceGroupSpec, caplog: pytest.LogCaptureFixture, holder: Any, reason: str
) -> None:
    planted = holder()
    _plant(spec, **planted)
    with caplog.at_level(logging.WARNING, logger="eas-rg"), group_lock(spec, "teardown"):
        assert _holder(spec)["action"] == "teardown"  # type: ignore[index]
    warnings = [r.getMessage() for r in caplog.records if "took over the lock" in r.getMessage()]
    assert len(warnings) == 1, caplog.text
    assert f"resource group {spec.name} from onboarding 'onboard-x'" in warnings[0]
    assert reason.format(host=socket.gethostname()) in warnings[0]


def test_group_lock_held_elsewhere_with_a_fresh_heartbeat_is_busy(spec: ResourceGroupSpec) -> None:
    _plant(spec, host=OTHER_HOST, pid=4242, flow_run_id="")
    with pytest.raises(GroupBusyError, match=r"process 4242 on worker-elsewhere.*frees itself at"):
        with group_lock(spec, "onboarding"):
            pytest.fail("took a live holder's lock")
    assert _holder(spec)["host"] == OTHER_HOST  # type: ignore[index]


def test_group_lock_holder_renews_its_heartbeat(
    spec: ResourceGroupSpec, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock_module, "HEARTBEAT_S", 0.2)
    with group_lock(spec, "onboarding"):
        first = _holder(spec)
        assert first is not None
        wait_until(
            lambda: _holder(spec)["heartbeat_at"] > first["heartbeat_at"],  # type: ignore[index]
            timeout=30,
            message="a renewed heartbeat",
        )
        assert _holder(spec)["acquired_at"] == first["acquired_at"]  # type: ignore[index]


def test_onboard_and_teardown_while_another_run_holds_the_group_change_nothing(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    with group_lock(spec, "onboarding"):
        with pytest.raises(GroupBusyError, match="this onboarding changed nothing"):
            onboard_resource_group(spec, credentials_block=credentials_block)
        with pytest.raises(GroupBusyError, match="this teardown changed nothing"):
            teardown_resource_group(spec, credentials_block=credentials_block)
        assert emulator.calls() == []
        # a plan only reads: it runs while the group is held
        assert (
            onboard_resource_group(spec, credentials_block=credentials_block, dry_run=True).status
            == "planned"
        )
    assert mutating(emulator) == []


def test_onboard_resource_group_twice_at_once_builds_one_zone_and_refuses_the_second(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    # The first run is held inside the cloud long enough for the second to start meanwhile.
    emulator.add_fault(action="AddZone", latency=5, times=1)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(
            contextvars.copy_context().run, onboard_resource_group, spec, credentials_block=credentials_block
        )
        wait_until(lambda: _holder(spec), timeout=90, message="the first run holding the group")
        with pytest.raises(
            GroupBusyError, match=f"resource group {spec.name} .* is being changed by onboarding"
        ):
            onboard_resource_group(spec, credentials_block=credentials_block)
        assert first.result().status == "onboarded"
    assert len(Inventory(emulator).private_zones(spec.private_zone.name)) == 1
    assert _holder(spec) is None


def test_check_resource_group_health_while_the_group_is_changing_reports_without_failing(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    # Nothing of the group exists yet: an onboarding in progress, as the check sees it.
    with group_lock(spec, "onboarding"):
        summary = check_resource_group_health(spec, credentials_block=credentials_block)
    assert summary.status == "changing"
    assert summary.failures[-1] == (
        f"onboarding in process {os.getpid()} on {socket.gethostname()} is changing the group: "
        "what differs may be its work in progress"
    )
    assert len(summary.failures) > 1  # the differences themselves are still reported
    with pytest.raises(HealthCheckError):  # no run holds it now: the same differences are drift
        check_resource_group_health(spec, credentials_block=credentials_block)


@pytest.mark.parametrize(
    "holder",
    [
        {"heartbeat_at": "abc", "host": OTHER_HOST},
        {"flow_run_id": 12345, "host": OTHER_HOST, "pid": 4242, "heartbeat_at": [1]},
        {"pid": 2**40, "host": socket.gethostname(), "heartbeat_at": None},
        {"acquired_at": "yesterday", "heartbeat_at": time.time() * 1000, "host": OTHER_HOST},
    ],
    ids=["heartbeat text", "run id number", "pid too large", "heartbeat in ms"],
)
def test_group_lock_with_an_unreadable_value_is_taken_over(
    spec: ResourceGroupSpec, caplog: pytest.LogCaptureFixture, holder: dict[str, Any]
) -> None:
    _plant(spec, **holder)
    with caplog.at_level(logging.WARNING, logger="eas-rg"), group_lock(spec, "teardown"):
        assert _holder(spec)["action"] == "teardown"  # type: ignore[index]
    assert "its lock names no heartbeat time" in caplog.text


def test_group_lock_with_an_unreadable_run_id_but_a_fresh_heartbeat_is_busy(spec: ResourceGroupSpec) -> None:
    _plant(spec, flow_run_id=12345, host=OTHER_HOST, pid=4242)
    with pytest.raises(GroupBusyError, match=r"onboarding 'onboard-x' \(flow run id -, process 4242"):
        with group_lock(spec, "teardown"):
            pytest.fail("took a live holder's lock")


def test_group_lock_taken_twice_in_one_process_refuses_the_second(spec: ResourceGroupSpec) -> None:
    @flow
    def nested() -> str:
        with group_lock(spec, "onboarding"):
            try:
                with group_lock(spec, "teardown"):
                    return "both held"
            except GroupBusyError:
                return "refused"

    assert nested() == "refused"
    assert _holder(spec) is None


def test_group_lock_whose_first_answer_was_lost_is_recognised_as_its_own(
    spec: ResourceGroupSpec, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The create commits, then its answer is lost: the retried take finds its own lock.
    from prefect.client.orchestration import SyncPrefectClient

    real = SyncPrefectClient.create_variable
    lost: list[str] = []

    def create_then_lose(self: SyncPrefectClient, variable: VariableCreate) -> Any:
        created = real(self, variable)
        if not lost:
            lost.append(variable.name)
            raise httpx.ReadError("connection reset after the create committed")
        return created

    monkeypatch.setattr(SyncPrefectClient, "create_variable", create_then_lose)
    with group_lock(spec, "onboarding"):
        assert lost == [lock_name(spec)]
        assert _holder(spec)["action"] == "onboarding"  # type: ignore[index]
    assert _holder(spec) is None


def test_delete_role_while_a_group_is_being_onboarded_keeps_the_role(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    # The onboarding holds the group but has no endpoint yet: no inventory would find it.
    roles.create_service_linked_role(clients_for(emulator), service_name=ROLE_SERVICE_NAME)
    with group_lock(spec, "onboarding"), pytest.raises(RoleInUseError) as refused:
        delete_service_linked_role_flow(ROLE_NAME, credentials_block=credentials_block)
    assert f"{spec.region}-{spec.name}: onboarding in process {os.getpid()}" in str(refused.value)
    assert "DeleteServiceLinkedRole" not in mutating(emulator)
    assert roles.get_role(clients_for(emulator), role_name=ROLE_NAME) is not None


def test_check_resource_group_health_when_the_change_ends_during_the_check_is_changing(
    emulator: EmulatorControl,
    spec: ResourceGroupSpec,
    credentials_block: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flows import health_check

    release, held = threading.Event(), threading.Event()

    def hold() -> None:
        with group_lock(spec, "onboarding"):
            held.set()
            release.wait(60)

    holder = threading.Thread(target=contextvars.copy_context().run, args=(hold,))
    holder.start()
    assert held.wait(30)
    real = health_check._checks

    def checks_then_the_change_ends(futures: Any) -> Any:
        result = real(futures)
        release.set()
        holder.join(60)
        return result

    monkeypatch.setattr(health_check, "_checks", checks_then_the_change_ends)
    assert check_resource_group_health(spec, credentials_block=credentials_block).status == "changing"
