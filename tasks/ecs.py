"""ECS security-group tasks."""

from __future__ import annotations

import re
from collections.abc import Collection

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from alicloud import ecs
from alicloud.errors import ConflictError, DependencyViolationError, NotFoundError
from alicloud.waiting import DEFAULT_POLL, Poll, wait_for
from blocks.credentials import AlibabaCloudCredentials
from tasks.common import cloud_task

P = "ecs"
READ = "a read; safe to repeat."
RULES = "an identical rule already present (or already absent, for revoke) is a no-op on the server."

describe_security_groups = cloud_task(
    ecs.describe_security_groups, product=P, run_name="describe-groups-{security_group_name}", rule=READ
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
    rule="deletes the group once its network interfaces are released; a group already gone counts as done.",
)


# ---- deleting a group that our endpoints' interfaces are leaving ------------------------------------

_INTERFACE = re.compile(r"\beni-[0-9a-z]+")
_GROUP = re.compile(r"\bsg-[0-9a-z]+")


class ForeignHolderError(DependencyViolationError):
    """Something eas-rg did not create holds the security group; waiting would not help."""


def foreign_holders(
    error: DependencyViolationError, security_group_id: str, own: Collection[str]
) -> list[str]:
    """What in a ``DependencyViolation`` answer is not ours: interfaces outside ``own``, or any
    rule of another group that refers to this one (eas-rg never writes such rules).

    An answer that names no interface (the cloud's own wording does not) is taken as draining.
    """
    if "authorized" in error.message:
        groups = sorted({g for g in _GROUP.findall(error.message) if g != security_group_id})
        return [f"a rule of security group {g}" for g in groups] or ["a rule of another security group"]
    return [f"network interface {eni}" for eni in sorted(set(_INTERFACE.findall(error.message)) - set(own))]


@task(
    name="delete-security-group-when-released",
    task_run_name="delete-when-released-{security_group_id}",
    retries=0,
    cache_policy=NO_CACHE,
    tags=["easrg", P],
)
def wait_for_security_group_deleted(
    *,
    security_group_id: str,
    own_interfaces: list[str],
    timeout_s: float,
    poll: Poll = DEFAULT_POLL,
    credentials: AlibabaCloudCredentials,
) -> int:
    """Delete the group as soon as the network interfaces of our own (deleted) endpoints have left it;
    return the number of delete attempts.

    ``DependencyViolation`` naming only ``own_interfaces`` means they are still being released: try
    again later, until ``timeout_s`` (then ``WaitTimeoutError`` says what held the group).  Any
    other holder (another interface, another group's rule) raises :class:`ForeignHolderError` at
    once, naming it.  Idempotency: a group that is already gone counts as done.
    """
    clients = credentials.get_clients()
    logger = get_run_logger()
    attempts = 0
    last = ""

    def try_delete() -> str:
        nonlocal attempts, last
        attempts += 1
        try:
            ecs.delete_security_group(clients, security_group_id=security_group_id)
        except NotFoundError:
            return "deleted"
        except DependencyViolationError as error:
            foreign = foreign_holders(error, security_group_id, own_interfaces)
            if foreign:
                raise ForeignHolderError(
                    f"blocked: {security_group_id} is held by {', '.join(foreign)}, which eas-rg did not "
                    "create for this group; remove it from the group (or the rule), then re-run the "
                    f"teardown ({error.message})",
                    code=error.code, request_id=error.request_id, status=error.status,
                    product=error.product, action=error.action,
                ) from error
            held = ", ".join(_INTERFACE.findall(error.message)) or "its network interfaces"
            state = f"held by {held} (being released)"
            if state != last:
                logger.info("%s: waiting until %s are released from it", security_group_id, held)
                last = state
            return state
        return "deleted"

    wait_for(
        try_delete,
        done=lambda state: state == "deleted",
        state_of=lambda state: state,
        resource=security_group_id,
        target="deleted",
        timeout_s=timeout_s,
        poll=poll,
    )
    logger.info("%s deleted after %d attempt(s)", security_group_id, attempts)
    return attempts
