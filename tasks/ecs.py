"""ECS security-group tasks."""

from __future__ import annotations

from alicloud import ecs
from alicloud.errors import ConflictError, NotFoundError
from tasks.common import cloud_task

P = "ecs"
READ = "a read; safe to repeat."
RULES = "an identical rule already present (or already absent, for revoke) is a no-op on the server."

describe_security_groups = cloud_task(
    ecs.describe_security_groups,
    product=P,
    run_name="describe-groups-{security_group_name|vpc_id}",
    rule=READ,
)
create_security_group = cloud_task(
    ecs.create_security_group,
    product=P,
    run_name="create-group-{security_group_name}",
    rule="the caller passes a ClientToken kept across retries; re-runs find the group by name and "
    "ownership tag first.",
    done_on=(ConflictError,),
)
delete_security_group = cloud_task(
    ecs.delete_security_group,
    product=P,
    run_name="delete-{security_group_id}",
    rule="a group that is already gone counts as done.",
    done_on=(NotFoundError,),
)
authorize_security_group = cloud_task(
    ecs.authorize_security_group, product=P, run_name="authorize-ingress-{security_group_id}", rule=RULES
)
authorize_security_group_egress = cloud_task(
    ecs.authorize_security_group_egress,
    product=P,
    run_name="authorize-egress-{security_group_id}",
    rule=RULES,
)
revoke_security_group = cloud_task(
    ecs.revoke_security_group, product=P, run_name="revoke-ingress-{security_group_id}", rule=RULES
)
revoke_security_group_egress = cloud_task(
    ecs.revoke_security_group_egress, product=P, run_name="revoke-egress-{security_group_id}", rule=RULES
)
describe_security_group_attribute = cloud_task(
    ecs.describe_security_group_attribute, product=P, run_name="describe-rules-{security_group_id}", rule=READ
)
wait_for_security_group_released = cloud_task(
    ecs.wait_for_security_group_released,
    product=P,
    run_name="delete-when-released-{security_group_id}",
    retries=0,
    rule="deletes the group once its network interfaces are released (only our own endpoints' count as "
    "draining when they are given; any other holder fails at once, named); a group already gone counts "
    "as done.",
)
