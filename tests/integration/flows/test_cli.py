"""The command line against the emulator: a plan prints what onboarding would do and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from flows.cli import main
from tests.integration.flows.conftest import example_data
from tests.integration.flows.inventory import mutating
from tests.support.emulator_control import EmulatorControl


def test_cli_plan_prints_the_planned_changes_and_sends_no_write(
    emulator: EmulatorControl,
    credentials_block: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EASRG_ENDPOINT", emulator.url)  # the CLI sets it from --endpoint: restored after
    spec = tmp_path / "group.yaml"
    spec.write_text(yaml.safe_dump(example_data("rg-cli-plan")))

    code = main(["plan", str(spec), "--endpoint", emulator.url, "--credentials-block", credentials_block])

    out = capsys.readouterr().out
    assert code == 0
    assert "planned: create security group eas-rg-rg-cli-plan" in out
    assert "onboarding of rg-cli-plan: planned" in out
    assert mutating(emulator) == []
