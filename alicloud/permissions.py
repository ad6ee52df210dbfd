"""Permission probes: would these credentials be allowed to make a write, asked without making it.

A probe sends the real request with ``DryRun=true``.  Alibaba Cloud authorises a request (RAM,
at the API gateway) before the service validates it, so the answer tells the permission apart
from everything else:

* ``DryRunOperation`` — the request would pass: allowed;
* a permission refusal (:class:`~alicloud.errors.AuthError`, including the local policy guard's
  :class:`~alicloud.errors.PolicyDeniedError`) — not allowed; the refusal is returned;
* any other final error (a parameter or state the real call would meet later, such as a
  security group that does not exist yet) — authorisation passed: allowed;
* transient errors are retried by the call layer and raised if they persist.

Probes change nothing, but a request log that goes by action name lists them with the writes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from alicloud.clients import Clients
from alicloud.errors import AlibabaCloudError, AuthError
from alicloud.privatelink import ZonePlacement, create_vpc_endpoint

#: A group id for a probe made before our group exists: the service checks it only after RAM.
PLACEHOLDER_GROUP = "sg-permission-probe"


def refusal_of(send: Callable[[], object]) -> str | None:
    """The permission refusal the dry run ``send`` met (its message), or None when allowed."""
    try:
        send()
    except AuthError as error:
        return str(error)
    except AlibabaCloudError as error:
        if error.retryable:
            raise
    return None


def check_create_vpc_endpoint(
    clients: Clients,
    *,
    vpc_id: str,
    service_name: str,
    zones: Sequence[ZonePlacement] = (),
    security_group_ids: Sequence[str] = (PLACEHOLDER_GROUP,),
) -> str | None:
    """None when the credentials may create this endpoint; else the refusal, naming the action.

    RAM action: ``privatelink:CreateVpcEndpoint`` (a ``DryRun`` request).
    """
    return refusal_of(
        lambda: create_vpc_endpoint(
            clients,
            vpc_id=vpc_id,
            security_group_ids=list(security_group_ids),
            zones=zones,
            service_name=service_name,
            dry_run=True,
        )
    )
