"""VPC tasks: the four reads the EAS role may make."""

from __future__ import annotations

from alicloud import vpc
from tasks.common import cloud_task

P = "vpc"
READ = "a read; safe to repeat."

describe_vpcs = cloud_task(vpc.describe_vpcs, product=P, run_name="describe-vpcs", rule=READ)
describe_vpc_attribute = cloud_task(
    vpc.describe_vpc_attribute, product=P, run_name="describe-{vpc_id}", rule=READ
)
describe_vswitches = cloud_task(
    vpc.describe_vswitches, product=P, run_name="describe-vswitches-{vpc_id}", rule=READ
)
describe_vswitch_attributes = cloud_task(
    vpc.describe_vswitch_attributes, product=P, run_name="describe-{vswitch_id}", rule=READ
)
