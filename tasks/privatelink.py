"""PrivateLink tasks: one per API action, plus the waiters that follow its asynchronous states."""

from __future__ import annotations

from alicloud import permissions
from alicloud import privatelink as pl
from alicloud import privatelink_wait as plw
from alicloud.errors import ConflictError, NotFoundError
from tasks.common import cloud_task

P = "privatelink"
READ = "a read; safe to repeat."
BY_TOKEN = (
    "the caller passes a ClientToken derived from the flow run and the step, kept across retries, "
    "so a retried call returns the first result; re-runs look the resource up first."
)
NOT_FOUND_IS_DONE = "a resource that is already gone counts as done."

open_private_link_service = cloud_task(
    pl.open_private_link_service,
    product=P,
    run_name="open-privatelink",
    rule="'already activated' (OrderOpend) counts as done.",
    done_on=(ConflictError,),
)
check_product_open = cloud_task(
    pl.check_product_open, product=P, run_name="check-privatelink-open", rule=READ
)
list_vpc_endpoint_services = cloud_task(
    pl.list_vpc_endpoint_services, product=P, run_name="list-endpoint-services", rule=READ
)
list_vpc_endpoint_services_by_end_user = cloud_task(
    pl.list_vpc_endpoint_services_by_end_user,
    product=P,
    run_name="find-endpoint-service-{service_name}",
    rule=READ,
)
create_vpc_endpoint = cloud_task(
    pl.create_vpc_endpoint,
    product=P,
    run_name="create-endpoint-{endpoint_name}",
    rule=BY_TOKEN,
    done_on=(ConflictError,),
)
check_create_vpc_endpoint = cloud_task(
    permissions.check_create_vpc_endpoint,
    product=P,
    run_name="check-create-endpoint-{service_name}",
    rule="a DryRun request: it changes nothing; returns the permission refusal, or None.",
)
list_vpc_endpoints = cloud_task(
    pl.list_vpc_endpoints, product=P, run_name="list-endpoints-{endpoint_name|vpc_id}", rule=READ
)
update_vpc_endpoint_attribute = cloud_task(
    pl.update_vpc_endpoint_attribute,
    product=P,
    run_name="update-endpoint-{endpoint_id}",
    rule="sets attributes to given values; repeating it changes nothing.",
)
get_vpc_endpoint_attribute = cloud_task(
    pl.get_vpc_endpoint_attribute,
    product=P,
    run_name="get-endpoint-{endpoint_id}",
    rule="a read; an endpoint that is gone gives None.",
    done_on=(NotFoundError,),
)
list_vpc_endpoint_security_groups = cloud_task(
    pl.list_vpc_endpoint_security_groups, product=P, run_name="list-endpoint-groups-{endpoint_id}", rule=READ
)
attach_security_group_to_vpc_endpoint = cloud_task(
    pl.attach_security_group_to_vpc_endpoint,
    product=P,
    run_name="attach-{security_group_id}-to-{endpoint_id}",
    rule="'already attached' (SecurityGroupExist) counts as done.",
    done_on=(ConflictError,),
)
detach_security_group_from_vpc_endpoint = cloud_task(
    pl.detach_security_group_from_vpc_endpoint,
    product=P,
    run_name="detach-{security_group_id}-from-{endpoint_id}",
    rule=NOT_FOUND_IS_DONE,
    done_on=(NotFoundError,),
)
add_zone_to_vpc_endpoint = cloud_task(
    pl.add_zone_to_vpc_endpoint,
    product=P,
    run_name="add-zone-{zone_id}-to-{endpoint_id}",
    rule="'zone already added' (EndpointZoneDuplicated) counts as done.",
    done_on=(ConflictError,),
)
remove_zone_from_vpc_endpoint = cloud_task(
    pl.remove_zone_from_vpc_endpoint,
    product=P,
    run_name="remove-zone-{zone_id}-from-{endpoint_id}",
    rule=NOT_FOUND_IS_DONE,
    done_on=(NotFoundError,),
)
list_vpc_endpoint_zones = cloud_task(
    pl.list_vpc_endpoint_zones, product=P, run_name="list-endpoint-zones-{endpoint_id}", rule=READ
)
delete_vpc_endpoint = cloud_task(
    pl.delete_vpc_endpoint,
    product=P,
    run_name="delete-endpoint-{endpoint_id}",
    rule=NOT_FOUND_IS_DONE,
    done_on=(NotFoundError,),
)

wait_for_endpoint_status = cloud_task(
    plw.wait_for_endpoint_status,
    product=P,
    run_name="wait-endpoint-{endpoint_id}-{status}",
    retries=0,
    rule=READ,
)
wait_for_endpoint_zones = cloud_task(
    plw.wait_for_endpoint_zones, product=P, run_name="wait-endpoint-zones-{endpoint_id}", retries=0, rule=READ
)
wait_for_endpoint_zones_gone = cloud_task(
    plw.wait_for_endpoint_zones_gone,
    product=P,
    run_name="wait-endpoint-zones-gone-{endpoint_id}",
    retries=0,
    rule=READ,
)
wait_for_endpoint_gone = cloud_task(
    plw.wait_for_endpoint_gone, product=P, run_name="wait-endpoint-gone-{endpoint_id}", retries=0, rule=READ
)
