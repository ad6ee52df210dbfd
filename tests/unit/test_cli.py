"""The command line refuses what cannot work with one line and the fix, before any flow starts."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from flows.cli import EXIT_USAGE, ROLE_NAME, main


@pytest.fixture(autouse=True)
def _no_telemetry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    monkeypatch.setenv("EASRG_ENDPOINT", "")  # the CLI sets it from --endpoint: restored after each test


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends


def test_cli_without_endpoint_or_cloud_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "examples/resource-group.yaml"]) == EXIT_USAGE
    assert "pass --endpoint URL" in capsys.readouterr().err


def test_cli_endpoint_without_scheme_names_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "examples/resource-group.yaml", "--endpoint", "127.0.0.1:8765"]) == EXIT_USAGE
    assert "invalid setting: --endpoint:" in capsys.readouterr().err


def test_cli_unreachable_endpoint_is_one_line_before_any_flow(capsys: pytest.CaptureFixture[str]) -> None:
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    assert main(["health", "examples/resource-group.yaml", "--endpoint", endpoint]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"cannot connect to the endpoint {endpoint}" in err
    assert "make emulator" in err


def test_cli_delete_role_needs_the_role_name_typed_out(capsys: pytest.CaptureFixture[str]) -> None:
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    assert main(["delete-role", "--confirm", "yes", "--endpoint", endpoint]) == EXIT_USAGE
    assert f"--confirm must be the role name typed out: {ROLE_NAME}" in capsys.readouterr().err


def test_cli_policy_prints_the_role_policy_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy"]) == 0
    document = json.loads(capsys.readouterr().out)
    actions = {a for statement in document["Statement"] for a in statement["Action"]}
    assert len(actions) == 48


def test_cli_without_credentials_is_one_line_before_prefect_starts(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # no profile files: the standard chain finds nothing
    with socket.socket() as listening:  # something answers at the endpoint
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        endpoint = f"http://127.0.0.1:{listening.getsockname()[1]}"
        assert main(["plan", "examples/resource-group.yaml", "--endpoint", endpoint]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("easrg: no usable credentials: export ALIBABA_CLOUD_ACCESS_KEY_ID")
    assert err.count("\n") == 1
