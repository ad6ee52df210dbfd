"""Routing and answers: unknown versions and actions, and an unexpected handler failure."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException

from emulator.core.api import Call
from emulator.core.registry import Services, discover
from emulator.core.server import EmulatorServer
from emulator.core.service import ServiceSpec
from tests.support.emulator_control import EmulatorControl
from tests.support.sdk import generic_rpc, tea_config

BROKEN_VERSION = "2001-01-01"


class _Store:
    def dump(self) -> dict[str, Any]:
        return {}


class _BrokenHandlers:
    def __init__(self, world: object):
        self.world = world

    def explode(self, call: Call) -> dict[str, Any]:
        raise RuntimeError("a bug in a handler")

    def echo(self, call: Call) -> dict[str, Any]:
        return {"Params": call.params.raw, "Region": call.region}


@pytest.fixture(scope="module")
def broken_server() -> Iterator[EmulatorControl]:
    services = discover()
    services.add(
        ServiceSpec(
            product="broken",
            ram_code="broken",
            version=BROKEN_VERSION,
            style="RPC",
            scope="region",
            new_store=_Store,
            load_store=lambda d: _Store(),
            handlers=_BrokenHandlers,
            actions=["Explode", "Echo"],
        )
    )
    server = EmulatorServer(services=services).start()
    yield EmulatorControl(server.url)
    server.stop()


def test_unknown_version_not_found(emulator: EmulatorControl) -> None:
    with pytest.raises(ClientException) as raised:
        generic_rpc(tea_config(emulator), "2099-01-01", "DescribeVpcs")
    assert (raised.value.code, raised.value.status_code) == ("InvalidVersion", 404)


def test_unknown_action_not_found(emulator: EmulatorControl) -> None:
    with pytest.raises(ClientException) as raised:
        generic_rpc(tea_config(emulator), "2020-03-31", "DescribeNothing")
    assert (raised.value.code, raised.value.status_code) == ("InvalidAction.NotFound", 404)


@pytest.mark.parametrize(
    ("version", "action"), [("2016-04-28", "DescribeVpcs"), ("2014-05-26", "DescribeSecurityGroups")]
)
def test_unknown_region_is_invalid_region_id_not_found(
    emulator: EmulatorControl, version: str, action: str
) -> None:
    # VPC's API metadata and ECS's live answers: 404 InvalidRegionId.NotFound.
    with pytest.raises(ClientException) as raised:
        generic_rpc(tea_config(emulator), version, action, {"RegionId": "mars-north-1"})
    assert (raised.value.code, raised.value.status_code) == ("InvalidRegionId.NotFound", 404)
    assert raised.value.message.startswith("code: 404, The specified RegionId does not exist.")


def test_handler_failure_answers_internal_error(broken_server: EmulatorControl) -> None:
    with pytest.raises(ServerException) as raised:
        generic_rpc(tea_config(broken_server), BROKEN_VERSION, "Explode")
    assert (raised.value.code, raised.value.status_code) == ("InternalError", 500)
    assert raised.value.request_id


def test_rpc_parameters_unflattened_from_query_and_form(broken_server: EmulatorControl) -> None:
    body = generic_rpc(
        tea_config(broken_server),
        BROKEN_VERSION,
        "Echo",
        query={"Zone": [{"ZoneId": "z-j", "VSwitchId": "vsw-1"}], "DryRun": True},
        body={"Name": "from-the-form"},
    )
    assert body["Params"] == {
        "Zone": [{"ZoneId": "z-j", "VSwitchId": "vsw-1"}],
        "DryRun": "True",
        "Name": "from-the-form",
    }


def test_discover_finds_every_service_package() -> None:
    assert isinstance(discover(), Services) and "resourcemanager" in discover().by_product
