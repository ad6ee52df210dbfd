"""Ten onboardings at once, and a health check, against a 5 QPS throttle on every API (C06)."""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from prefect.settings import PREFECT_CLIENT_MAX_RETRIES, PREFECT_LOGGING_TO_API_ENABLED, temporary_settings

from blocks.credentials import AlibabaCloudCredentials
from flows.health_check import check_resource_group_health
from flows.onboarding import onboard_resource_group
from flows.spec import ResourceGroupSpec
from tests.integration.flows.conftest import credentials_for
from tests.integration.flows.inventory import Inventory
from tests.integration.flows.worlds import (
    add_principal_without,
    add_tenant_networks,
    default_world,
    emulator_on,
)
from tests.support.emulator_control import EmulatorControl
from tests.support.world import REGION

QPS = 5
TENANTS = 10
THROTTLED = ("Throttling.User", "WriteQuotaExceed", "ReadQuotaExceed")
#: the product-side actions whose counts differ between the first onboarding and the next ones
ACCOUNT_SETUP = ("OpenPrivateLinkService", "CreateServiceLinkedRole")


@pytest.fixture(scope="module")
def crowded_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmulatorControl, Any]]:
    world = default_world()
    tenants = add_tenant_networks(world, TENANTS)
    auditor = add_principal_without(world, "auditor", [])
    with emulator_on(world, tmp_path_factory.mktemp("crowded")) as control:
        yield control, (tenants, auditor)


def _blocks(emulator: EmulatorControl, auditor: tuple[str, str]) -> tuple[str, str]:
    """The owner's block for onboarding; the health check under its own key, to count it apart."""
    owner, audit = f"crowded-owner-{emulator.port}", f"crowded-auditor-{emulator.port}"
    credentials_for(emulator).save(owner, overwrite=True)
    AlibabaCloudCredentials(
        access_key_id=auditor[0], access_key_secret=auditor[1], endpoint=emulator.url, region_id=REGION
    ).save(audit, overwrite=True)
    return owner, audit


def test_onboard_resource_group_ten_at_once_under_a_per_api_throttle(
    crowded_world: tuple[EmulatorControl, Any],
    make_spec: Callable[..., ResourceGroupSpec],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    emulator, (tenants, auditor) = crowded_world
    emulator.reset()
    monkeypatch.setenv("EASRG_API_QPS", str(QPS))  # the budget the account has, per API
    owner, audit = _blocks(emulator, auditor)
    # One endpoint service each: the same DAG with fewer task runs (the Prefect test server, not
    # the cloud, is what limits how many flows one test can run at once).
    services = make_spec().endpoint_services[:1]
    checked = make_spec(endpoint_services=services)
    # Unthrottled references: one onboarding (the same calls as each tenant's, plus the account's
    # set-up) and one health check.
    assert onboard_resource_group(checked, credentials_block=owner).status == "onboarded"
    actions = {c["action"] for c in emulator.calls()}
    per_onboarding = sum(1 for c in emulator.calls() if c["action"] not in ACCOUNT_SETUP)
    emulator.clear_calls()
    assert check_resource_group_health(checked, credentials_block=audit).status == "healthy"
    per_check = len(emulator.calls())
    for action in actions | {c["action"] for c in emulator.calls()}:
        emulator.throttle(action, QPS)  # a bucket per API, as the cloud has
    emulator.clear_calls()
    specs = [make_spec(**tenant, endpoint_services=services) for tenant in tenants]

    started = time.monotonic()
    # Logs to the API cost the test server seconds of SQLite writes under this load; they are
    # not what is tested here.  Its SQLite answers 503 while locked: the client retries longer.
    quieter = {PREFECT_LOGGING_TO_API_ENABLED: False, PREFECT_CLIENT_MAX_RETRIES: 15}
    # Pool threads start with an empty context: each run is given a copy of this one, or these
    # settings (and the test server's) would not reach it.
    with temporary_settings(quieter), ThreadPoolExecutor(TENANTS + 1) as pool:
        onboardings = [
            pool.submit(contextvars.copy_context().run, onboard_resource_group, s, credentials_block=owner)
            for s in specs
        ]
        check = pool.submit(
            contextvars.copy_context().run, check_resource_group_health, checked, credentials_block=audit
        )
        summaries = [f.result() for f in onboardings]
        health = check.result()
    wall = time.monotonic() - started

    assert [s.status for s in summaries] == ["onboarded"] * TENANTS
    assert health.status == "healthy"
    inventory = Inventory(emulator)
    assert [len(inventory.endpoints(s)) for s in specs] == [1] * TENANTS
    calls = emulator.calls()
    throttled = [c for c in calls if c["code"] in THROTTLED]
    unthrottled = TENANTS * per_onboarding + per_check
    print(
        f"\nC06: {TENANTS} onboardings + 1 health check in {wall:.1f} s; {len(calls)} calls "
        f"({len(throttled)} throttled) against {unthrottled} unthrottled: "
        f"ratio {len(calls) / unthrottled:.2f}"
    )
    assert len(calls) < 1.5 * unthrottled
