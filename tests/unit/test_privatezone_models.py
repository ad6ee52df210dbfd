"""PrivateZone behaviour, driven through the handlers with hand-built calls (no sockets).

The stub world has no VPC service, so VPCs come from the world file (the fallback the handlers
use when the VPC product is not loaded).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from emulator.core.api import ApiError, Call, Pace, Params, Principal
from emulator.core.service import snake_case
from emulator.services.privatezone import SERVICE
from emulator.services.privatezone.handlers import PrivateZoneHandlers
from emulator.services.privatezone.models import PrivateZoneStore

WORLD_FILE = Path(__file__).resolve().parents[2] / "emulator" / "world" / "default.json"
OWNER = "1748290035126730"
FOREIGN = "1900000000000002"
VPC = "vpc-bp1easrg0demo0000000a"
OTHER_VPC = "vpc-bp1other0team000000b"
T0 = 1_750_000_000.0


class StubWorld:
    def __init__(self) -> None:
        self.pace = Pace("instant")
        self.document = json.loads(WORLD_FILE.read_text())
        self.stores: dict[str, PrivateZoneStore] = {}

    def store(self, product: str, account_id: str | None = None, region: str | None = None) -> Any:
        if product != "privatezone":
            raise KeyError(f"no service {product!r} is loaded")
        assert account_id is not None
        return self.stores.setdefault(account_id, PrivateZoneStore())

    def account_ids(self) -> list[str]:
        return [a["account_id"] for a in self.document["accounts"]]

    def seed_of(self, account_id: str) -> dict[str, Any]:
        return next(a for a in self.document["accounts"] if a["account_id"] == account_id)

    def regions(self, account_id: str) -> list[str]:
        return list(self.seed_of(account_id)["regions"])


def run(
    world: StubWorld, action: str, params: dict[str, Any], *, now: float = T0, account: str = OWNER
) -> dict[str, Any]:
    call = Call(
        product="privatezone",
        action=action,
        params=Params(dict(params)),
        principal=Principal("owner", account, "LTAI-test"),
        region="cn-hangzhou",
        request_id="RID",
        now=now,
    )
    result: dict[str, Any] = getattr(PrivateZoneHandlers(world), snake_case(action))(call)
    return result


def fails(world: StubWorld, action: str, params: dict[str, Any], **kw: Any) -> ApiError:
    with pytest.raises(ApiError) as caught:
        run(world, action, params, **kw)
    return caught.value


def vpcs(*ids: str, region: str = "cn-hangzhou") -> dict[str, Any]:
    return {"Vpcs": [{"RegionId": region, "VpcId": vpc_id} for vpc_id in ids]}


def bound(world: StubWorld, zone_id: str, now: float = T0) -> list[str]:
    info = run(world, "DescribeZoneInfo", {"ZoneId": zone_id}, now=now)
    return [v["VpcId"] for v in info["BindVpcs"]["Vpc"]]


@pytest.fixture
def world() -> StubWorld:
    return StubWorld()


@pytest.fixture
def zone_id(world: StubWorld) -> str:
    return str(run(world, "AddZone", {"ZoneName": "eas.example.internal"})["ZoneId"])


# ------------------------------------------------------------------------------ zones


def test_add_zone_answers_typed_fields(world: StubWorld) -> None:
    body = run(world, "AddZone", {"ZoneName": "svc.internal"})
    assert body["Success"] is True and body["ZoneName"] == "svc.internal" and len(body["ZoneId"]) == 32


@pytest.mark.parametrize(
    "name", ["-bad.internal", "bad..internal", "under_score.internal", "", "a" * 64 + ".x"]
)
def test_add_zone_invalid_name_is_zone_invalid_name(world: StubWorld, name: str) -> None:
    error = fails(world, "AddZone", {"ZoneName": name} if name else {"ZoneName": "."})
    assert (error.code, error.status) == ("Zone.Invalid.Name", 400)


def test_add_zone_same_client_token_returns_the_same_zone(world: StubWorld) -> None:
    first = run(world, "AddZone", {"ZoneName": "a.internal", "ClientToken": "t-1"})
    again = run(world, "AddZone", {"ZoneName": "a.internal", "ClientToken": "t-1"})
    assert again["ZoneId"] == first["ZoneId"] and len(world.stores[OWNER].zones) == 1


def test_add_zone_client_token_reused_for_another_zone_is_refused(world: StubWorld) -> None:
    run(world, "AddZone", {"ZoneName": "a.internal", "ClientToken": "t-1"})
    error = fails(world, "AddZone", {"ZoneName": "b.internal", "ClientToken": "t-1"})
    assert (error.code, error.status) == ("IdempotentParameterMismatch", 400)


def test_add_zone_duplicate_name_without_token_makes_a_second_zone(world: StubWorld) -> None:
    first = run(world, "AddZone", {"ZoneName": "a.internal"})
    second = run(world, "AddZone", {"ZoneName": "a.internal"})
    assert first["ZoneId"] != second["ZoneId"]


def test_describe_zone_info_during_creation_lag_is_zone_not_exists(world: StubWorld) -> None:
    world.pace.set("instant", {"privatezone.zone.visible": 2.0})
    zone = run(world, "AddZone", {"ZoneName": "late.internal"})["ZoneId"]
    assert fails(world, "DescribeZoneInfo", {"ZoneId": zone}, now=T0 + 1).code == "Zone.NotExists"
    assert run(world, "DescribeZoneInfo", {"ZoneId": zone}, now=T0 + 2)["ZoneId"] == zone


def test_bind_zone_vpc_during_creation_lag_is_zone_not_exists(world: StubWorld) -> None:
    world.pace.set("instant", {"privatezone.zone.visible": 2.0})
    zone = run(world, "AddZone", {"ZoneName": "late.internal"})["ZoneId"]
    assert fails(world, "BindZoneVpc", {"ZoneId": zone, **vpcs(VPC)}, now=T0 + 1).code == "Zone.NotExists"


def test_delete_zone_unknown_is_zone_not_exists_400(world: StubWorld) -> None:
    error = fails(world, "DeleteZone", {"ZoneId": "0" * 32})
    assert (error.code, error.status) == ("Zone.NotExists", 400)


def test_delete_zone_with_a_bound_vpc_is_zone_vpc_exists(world: StubWorld, zone_id: str) -> None:
    run(world, "BindZoneVpc", {"ZoneId": zone_id, **vpcs(VPC)})
    assert fails(world, "DeleteZone", {"ZoneId": zone_id}).code == "Zone.VpcExists"


def test_delete_zone_removes_its_records(world: StubWorld, zone_id: str) -> None:
    run(world, "AddZoneRecord", {"ZoneId": zone_id, "Rr": "www", "Type": "A", "Value": "10.0.0.1"})
    assert run(world, "DeleteZone", {"ZoneId": zone_id}) == {"ZoneId": zone_id}
    assert world.stores[OWNER].records == {}


def test_describe_zones_exact_keyword_finds_one_zone(world: StubWorld, zone_id: str) -> None:
    run(world, "AddZone", {"ZoneName": "x.eas.example.internal"})
    body = run(world, "DescribeZones", {"Keyword": "eas.example.internal", "SearchMode": "EXACT"})
    assert [z["ZoneId"] for z in body["Zones"]["Zone"]] == [zone_id] and body["TotalItems"] == 1


def test_describe_zones_reports_types_the_sdk_declares(world: StubWorld, zone_id: str) -> None:
    zone = run(world, "DescribeZones", {})["Zones"]["Zone"][0]
    assert isinstance(zone["RecordCount"], int) and isinstance(zone["IsPtr"], bool)
    assert zone["CreateTimestamp"] == int(T0 * 1000)


# ------------------------------------------------------------------------------ bindings


def test_bind_zone_vpc_replaces_the_whole_set(world: StubWorld, zone_id: str) -> None:
    run(world, "BindZoneVpc", {"ZoneId": zone_id, **vpcs(VPC, OTHER_VPC)})
    run(world, "BindZoneVpc", {"ZoneId": zone_id, **vpcs(OTHER_VPC)})
    assert bound(world, zone_id) == [OTHER_VPC]


def test_bind_zone_vpc_without_vpcs_unbinds_all(world: StubWorld, zone_id: str) -> None:
    run(world, "BindZoneVpc", {"ZoneId": zone_id, **vpcs(VPC)})
    run(world, "BindZoneVpc", {"ZoneId": zone_id})
    assert bound(world, zone_id) == []


def test_bind_zone_vpc_shows_after_the_bind_lag(world: StubWorld, zone_id: str) -> None:
    world.pace.set("instant", {"privatezone.bind.visible": 1.0})
    run(world, "BindZoneVpc", {"ZoneId": zone_id, **vpcs(VPC)})
    assert bound(world, zone_id, now=T0 + 0.5) == []
    assert bound(world, zone_id, now=T0 + 1.0) == [VPC]


def test_delete_zone_while_unbinding_still_shows_is_zone_vpc_exists(world: StubWorld, zone_id: str) -> None:
    run(world, "BindZoneVpc", {"ZoneId": zone_id, **vpcs(VPC)})
    world.pace.set("instant", {"privatezone.bind.visible": 1.0})
    run(world, "BindZoneVpc", {"ZoneId": zone_id})
    assert fails(world, "DeleteZone", {"ZoneId": zone_id}, now=T0 + 0.5).code == "Zone.VpcExists"
    assert run(world, "DeleteZone", {"ZoneId": zone_id}, now=T0 + 1.0) == {"ZoneId": zone_id}


def test_bind_zone_vpc_same_name_zone_elsewhere_is_zone_repeated(world: StubWorld, zone_id: str) -> None:
    twin = run(world, "AddZone", {"ZoneName": "eas.example.internal"})["ZoneId"]
    run(world, "BindZoneVpc", {"ZoneId": twin, **vpcs(VPC)})
    error = fails(world, "BindZoneVpc", {"ZoneId": zone_id, **vpcs(VPC)})
    assert (error.code, error.status) == ("ZoneVpc.Zone.Repeated", 400)


def test_bind_zone_vpc_unknown_vpc_is_refused(world: StubWorld, zone_id: str) -> None:
    error = fails(world, "BindZoneVpc", {"ZoneId": zone_id, **vpcs("vpc-doesnotexist")})
    assert (error.code, error.status) == ("ZoneVpc.NotExists.VpcId", 400)


def test_bind_zone_vpc_vpc_of_another_region_is_refused(world: StubWorld, zone_id: str) -> None:
    error = fails(world, "BindZoneVpc", {"ZoneId": zone_id, **vpcs(VPC, region="cn-shanghai")})
    assert error.code == "ZoneVpc.NotExists.VpcId"


def test_describe_zone_info_names_the_bound_vpc(world: StubWorld, zone_id: str) -> None:
    run(world, "BindZoneVpc", {"ZoneId": zone_id, **vpcs(VPC)})
    vpc = run(world, "DescribeZoneInfo", {"ZoneId": zone_id})["BindVpcs"]["Vpc"][0]
    assert vpc == {
        "VpcId": VPC,
        "VpcName": "eas-rg-demo",
        "RegionId": "cn-hangzhou",
        "RegionName": "China (Hangzhou)",
        "VpcType": "STANDARD",
        "VpcUserId": int(OWNER),  # an integer, as the SDK model declares it
    }


def test_admin_bind_foreign_vpc_keeps_the_other_bindings(world: StubWorld, zone_id: str) -> None:
    run(world, "BindZoneVpc", {"ZoneId": zone_id, **vpcs(VPC)})
    world.stores[OWNER].admin_bind_foreign_vpc(zone_id, OTHER_VPC)
    assert bound(world, zone_id) == [VPC, OTHER_VPC]


def test_admin_bind_foreign_vpc_survives_a_pending_bind(world: StubWorld, zone_id: str) -> None:
    world.pace.set("instant", {"privatezone.bind.visible": 1.0})
    run(world, "BindZoneVpc", {"ZoneId": zone_id, **vpcs(VPC)})
    world.stores[OWNER].admin_bind_foreign_vpc(zone_id, OTHER_VPC)
    assert bound(world, zone_id, now=T0 + 1.0) == [VPC, OTHER_VPC]


# ------------------------------------------------------------------------------ records


def test_add_zone_record_answers_an_integer_record_id(world: StubWorld, zone_id: str) -> None:
    body = run(world, "AddZoneRecord", {"ZoneId": zone_id, "Rr": "www", "Type": "A", "Value": "10.0.0.1"})
    assert body["Success"] is True and isinstance(body["RecordId"], int)


def test_add_zone_record_duplicate_is_record_invalid_conflict(world: StubWorld, zone_id: str) -> None:
    record = {"ZoneId": zone_id, "Rr": "www", "Type": "A", "Value": "10.0.0.1"}
    run(world, "AddZoneRecord", record)
    assert fails(world, "AddZoneRecord", record).code == "Record.Invalid.Conflict"


def test_add_zone_record_cname_beside_an_a_record_conflicts(world: StubWorld, zone_id: str) -> None:
    run(world, "AddZoneRecord", {"ZoneId": zone_id, "Rr": "www", "Type": "A", "Value": "10.0.0.1"})
    error = fails(world, "AddZoneRecord", {"ZoneId": zone_id, "Rr": "www", "Type": "CNAME", "Value": "x.y.z"})
    assert error.code == "Record.Invalid.Conflict"


def test_add_zone_record_same_client_token_returns_the_same_record(world: StubWorld, zone_id: str) -> None:
    record = {"ZoneId": zone_id, "Rr": "www", "Type": "A", "Value": "10.0.0.1", "ClientToken": "r-1"}
    assert run(world, "AddZoneRecord", record) == run(world, "AddZoneRecord", record)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"Rr": ""}, "MissingParameter"),
        ({"Rr": "bad rr"}, "Record.Invalid.Rr"),
        ({"Type": "NS"}, "Record.Invalid.Type"),
        ({"Type": "PTR", "Value": "a.b"}, "Record.Invalid.Type"),
        ({"Ttl": "120"}, "Record.Invalid.Ttl"),
        ({"Value": "10.0.0.256"}, "Record.Invalid.Value"),
        ({"Type": "AAAA"}, "Record.Invalid.Value"),
        ({"Type": "MX", "Value": "mail.example.com"}, "Record.Invalid.Priority"),
    ],
)
def test_add_zone_record_invalid_field_is_refused(
    world: StubWorld, zone_id: str, change: dict[str, str], code: str
) -> None:
    record = {"ZoneId": zone_id, "Rr": "www", "Type": "A", "Value": "10.0.0.1", **change}
    error = fails(world, "AddZoneRecord", record)
    assert (error.code, error.status) == (code, 400)


def test_describe_zone_records_reports_typed_fields(world: StubWorld, zone_id: str) -> None:
    run(world, "AddZoneRecord", {"ZoneId": zone_id, "Rr": "@", "Type": "TXT", "Value": "v=1", "Ttl": "3600"})
    record = run(world, "DescribeZoneRecords", {"ZoneId": zone_id})["Records"]["Record"][0]
    assert (record["Rr"], record["Ttl"], record["Status"]) == ("@", 3600, "ENABLE")
    assert isinstance(record["RecordId"], int) and isinstance(record["UpdateTimestamp"], int)


def test_describe_zone_records_keyword_is_exact_by_default(world: StubWorld, zone_id: str) -> None:
    for rr in ("www", "www2"):
        run(world, "AddZoneRecord", {"ZoneId": zone_id, "Rr": rr, "Type": "A", "Value": "10.0.0.1"})
    body = run(world, "DescribeZoneRecords", {"ZoneId": zone_id, "Keyword": "www"})
    assert [r["Rr"] for r in body["Records"]["Record"]] == ["www"]


def test_delete_zone_record_removes_it(world: StubWorld, zone_id: str) -> None:
    record_id = run(
        world, "AddZoneRecord", {"ZoneId": zone_id, "Rr": "www", "Type": "A", "Value": "10.0.0.1"}
    )["RecordId"]
    assert run(world, "DeleteZoneRecord", {"RecordId": str(record_id)}) == {"RecordId": record_id}
    assert run(world, "DescribeZoneRecords", {"ZoneId": zone_id})["TotalItems"] == 0


# ------------------------------------------------------------------------------ scope and persistence


def test_zones_of_one_account_are_unknown_to_another(world: StubWorld, zone_id: str) -> None:
    assert fails(world, "DescribeZoneInfo", {"ZoneId": zone_id}, account=FOREIGN).code == "Zone.NotExists"


def test_dump_and_load_round_trip_through_json(world: StubWorld, zone_id: str) -> None:
    world.pace.set("fast")
    run(world, "BindZoneVpc", {"ZoneId": zone_id, **vpcs(VPC), "ClientToken": "b-1"})
    run(world, "AddZoneRecord", {"ZoneId": zone_id, "Rr": "www", "Type": "A", "Value": "10.0.0.1"})
    dumped = json.loads(json.dumps(world.stores[OWNER].dump()))
    assert PrivateZoneStore.load(dumped).dump() == dumped


def test_service_spec_serves_the_role_actions() -> None:
    assert {"AddZone", "BindZoneVpc", "AddZoneRecord", "DeleteZone"} <= set(SERVICE.actions)
    assert (SERVICE.version, SERVICE.scope, SERVICE.ram_action("AddZone")) == (
        "2018-01-01",
        "account",
        "pvtz:AddZone",
    )
