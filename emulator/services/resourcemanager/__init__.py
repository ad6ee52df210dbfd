"""ResourceManager (2020-03-31, RPC): the account's service-linked roles."""

from __future__ import annotations

from emulator.core.service import ServiceSpec
from emulator.services.resourcemanager.handlers import ResourceManagerHandlers
from emulator.services.resourcemanager.models import RoleStore, seed

SERVICE = ServiceSpec(
    product="resourcemanager",
    ram_code="ram",
    version="2020-03-31",
    style="RPC",
    scope="account",
    new_store=RoleStore,
    load_store=RoleStore.load,
    handlers=ResourceManagerHandlers,
    seed=seed,
    actions=[
        "CreateServiceLinkedRole",
        "DeleteServiceLinkedRole",
        "GetServiceLinkedRoleDeletionStatus",
        "GetRole",
        "ListRoles",
    ],
)
