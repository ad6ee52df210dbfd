"""Every per-action task through the real SDKs against the emulator: each product's resources built,
read, changed and removed by its tasks alone, checked in the emulator's state along the way."""

from __future__ import annotations

import time
import uuid

from prefect import flow
from prefect.blocks.system import Secret

from alicloud.ecs import SecurityGroupRule
from alicloud.privatelink import ZonePlacement
from alicloud.privatezone import ZoneVpc
from blocks.credentials import AlibabaCloudCredentials
from tasks import ack, ecs, privatelink, privatezone, roles, sls, vpc
from tests.integration.flows.inventory import Inventory
from tests.support.emulator_control import EmulatorControl
from tests.support.world import (
    ACCOUNT_ID,
    CLUSTER_ID,
    EAS_SERVICE,
    REGION,
    ROLE_NAME,
    ROLE_SERVICE_NAME,
    VPC_CIDR,
    VPC_ID,
    VSWITCH_J,
    VSWITCH_K,
    ZONE_J,
    ZONE_K,
)

HTTPS = SecurityGroupRule(ip_protocol="TCP", port_range="443/443", cidr=VPC_CIDR)
ALL_OUT = SecurityGroupRule(ip_protocol="ALL", port_range="-1/-1", cidr=VPC_CIDR)


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@flow
def _vpc_and_ecs(c: AlibabaCloudCredentials) -> None:
    assert [v.vpc_id for v in vpc.describe_vpcs(vpc_ids=[VPC_ID], credentials=c)] == [VPC_ID]
    assert vpc.describe_vpc_attribute(vpc_id=VPC_ID, credentials=c).cidr_block == VPC_CIDR
    assert {s.vswitch_id for s in vpc.describe_vswitches(vpc_id=VPC_ID, credentials=c)} == {
        VSWITCH_J,
        VSWITCH_K,
    }
    assert vpc.describe_vswitch_attributes(vswitch_id=VSWITCH_K, credentials=c).zone_id == ZONE_K
    name = _name("eas-rg-tasks")
    group = ecs.create_security_group(vpc_id=VPC_ID, security_group_name=name, tags={"t": "1"}, credentials=c)
    ecs.authorize_security_group(security_group_id=group, rules=[HTTPS], credentials=c)
    ecs.authorize_security_group_egress(security_group_id=group, rules=[ALL_OUT], credentials=c)
    read = ecs.describe_security_group_attribute(security_group_id=group, credentials=c)
    assert {(r.direction, r.port_range) for r in read} == {("ingress", "443/443"), ("egress", "-1/-1")}
    ecs.revoke_security_group(security_group_id=group, rules=[HTTPS], credentials=c)
    ecs.revoke_security_group_egress(security_group_id=group, rules=[ALL_OUT], credentials=c)
    assert ecs.describe_security_group_attribute(security_group_id=group, credentials=c) == []
    (found,) = ecs.describe_security_groups(vpc_id=VPC_ID, security_group_name=name, credentials=c)
    assert (found.security_group_id, found.tags["t"]) == (group, "1")
    ecs.delete_security_group(security_group_id=group, credentials=c)
    ecs.delete_security_group(security_group_id=group, credentials=c)  # gone already: done
    assert ecs.describe_security_groups(security_group_ids=[group], credentials=c) == []


def test_vpc_and_ecs_tasks_read_the_network_and_manage_a_group(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials
) -> None:
    _vpc_and_ecs(credentials)
    assert Inventory(emulator).regional["ecs"]["groups"] == []


@flow
def _endpoint_lifecycle(c: AlibabaCloudCredentials) -> str:
    assert privatelink.open_private_link_service(credentials=c)
    assert privatelink.open_private_link_service(credentials=c) is None  # already activated: done
    assert privatelink.check_product_open(credentials=c) is True
    assert privatelink.list_vpc_endpoint_services(credentials=c) == []  # the account provides none
    (service,) = privatelink.list_vpc_endpoint_services_by_end_user(service_name=EAS_SERVICE, credentials=c)
    first, second = (
        ecs.create_security_group(vpc_id=VPC_ID, security_group_name=_name("eas-rg-ep"), credentials=c)
        for _ in range(2)
    )
    assert (
        privatelink.check_create_vpc_endpoint(vpc_id=VPC_ID, service_name=EAS_SERVICE, credentials=c) is None
    )
    endpoint = privatelink.create_vpc_endpoint(
        vpc_id=VPC_ID,
        security_group_ids=[first],
        zones=[ZonePlacement(zone_id=ZONE_J, vswitch_id=VSWITCH_J)],
        service_id=service.service_id,
        endpoint_name="eas-rg-tasks",
        credentials=c,
    )
    eid = endpoint.endpoint_id
    privatelink.wait_for_endpoint_status(endpoint_id=eid, connection_status="Connected", credentials=c)
    privatelink.update_vpc_endpoint_attribute(endpoint_id=eid, endpoint_name="eas-rg-renamed", credentials=c)
    assert (
        privatelink.get_vpc_endpoint_attribute(endpoint_id=eid, credentials=c).endpoint_name
        == "eas-rg-renamed"
    )
    assert [
        e.endpoint_id for e in privatelink.list_vpc_endpoints(endpoint_name="eas-rg-renamed", credentials=c)
    ] == [eid]
    privatelink.attach_security_group_to_vpc_endpoint(
        endpoint_id=eid, security_group_id=second, credentials=c
    )
    privatelink.wait_for_endpoint_status(endpoint_id=eid, credentials=c)
    groups = privatelink.list_vpc_endpoint_security_groups(endpoint_id=eid, credentials=c)
    assert {g.security_group_id for g in groups} == {first, second}
    privatelink.detach_security_group_from_vpc_endpoint(
        endpoint_id=eid, security_group_id=second, credentials=c
    )
    privatelink.wait_for_endpoint_status(endpoint_id=eid, credentials=c)
    privatelink.add_zone_to_vpc_endpoint(endpoint_id=eid, zone_id=ZONE_K, vswitch_id=VSWITCH_K, credentials=c)
    zones = privatelink.wait_for_endpoint_zones(endpoint_id=eid, zone_ids=[ZONE_J, ZONE_K], credentials=c)
    assert {z.zone_id for z in privatelink.list_vpc_endpoint_zones(endpoint_id=eid, credentials=c)} == {
        z.zone_id for z in zones
    }
    for zone in (ZONE_K, ZONE_J):
        privatelink.wait_for_endpoint_status(endpoint_id=eid, credentials=c)
        privatelink.remove_zone_from_vpc_endpoint(endpoint_id=eid, zone_id=zone, credentials=c)
        privatelink.wait_for_endpoint_zones_gone(endpoint_id=eid, zone_ids=[zone], credentials=c)
    privatelink.delete_vpc_endpoint(endpoint_id=eid, credentials=c)
    privatelink.wait_for_endpoint_gone(endpoint_id=eid, credentials=c)
    assert privatelink.get_vpc_endpoint_attribute(endpoint_id=eid, credentials=c) is None
    for group in (first, second):
        ecs.wait_for_security_group_released(security_group_id=group, credentials=c)
    return eid


def test_privatelink_tasks_build_change_and_remove_an_endpoint(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials
) -> None:
    _endpoint_lifecycle(credentials)
    network = Inventory(emulator).regional
    assert network["privatelink"]["activated"] is True
    assert (network["privatelink"]["endpoints"], network["ecs"]["groups"]) == ([], [])


@flow
def _zone_lifecycle(c: AlibabaCloudCredentials, name: str) -> str:
    zone = privatezone.add_zone(zone_name=name, client_token=uuid.uuid4().hex, credentials=c)
    assert [z.zone_id for z in privatezone.describe_zones(keyword=name, credentials=c)] == [zone.zone_id]
    privatezone.bind_zone_vpc(zone_id=zone.zone_id, vpcs=[ZoneVpc(VPC_ID, REGION)], credentials=c)
    info = privatezone.describe_zone_info(zone_id=zone.zone_id, credentials=c)
    assert info.bound_vpcs == (ZoneVpc(VPC_ID, REGION),)
    privatezone.add_zone_record(
        zone_id=zone.zone_id, rr="api", record_type="A", value="192.168.1.9", credentials=c
    )
    (record,) = privatezone.describe_zone_records(zone_id=zone.zone_id, credentials=c)
    assert (record.rr, record.value) == ("api", "192.168.1.9")
    privatezone.bind_zone_vpc(zone_id=zone.zone_id, vpcs=[], unbind_all=True, credentials=c)
    privatezone.delete_zone(zone_id=zone.zone_id, draining=True, credentials=c)
    privatezone.wait_for_zone_gone(zone_id=zone.zone_id, credentials=c)
    assert privatezone.describe_zone_info(zone_id=zone.zone_id, credentials=c) is None
    return zone.zone_id


def test_privatezone_tasks_add_bind_fill_and_delete_a_zone(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials
) -> None:
    name = f"{_name('tasks')}.eas.private"
    _zone_lifecycle(credentials, name)
    assert Inventory(emulator).private_zones(name) == []


@flow
def _logs_lifecycle(c: AlibabaCloudCredentials, emulator: EmulatorControl, project: str) -> None:
    store, group, config = "eas-tasks", "eas-tasks-nodes", "eas-tasks-files"
    sls.create_project(project=project, credentials=c)
    assert sls.get_project(project=project, credentials=c).owner == ACCOUNT_ID
    sls.create_log_store(project=project, logstore=store, ttl=7, credentials=c)
    assert sls.get_log_store(project=project, logstore=store, credentials=c) is not None
    index = {
        "line": {"token": [" "], "caseSensitive": False},
        "keys": {"level": {"type": "text", "token": [" "]}},
    }
    sls.create_index(project=project, logstore=store, index=index, credentials=c)
    assert sls.get_index(project=project, logstore=store, credentials=c).keys == ("level",)
    emulator.admin("sls", "put_logs", project=project, logstore=store, logs=[{"level": "error", "msg": "x"}])
    now = int(time.time())
    logs = sls.get_log_store_logs(
        project=project,
        logstore=store,
        from_time=now - 60,
        to_time=now + 60,
        query="level: error",
        credentials=c,
    )
    assert [entry.contents["msg"] for entry in logs] == ["x"]
    sls.create_machine_group(project=project, group_name=group, machine_list=["eas-node"], credentials=c)
    assert sls.get_machine_group(project=project, group_name=group, credentials=c).machine_list == (
        "eas-node",
    )
    body = {
        "configName": config,
        "inputType": "file",
        "inputDetail": {"logType": "common_reg_log", "logPath": "/var/log/eas", "filePattern": "*.log"},
        "outputType": "LogService",
        "outputDetail": {"logstoreName": store},
    }
    sls.create_config(project=project, config=body, credentials=c)
    assert sls.get_config(project=project, config_name=config, credentials=c).log_path == "/var/log/eas"
    sls.apply_config_to_group(project=project, config_name=config, group_name=group, credentials=c)
    assert sls.get_machine_group_applied_configs(project=project, group_name=group, credentials=c) == (
        config,
    )
    sls.remove_config_from_group(project=project, config_name=config, group_name=group, credentials=c)
    assert sls.get_machine_group_applied_configs(project=project, group_name=group, credentials=c) == ()
    sls.delete_config(project=project, config_name=config, credentials=c)
    sls.delete_machine_group(project=project, group_name=group, credentials=c)
    sls.delete_index(project=project, logstore=store, credentials=c)
    assert sls.get_index(project=project, logstore=store, credentials=c) is None
    sls.delete_log_store(project=project, logstore=store, credentials=c)
    sls.delete_project(project=project, credentials=c)
    sls.delete_project(project=project, credentials=c)  # gone already: done
    assert sls.get_project(project=project, credentials=c) is None


def test_sls_tasks_build_and_remove_the_log_chain(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials
) -> None:
    project = _name("eas-tasks")
    _logs_lifecycle(credentials, emulator, project)
    assert Inventory(emulator).project(project) is None


@flow
def _role_and_cluster(c: AlibabaCloudCredentials, group: str) -> None:
    role = roles.create_service_linked_role(service_name=ROLE_SERVICE_NAME, credentials=c)
    assert role.role_name == ROLE_NAME
    assert (
        roles.create_service_linked_role(service_name=ROLE_SERVICE_NAME, credentials=c) is None
    )  # exists: done
    assert roles.get_role(credentials=c).role_name == ROLE_NAME
    task_id = roles.delete_service_linked_role(credentials=c)
    assert roles.get_service_linked_role_deletion_status(deletion_task_id=task_id, credentials=c).status
    assert roles.wait_for_role_deletion(deletion_task_id=task_id, credentials=c).status == "SUCCEEDED"
    assert roles.get_role(credentials=c) is None
    cluster = ack.describe_cluster_detail(cluster_id=CLUSTER_ID, credentials=c)
    assert (cluster.state, cluster.vpc_id) == ("running", VPC_ID)
    kubeconfig = ack.describe_cluster_user_kubeconfig(cluster_id=CLUSTER_ID, credentials=c)
    assert cluster.intranet_api_server_endpoint in kubeconfig.config
    saved = ack.save_cluster_kubeconfig(
        cluster_id=CLUSTER_ID, resource_group=group, region=REGION, credentials=c
    )
    assert saved.expiration == kubeconfig.expiration
    assert "client-key-data" in Secret.load(saved.block_name).get()
    assert ack.delete_cluster_kubeconfig(resource_group=group, region=REGION) is True
    assert ack.delete_cluster_kubeconfig(resource_group=group, region=REGION) is False


def test_roles_and_ack_tasks_manage_the_role_and_the_kubeconfig_block(
    emulator: EmulatorControl, credentials: AlibabaCloudCredentials
) -> None:
    _role_and_cluster(credentials, _name("tasks"))
    assert Inventory(emulator).account["resourcemanager"]["roles"] == {}
