"""A crash after the private zone was added never leaves two zones: the intent is recorded first."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from prefect.settings import PREFECT_API_URL

from alicloud import privatezone
from blocks.record import load_record, set_resource
from flows.onboarding import onboard_resource_group
from flows.spec import ResourceGroupSpec
from tests.integration.alicloud_support import clients_for
from tests.integration.flows.inventory import Inventory
from tests.support.emulator_control import EmulatorControl
from tests.support.polling import wait_until

ROOT = Path(__file__).resolve().parents[3]


def _start_onboarding(spec: ResourceGroupSpec, block: str, tmp_path: Path) -> subprocess.Popen[bytes]:
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(spec.model_dump(mode="json")))
    env = {
        **os.environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "EASRG_TASK_TAGS": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.flows.onboard_process", str(spec_file), block],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_onboard_resource_group_killed_after_add_zone_leaves_one_zone_after_a_rerun(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str, tmp_path: Path
) -> None:
    # The bind that follows AddZone is held long enough for the process to be killed before it
    # goes further (and short enough to be over, if it was sent at all, before the test ends).
    emulator.add_fault(action="BindZoneVpc", latency=3, code="ServiceUnavailable", status=503, times=1)
    child = _start_onboarding(spec, credentials_block, tmp_path)
    try:
        wait_until(lambda: emulator.calls(action="AddZone"), timeout=90, message="AddZone from the child")
        child.send_signal(signal.SIGKILL)
    finally:
        output = child.communicate(timeout=30)[0].decode(errors="replace")
    assert child.returncode == -signal.SIGKILL, output
    assert len(Inventory(emulator).private_zones(spec.private_zone.name)) == 1
    record = load_record(spec.name, spec.region)
    assert record is not None and record.resource("private-zone")["client_token"]
    emulator.clear_faults()

    summary = onboard_resource_group(spec, credentials_block=credentials_block)

    assert summary.status == "onboarded"
    (zone,) = Inventory(emulator).private_zones(spec.private_zone.name)
    assert [v["VpcId"] for v in zone["vpcs"]] == [spec.vpc_id]
    assert [c["code"] for c in emulator.calls(action="AddZone")] in ([None], [None, None])


def test_onboard_resource_group_adopts_a_zone_whose_answer_was_never_recorded(
    emulator: EmulatorControl, spec: ResourceGroupSpec, credentials_block: str
) -> None:
    """The crashed run recorded its token and sent AddZone; the zone exists, its id was never saved."""
    token = uuid.uuid4().hex
    set_resource(spec.name, spec.region, "private-zone", client_token=token, state="adding")
    sent = privatezone.add_zone(clients_for(emulator), zone_name=spec.private_zone.name, client_token=token)

    onboard_resource_group(spec, credentials_block=credentials_block)

    (zone,) = Inventory(emulator).private_zones(spec.private_zone.name)
    assert zone["zone_id"] == sent.zone_id
    record = load_record(spec.name, spec.region)
    assert record is not None and record.resource("private-zone")["id"] == sent.zone_id
