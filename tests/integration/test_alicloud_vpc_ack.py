"""alicloud.vpc and alicloud.ack (read-only products) against the emulator, through the generic client."""

from __future__ import annotations

import pytest

from alicloud import ack, vpc
from alicloud.clients import Clients
from alicloud.errors import NotFoundError
from tests.integration.alicloud_support import clients_for
from tests.support.emulator_control import EmulatorControl
from tests.support.world import CLUSTER_ID, FOREIGN_VPC_ID, VPC_CIDR, VPC_ID, VSWITCH_J, VSWITCH_K, ZONE_J


@pytest.fixture
def clients(emulator: EmulatorControl) -> Clients:
    return clients_for(emulator)


def test_describe_vpcs_lists_the_region(clients: Clients) -> None:
    assert {v.vpc_id for v in vpc.describe_vpcs(clients)} == {VPC_ID, FOREIGN_VPC_ID}


def test_describe_vpcs_filters_by_id(clients: Clients) -> None:
    (found,) = vpc.describe_vpcs(clients, vpc_ids=[VPC_ID])

    assert (found.cidr_block, found.status) == (VPC_CIDR, "Available")
    assert set(found.vswitch_ids) == {VSWITCH_J, VSWITCH_K}


def test_describe_vpc_attribute_reads_one_vpc(clients: Clients) -> None:
    assert vpc.describe_vpc_attribute(clients, vpc_id=VPC_ID).cidr_block == VPC_CIDR


def test_describe_vpc_attribute_unknown_is_not_found(clients: Clients) -> None:
    with pytest.raises(NotFoundError):
        vpc.describe_vpc_attribute(clients, vpc_id="vpc-doesnotexist00000000")


def test_describe_vswitches_of_a_vpc(clients: Clients) -> None:
    assert {v.vswitch_id for v in vpc.describe_vswitches(clients, vpc_id=VPC_ID)} == {VSWITCH_J, VSWITCH_K}


def test_describe_vswitches_of_an_unknown_vpc_is_not_found(clients: Clients) -> None:
    with pytest.raises(NotFoundError) as raised:
        vpc.describe_vswitches(clients, vpc_id="vpc-doesnotexist00000000")

    assert raised.value.code == "Forbidden.VpcNotFound"


def test_describe_vswitch_attributes_gives_zone_and_free_addresses(clients: Clients) -> None:
    vswitch = vpc.describe_vswitch_attributes(clients, vswitch_id=VSWITCH_J)

    assert (vswitch.zone_id, vswitch.vpc_id) == (ZONE_J, VPC_ID) and vswitch.available_ip_count > 0


def test_describe_vswitch_attributes_unknown_is_not_found(clients: Clients) -> None:
    with pytest.raises(NotFoundError):
        vpc.describe_vswitch_attributes(clients, vswitch_id="vsw-doesnotexist000000")


def test_describe_cluster_detail_reads_the_cluster_and_its_api_endpoint(clients: Clients) -> None:
    cluster = ack.describe_cluster_detail(clients, cluster_id=CLUSTER_ID)

    assert (cluster.state, cluster.vpc_id) == ("running", VPC_ID)
    assert cluster.intranet_api_server_endpoint == "https://192.168.1.10:6443"


def test_describe_cluster_detail_unknown_is_not_found(clients: Clients) -> None:
    with pytest.raises(NotFoundError) as raised:
        ack.describe_cluster_detail(clients, cluster_id="c0000000000000000000000000000000")

    assert raised.value.code == "ErrorClusterNotFound"


def test_describe_cluster_user_kubeconfig_returns_a_private_kubeconfig(clients: Clients) -> None:
    kubeconfig = ack.describe_cluster_user_kubeconfig(
        clients, cluster_id=CLUSTER_ID, temporary_duration_minutes=60
    )

    assert "https://192.168.1.10:6443" in kubeconfig.config
    assert kubeconfig.expiration and kubeconfig.config not in repr(kubeconfig)
