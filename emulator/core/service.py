"""How a product plugs into the emulator core.

Each package ``emulator/services/<product>/`` exposes ``SERVICE = ServiceSpec(...)`` in its
``__init__.py``.  The core:

* routes a request to a service by the API version (RPC/ROA: ``x-acs-version`` header or
  ``Version`` query) or, for Simple Log Service, by the SLS headers; ROA and SLS requests are
  then matched against ``routes`` (method + path pattern with ``{Name}`` placeholders, which
  become parameters);
* checks the principal's policy against ``ram_action(action)`` and ``resource_arn(call)``;
* finds the store for ``(account, region)`` (``scope="region"``), for the account
  (``scope="account"``) or the single world-wide one (``scope="global"``) and calls
  ``handlers(world).<snake_case(action)>(call)`` under the world lock;
* persists stores with ``Store.dump()`` / ``store_type.load(data)``.

Handlers reach other products' stores only through the :class:`WorldView` given to them
(e.g. PrivateLink reads the VPC store to validate a vSwitch), never through globals.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from emulator.core.api import Call, Pace


class Store(Protocol):
    """A product's state for one scope; JSON-native when dumped."""

    def dump(self) -> dict[str, Any]: ...


class WorldView(Protocol):
    """What handlers may see of the world."""

    pace: Pace

    def store(self, product: str, account_id: str | None = None, region: str | None = None) -> Any:
        """The store of ``product`` for that scope (created empty on first use)."""
        ...

    def regions(self, account_id: str) -> list[str]:
        """Regions known for the account (from the world file)."""
        ...

    def account_ids(self) -> list[str]: ...

    def seed_of(self, account_id: str) -> dict[str, Any]:
        """The account's section of the world file (read-only)."""
        ...


def snake_case(action: str) -> str:
    """``CreateVpcEndpoint`` -> ``create_vpc_endpoint``; ``DescribeVSwitches`` -> ``describe_vswitches``."""
    text = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", action.replace("VSwitch", "Vswitch"))
    return text.lower()


@dataclass
class Route:
    method: str
    pattern: str  # e.g. "/clusters/{ClusterId}" or "/logstores/{logstore}/index"
    action: str

    def match(self, method: str, path: str) -> dict[str, str] | None:
        if method.upper() != self.method:
            return None
        regex = "^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.pattern)) + "/?$"
        found = re.match(regex, path)
        return dict(found.groupdict()) if found else None


@dataclass
class ServiceSpec:
    product: str  # module name: privatelink, vpc, ecs, cs, resourcemanager, privatezone, sls
    ram_code: str  # prefix of RAM action names: privatelink, vpc, ecs, cs, ram, pvtz, log
    version: str | None  # OpenAPI version string; None for SLS
    style: str  # "RPC", "ROA" or "SLS"
    scope: str  # "region", "account" or "global"
    new_store: Callable[[], Any]
    load_store: Callable[[dict[str, Any]], Any]
    handlers: Callable[[WorldView], Any]
    # Fill a fresh store from the world file for this scope: (store, account seed, region or None).
    seed: Callable[[Any, dict[str, Any], str | None], None] | None = None
    routes: list[Route] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)  # every action served (RPC ones too)
    # RAM action for an API action when it differs from "<ram_code>:<Action>" (SLS GetLogs).
    ram_actions: dict[str, str] = field(default_factory=dict)
    # ARN of the resource a call touches, for resource-scoped policies (SLS); "*" otherwise.
    resource_arn: Callable[[Call], str] | None = None

    def ram_action(self, action: str) -> str:
        return self.ram_actions.get(action, f"{self.ram_code}:{action}")
