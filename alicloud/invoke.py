"""The path of every call: policy guard, then the SDK call, translated, retried.

Product modules describe a call with an :class:`Operation` (product, API action, RAM action,
resource) and hand :func:`invoke` a zero-argument ``send`` that performs exactly one SDK call.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from alicloud.errors import AlibabaCloudError
from alicloud.pacing import is_throttle
from alicloud.retry import call_with_retries
from alicloud.translate import translate

if TYPE_CHECKING:
    from alicloud.clients import Clients

T = TypeVar("T")


@dataclass(frozen=True)
class Operation:
    product: str  # module name: privatelink, vpc, ecs, ack, sls, privatezone, roles
    action: str  # API action: CreateVpcEndpoint
    ram_action: str  # privatelink:CreateVpcEndpoint
    resource: str = "*"


def invoke(
    clients: Clients,
    op: Operation,
    send: Callable[[], T],
    *,
    retry_also: tuple[type[AlibabaCloudError], ...] = (),
    repeatable: bool = True,
) -> T:
    """Check the guard (nothing is sent when it refuses), then call ``send`` with retries, each
    attempt paced (:mod:`alicloud.pacing`); a throttle answer holds the action for every caller.

    ``repeatable=False`` is for a request that must reach the service at most once (it has no
    ClientToken, and a second one starts something new): only a throttle answer, which proves the
    request was refused, is retried.  A transport failure may come after the service acted on it
    (the answer was lost), so it is raised for the caller to find out what happened.
    """
    clients.guard.check(op.ram_action, op.resource, product=op.product, action=op.action)
    pace_key = f"{op.product}:{op.action}"

    def attempt() -> T:
        clients.pacer.acquire(pace_key)
        try:
            result = send()
        except Exception as exc:
            error = translate(exc, product=op.product, action=op.action)
            if error is not None and is_throttle(error.code):
                clients.pacer.hold(pace_key, error.retry_after)
            if error is None or error is exc:
                raise
            raise error from exc
        clients.pacer.ease(pace_key)
        return result

    return call_with_retries(
        attempt,
        policy=clients.retry_policy,
        action=f"{op.product}:{op.action}",
        retry_also=retry_also,
        retry_when=None if repeatable else (lambda error: is_throttle(error.code)),
    )


def call_sdk(
    clients: Clients,
    op: Operation,
    client: Any,
    request: Any = None,
    *,
    retry_also: tuple[type[AlibabaCloudError], ...] = (),
    repeatable: bool = True,
) -> dict[str, Any]:
    """Call the product-SDK method named after ``op.action`` (``CreateVpcEndpoint`` ->
    ``create_vpc_endpoint``) with ``request``; the answer body as a plain dict (never an SDK model).
    """
    method = getattr(client, snake_case(op.action))

    def send() -> Any:
        return method() if request is None else method(request)

    response = invoke(clients, op, send, retry_also=retry_also, repeatable=repeatable)
    body = response.body.to_map() if getattr(response, "body", None) is not None else {}
    return body if isinstance(body, dict) else {}


def snake_case(action: str) -> str:
    """``CreateVpcEndpoint`` -> ``create_vpc_endpoint`` (the one name across layers)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", action).lower()
