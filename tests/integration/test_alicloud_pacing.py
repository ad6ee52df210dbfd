"""Many callers of one throttled API in one process: paced, they all succeed with few extra requests."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from alicloud import vpc
from alicloud.clients import Clients
from alicloud.pacing import Pacer
from tests.integration.alicloud_support import clients_for
from tests.support.emulator_control import EmulatorControl
from tests.support.world import VPC_ID

SERVER_QPS = 10
CALLERS, CALLS_EACH = 10, 4


def _hammer(emulator: EmulatorControl, api_qps: float) -> tuple[int, list[BaseException]]:
    """``CALLERS`` threads, each with clients of its own, call one action ``CALLS_EACH`` times."""
    emulator.throttle("DescribeVpcAttribute", SERVER_QPS)
    pacer = Pacer(api_qps)  # one per test: the process-wide one would carry state between tests
    failures: list[BaseException] = []

    def work(clients: Clients) -> None:
        clients.pacer = pacer
        for _ in range(CALLS_EACH):
            try:
                vpc.describe_vpc_attribute(clients, vpc_id=VPC_ID)
            except Exception as error:  # noqa: BLE001 - counted and reported
                failures.append(error)

    callers = [clients_for(emulator, retry_deadline_s=30, api_qps=api_qps) for _ in range(CALLERS)]
    with ThreadPoolExecutor(CALLERS) as pool:
        list(pool.map(work, callers))
    return len(emulator.calls(action="DescribeVpcAttribute")), failures


def test_paced_callers_within_the_budget_are_not_throttled(emulator: EmulatorControl) -> None:
    sent, failures = _hammer(emulator, api_qps=SERVER_QPS)
    assert failures == []
    assert sent <= CALLERS * CALLS_EACH + 2  # at most a boundary slip or two


def test_paced_callers_with_too_high_a_budget_settle_on_the_server_one(emulator: EmulatorControl) -> None:
    sent, failures = _hammer(emulator, api_qps=2 * SERVER_QPS)
    assert failures == []
    assert sent < 1.5 * CALLERS * CALLS_EACH


def test_unpaced_callers_need_many_more_requests(emulator: EmulatorControl) -> None:
    """What pacing prevents: without it, every caller finds the throttle on its own."""
    sent, _ = _hammer(emulator, api_qps=0)
    assert sent >= 1.5 * CALLERS * CALLS_EACH
