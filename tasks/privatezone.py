"""PrivateZone tasks: the zone, its VPC binding and its records."""

from __future__ import annotations

from alicloud import privatezone as pz
from alicloud.errors import ConflictError, NotFoundError
from tasks.common import cloud_task

P = "privatezone"
READ = "a read; safe to repeat."

add_zone = cloud_task(
    pz.add_zone,
    product=P,
    run_name="add-zone-{zone_name}",
    rule="the role cannot read zones, so the flow records the ClientToken in the resource-group record "
    "before sending; a retry or a re-run re-sends it and gets the zone the first call made.",
)
bind_zone_vpc = cloud_task(
    pz.bind_zone_vpc,
    product=P,
    run_name="bind-vpcs-{zone_id}",
    rule="replaces the whole bound set with the given one: repeating it changes nothing.",
)
add_zone_record = cloud_task(
    pz.add_zone_record,
    product=P,
    run_name="add-record-{rr}-{zone_id}",
    rule="an identical record (Record.Invalid.Conflict) counts as done.",
    done_on=(ConflictError,),
)
delete_zone = cloud_task(
    pz.delete_zone,
    product=P,
    run_name="delete-zone-{zone_id}",
    rule="a zone that is already gone counts as done.",
    done_on=(NotFoundError,),
)
describe_zone_info = cloud_task(
    pz.describe_zone_info,
    product=P,
    run_name="describe-zone-{zone_id}",
    rule="a read; a missing zone gives None.",
    done_on=(NotFoundError,),
)
describe_zone_records = cloud_task(
    pz.describe_zone_records, product=P, run_name="describe-records-{zone_id}", rule=READ
)
describe_zones = cloud_task(pz.describe_zones, product=P, run_name="describe-zones-{keyword}", rule=READ)
wait_for_zone_gone = cloud_task(
    pz.wait_for_zone_gone, product=P, run_name="wait-zone-gone-{zone_id}", retries=0, rule=READ
)
