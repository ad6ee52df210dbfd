"""Flow tests: one Prefect test server for the session, the emulator, and a spec per test."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from prefect.settings import PREFECT_LOCAL_STORAGE_PATH, temporary_settings
from prefect.testing.utilities import prefect_test_harness

from blocks.credentials import AlibabaCloudCredentials
from flows.spec import ResourceGroupSpec, parse_spec
from tests.support.emulator_control import EmulatorControl
from tests.support.world import KEYS, REGION

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "resource-group.yaml"
_names = itertools.count(1)

try:  # the heartbeat setting exists in Prefect 3.x; turning it off saves about a second per sync flow
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY

    _HEARTBEAT: dict[Any, Any] = {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
except ImportError:  # pragma: no cover - older Prefect
    _HEARTBEAT = {}


@pytest.fixture(autouse=True, scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=120):
        with temporary_settings(
            {**_HEARTBEAT, PREFECT_LOCAL_STORAGE_PATH: tmp_path_factory.mktemp("results")}
        ):
            yield


@pytest.fixture(autouse=True)
def _untagged_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tag concurrency slots cost a server round trip per task run on SQLite; tests do without."""
    monkeypatch.setenv("EASRG_TASK_TAGS", "false")


def credentials_for(emulator: EmulatorControl, key: str = "owner", **fields: Any) -> AlibabaCloudCredentials:
    access_key_id, secret, token = KEYS[key]
    return AlibabaCloudCredentials(
        access_key_id=access_key_id,
        access_key_secret=secret,
        security_token=token,
        endpoint=emulator.url,
        region_id=REGION,
        **fields,
    )


@pytest.fixture
def credentials(emulator: EmulatorControl) -> AlibabaCloudCredentials:
    """Owner credentials pointing every product at the emulator."""
    return credentials_for(emulator)


@pytest.fixture
def credentials_block(credentials: AlibabaCloudCredentials) -> str:
    """The owner credentials saved as a block; flows take the block's name."""
    name = f"emulator-owner-{next(_names)}"
    credentials.save(name, overwrite=True)
    return name


def example_data(name: str) -> dict[str, Any]:
    """The example spec under a unique name (records and secrets live as long as the session)."""
    data = yaml.safe_load(EXAMPLE.read_text())
    data["name"] = name
    data["private_zone"]["name"] = f"{name}.eas.private"
    data["log"]["project"] = f"eas-{name}-1748290035126730"
    data["log"]["machine_group"] = f"eas-{name}-nodes"
    data["log"]["logtail"]["config_name"] = f"eas-{name}-files"
    return data


@pytest.fixture
def make_spec() -> Callable[..., ResourceGroupSpec]:
    def make(**changes: Any) -> ResourceGroupSpec:
        data = example_data(f"rg{next(_names)}")
        data.update(changes)
        return parse_spec(data)

    return make


@pytest.fixture
def spec(make_spec: Callable[..., ResourceGroupSpec]) -> ResourceGroupSpec:
    return make_spec()
