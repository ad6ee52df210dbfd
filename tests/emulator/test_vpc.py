"""VPC reads through the generic OpenAPI client (``call_api``, RPC 2016-04-28)."""

from __future__ import annotations

from tests.emulator.network_sdk import (
    VPC_VERSION,
    create_endpoint,
    create_group,
    privatelink,
    refused,
    vpc,
    zone,
)
from tests.support.emulator_control import EmulatorControl
from tests.support.sdk import generic_rpc, tea_config
from tests.support.world import FOREIGN_VPC_ID, VPC_CIDR, VPC_ID, VSWITCH_J, VSWITCH_K, ZONE_K


def test_describe_vpcs_returns_the_wrapped_vpcs(emulator: EmulatorControl) -> None:
    body = vpc(emulator, "DescribeVpcs", VpcId=VPC_ID)
    (found,) = body["Vpcs"]["Vpc"]
    assert (found["CidrBlock"], found["VSwitchIds"]["VSwitchId"], body["TotalCount"]) == (
        VPC_CIDR,
        [VSWITCH_J, VSWITCH_K],
        1,
    )


def test_describe_vpcs_pages_by_number(emulator: EmulatorControl) -> None:
    body = vpc(emulator, "DescribeVpcs", PageSize=1, PageNumber=2)
    assert ([v["VpcId"] for v in body["Vpcs"]["Vpc"]], body["TotalCount"]) == ([FOREIGN_VPC_ID], 2)


def test_describe_vpcs_page_size_above_fifty_is_refused(emulator: EmulatorControl) -> None:
    assert refused(vpc, emulator, "DescribeVpcs", PageSize=51).status_code == 400


def test_describe_vpcs_page_number_zero_is_refused_naming_the_lower_bound(emulator: EmulatorControl) -> None:
    error = refused(vpc, emulator, "DescribeVpcs", PageNumber=0)
    assert (error.code, error.status_code) == ("InvalidParameter", 400)
    assert "must be at least 1; got 0" in error.message


def test_describe_vpcs_more_than_twenty_ids_answers_not_supported(emulator: EmulatorControl) -> None:
    ids = ",".join(f"vpc-{n:020d}" for n in range(21))
    error = refused(vpc, emulator, "DescribeVpcs", VpcId=ids)
    assert (error.code, error.status_code) == ("InvalidVpcIdNumber.NotSupported", 400)


def test_describe_vpcs_dry_run_answers_dry_run_operation(emulator: EmulatorControl) -> None:
    error = refused(vpc, emulator, "DescribeVpcs", DryRun=True)
    assert (error.code, error.status_code) == ("DryRunOperation", 400)


def test_describe_vpc_attribute_returns_the_vpc(emulator: EmulatorControl) -> None:
    body = vpc(emulator, "DescribeVpcAttribute", VpcId=VPC_ID)
    assert (body["VpcId"], body["VpcName"], body["Status"]) == (VPC_ID, "eas-rg-demo", "Available")


def test_describe_vpc_attribute_unknown_vpc_answers_an_empty_vpc_id(emulator: EmulatorControl) -> None:
    assert vpc(emulator, "DescribeVpcAttribute", VpcId="vpc-doesnotexist00000000")["VpcId"] == ""


def test_describe_vpc_attribute_without_region_id_is_missing_parameter(emulator: EmulatorControl) -> None:
    # RegionId is required for DescribeVpcAttribute (SDK request model, API metadata).
    config = tea_config(emulator)
    error = refused(generic_rpc, config, VPC_VERSION, "DescribeVpcAttribute", {"VpcId": VPC_ID})
    assert (error.code, error.status_code) == ("MissingParameter", 400)


def test_describe_vswitches_filters_by_vpc_and_zone(emulator: EmulatorControl) -> None:
    body = vpc(emulator, "DescribeVSwitches", VpcId=VPC_ID, ZoneId=ZONE_K)
    (found,) = body["VSwitches"]["VSwitch"]
    assert (found["VSwitchId"], found["AvailableIpAddressCount"], found["RouteTable"]["RouteTableType"]) == (
        VSWITCH_K,
        252,
        "System",
    )


def test_describe_vswitches_unknown_vpc_answers_forbidden_vpc_not_found(emulator: EmulatorControl) -> None:
    error = refused(vpc, emulator, "DescribeVSwitches", VpcId="vpc-doesnotexist00000000")
    assert (error.code, error.status_code) == ("Forbidden.VpcNotFound", 400)


def test_describe_vswitch_attributes_unknown_answers_not_found(emulator: EmulatorControl) -> None:
    error = refused(vpc, emulator, "DescribeVSwitchAttributes", VSwitchId="vsw-doesnotexist00000000")
    assert (error.code, error.status_code) == ("InvalidVSwitchId.NotFound", 400)


def test_describe_vswitch_attributes_available_count_drops_with_an_endpoint_zone(
    emulator: EmulatorControl,
) -> None:
    create_endpoint(privatelink(emulator), [create_group(emulator)], [zone()])
    body = vpc(emulator, "DescribeVSwitchAttributes", VSwitchId=VSWITCH_J)
    assert (body["VSwitchId"], body["AvailableIpAddressCount"]) == (VSWITCH_J, 251)


def test_describe_vswitches_as_the_eas_role_succeeds(emulator: EmulatorControl) -> None:
    body = vpc(emulator, "DescribeVSwitches", key="eas-role", VpcId=VPC_ID)
    assert body["TotalCount"] == 2
