"""alicloud.privatezone against the emulator, through the PrivateZone SDK."""

from __future__ import annotations

from typing import Any

import pytest

from alicloud import privatezone
from alicloud.clients import Clients
from alicloud.errors import ConflictError, DependencyViolationError, NotFoundError
from alicloud.privatezone import Zone, ZoneVpc
from tests.integration.alicloud_support import account_wide, attempts, clients_for, unique
from tests.support.emulator_control import EmulatorControl
from tests.support.polling import wait_until
from tests.support.world import REGION, VPC_ID


@pytest.fixture
def clients(emulator: EmulatorControl) -> Clients:
    return clients_for(emulator)


@pytest.fixture
def zone(clients: Clients) -> Zone:
    return privatezone.add_zone(clients, zone_name=f"{unique('eas')}.internal")


def _stored(emulator: EmulatorControl, zone_id: str) -> dict[str, Any] | None:
    zones = account_wide(emulator, "privatezone")["zones"]
    return dict(zones[zone_id]) if zone_id in zones else None


def test_add_zone_is_stored(emulator: EmulatorControl, clients: Clients) -> None:
    name = f"{unique('eas')}.internal"

    zone = privatezone.add_zone(clients, zone_name=name)

    stored = _stored(emulator, zone.zone_id)
    assert zone.zone_name == name and stored is not None and stored["zone_name"] == name


def test_add_zone_same_client_token_returns_the_same_zone(
    emulator: EmulatorControl, clients: Clients
) -> None:
    first = privatezone.add_zone(clients, zone_name="eas.internal", client_token="zone-1")
    second = privatezone.add_zone(clients, zone_name="eas.internal", client_token="zone-1")

    assert first.zone_id == second.zone_id and len(account_wide(emulator, "privatezone")["zones"]) == 1


def test_add_zone_record_returns_its_id(clients: Clients, zone: Zone) -> None:
    record_id = privatezone.add_zone_record(
        clients, zone_id=zone.zone_id, rr="api", record_type="A", value="192.168.1.5", ttl=60
    )

    (record,) = privatezone.describe_zone_records(clients, zone_id=zone.zone_id)
    assert (record.record_id, record.rr, record.value, record.ttl) == (record_id, "api", "192.168.1.5", 60)


def test_add_zone_record_duplicate_is_a_conflict(clients: Clients, zone: Zone) -> None:
    privatezone.add_zone_record(clients, zone_id=zone.zone_id, rr="api", record_type="A", value="192.168.1.5")

    with pytest.raises(ConflictError) as raised:
        privatezone.add_zone_record(
            clients, zone_id=zone.zone_id, rr="api", record_type="A", value="192.168.1.5"
        )

    assert raised.value.code == "Record.Invalid.Conflict"


def test_describe_zone_records_pages_through_more_than_one_page(clients: Clients, zone: Zone) -> None:
    for index in range(101):
        privatezone.add_zone_record(
            clients, zone_id=zone.zone_id, rr=f"h{index}", record_type="A", value="192.168.1.5"
        )

    records = privatezone.describe_zone_records(clients, zone_id=zone.zone_id)

    assert len({r.record_id for r in records}) == 101


def test_describe_zone_records_by_keyword_is_exact(clients: Clients, zone: Zone) -> None:
    for rr in ("api", "api2"):
        privatezone.add_zone_record(
            clients, zone_id=zone.zone_id, rr=rr, record_type="A", value="192.168.1.5"
        )

    assert [
        r.rr for r in privatezone.describe_zone_records(clients, zone_id=zone.zone_id, keyword="api")
    ] == ["api"]


def test_bind_zone_vpc_binds_the_vpc(emulator: EmulatorControl, clients: Clients, zone: Zone) -> None:
    privatezone.bind_zone_vpc(clients, zone_id=zone.zone_id, vpcs=[ZoneVpc(VPC_ID, REGION)])

    stored = _stored(emulator, zone.zone_id)
    assert stored is not None and [v["VpcId"] for v in stored["vpcs"]] == [VPC_ID]


def test_bind_zone_vpc_empty_list_without_unbind_all_is_refused_before_sending(
    emulator: EmulatorControl, clients: Clients, zone: Zone
) -> None:
    with pytest.raises(ValueError, match="unbind_all=True"):
        privatezone.bind_zone_vpc(clients, zone_id=zone.zone_id, vpcs=[])

    assert attempts(emulator, "BindZoneVpc") == []


def test_bind_zone_vpc_unbind_all_leaves_no_binding(
    emulator: EmulatorControl, clients: Clients, zone: Zone
) -> None:
    privatezone.bind_zone_vpc(clients, zone_id=zone.zone_id, vpcs=[ZoneVpc(VPC_ID, REGION)])

    privatezone.bind_zone_vpc(clients, zone_id=zone.zone_id, vpcs=[], unbind_all=True)

    stored = _stored(emulator, zone.zone_id)
    assert stored is not None and stored["vpcs"] == []


def test_describe_zone_info_shows_bound_vpcs(clients: Clients, zone: Zone) -> None:
    privatezone.bind_zone_vpc(clients, zone_id=zone.zone_id, vpcs=[ZoneVpc(VPC_ID, REGION)])

    info = privatezone.describe_zone_info(clients, zone_id=zone.zone_id)

    assert (info.zone_name, info.bound_vpcs) == (zone.zone_name, (ZoneVpc(VPC_ID, REGION),))


def test_describe_zones_finds_a_zone_by_exact_name(clients: Clients, zone: Zone) -> None:
    privatezone.add_zone(clients, zone_name=f"x{zone.zone_name}")

    assert [z.zone_id for z in privatezone.describe_zones(clients, keyword=zone.zone_name)] == [zone.zone_id]


def test_delete_zone_with_a_bound_vpc_is_a_dependency_violation(clients: Clients, zone: Zone) -> None:
    privatezone.bind_zone_vpc(clients, zone_id=zone.zone_id, vpcs=[ZoneVpc(VPC_ID, REGION)])

    with pytest.raises(DependencyViolationError) as raised:
        privatezone.delete_zone(clients, zone_id=zone.zone_id)

    assert raised.value.code == "Zone.VpcExists"


def test_delete_zone_draining_waits_out_the_unbind_lag(
    emulator: EmulatorControl, clients: Clients, zone: Zone
) -> None:
    emulator.set_pace("instant", **{"privatezone.bind.visible": 1.0})
    privatezone.bind_zone_vpc(clients, zone_id=zone.zone_id, vpcs=[ZoneVpc(VPC_ID, REGION)])
    wait_until(
        lambda: privatezone.describe_zone_info(clients, zone_id=zone.zone_id).bound_vpcs, message="bound"
    )
    privatezone.bind_zone_vpc(clients, zone_id=zone.zone_id, vpcs=[], unbind_all=True)

    privatezone.delete_zone(clients, zone_id=zone.zone_id, draining=True)
    privatezone.wait_for_zone_gone(clients, zone_id=zone.zone_id, timeout_s=10)

    assert _stored(emulator, zone.zone_id) is None
    assert attempts(emulator, "DeleteZone")[0]["code"] == "Zone.VpcExists"


def test_delete_zone_unknown_is_not_found(clients: Clients) -> None:
    with pytest.raises(NotFoundError) as raised:
        privatezone.delete_zone(clients, zone_id="0" * 32)

    assert raised.value.code == "Zone.NotExists"


def test_bind_zone_vpc_right_after_add_zone_retries_until_the_zone_is_visible(
    emulator: EmulatorControl, clients: Clients
) -> None:
    emulator.set_pace("instant", **{"privatezone.zone.visible": 1.0})
    zone = privatezone.add_zone(clients, zone_name=f"{unique('eas')}.internal")

    privatezone.bind_zone_vpc(clients, zone_id=zone.zone_id, vpcs=[ZoneVpc(VPC_ID, REGION)])

    codes = [call["code"] for call in attempts(emulator, "BindZoneVpc")]
    assert codes[0] == "Zone.NotExists" and codes[-1] is None
