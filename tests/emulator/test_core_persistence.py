"""``python -m emulator serve --state-file``: the world survives a restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alibabacloud_resourcemanager20200331 import models as rm
from alibabacloud_resourcemanager20200331.client import Client

from tests.support.emulator_control import EmulatorControl
from tests.support.sdk import tea_config
from tests.support.world import ROLE_NAME, ROLE_SERVICE_NAME

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def _serve(*args: str) -> Iterator[EmulatorControl]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--port", "0", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("emulator listening on http://127.0.0.1:"), line
        yield EmulatorControl(line.rsplit(" ", 1)[1])
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0


def test_serve_prints_listening_line_and_stops_on_sigterm() -> None:
    with _serve() as control:
        assert control.health()["status"] == "ok"


def test_state_file_survives_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with _serve("--state-file", str(state)) as control:
        Client(tea_config(control)).create_service_linked_role(
            rm.CreateServiceLinkedRoleRequest(service_name=ROLE_SERVICE_NAME)
        )
    with _serve("--state-file", str(state)) as control:
        role = Client(tea_config(control)).get_role(rm.GetRoleRequest(role_name=ROLE_NAME)).body.role
    assert role.role_name == ROLE_NAME


def test_state_file_keeps_pace(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with _serve("--state-file", str(state)) as control:
        control.set_pace("fast", **{"resourcemanager.role.delete": 9})
    with _serve("--state-file", str(state)) as control:
        pace = control.pace()
    assert (pace["pace"], pace["overrides"]) == ("fast", {"resourcemanager.role.delete": 9.0})
