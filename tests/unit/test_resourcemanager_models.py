"""ResourceManager roles and deletion tasks, against a stand-in world (no sockets)."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.core.api import ApiError, Call, Pace, Params, Principal
from emulator.services.resourcemanager.handlers import ResourceManagerHandlers
from emulator.services.resourcemanager.models import RoleStore, seed

ACCOUNT = "1748290035126730"
SERVICE_NAME = "customerclusters.eas.pai.aliyuncs.com"
ROLE = "AliyunServiceRoleForPaiEasManageCustomerClusters"


class _Endpoints:
    """A PrivateLink store reduced to what role deletion asks of it."""

    def __init__(self, ids: list[str]):
        self.ids = ids

    def role_usages(self, role_name: str, now: float) -> list[str]:
        return list(self.ids) if role_name == ROLE else []


class _World:
    def __init__(self, usages: dict[str, list[str]] | None = None, privatelink: bool = True):
        self.pace = Pace("instant")
        self.roles = RoleStore()
        seed(
            self.roles,
            {"account_id": ACCOUNT, "service_linked_roles": {"services": {SERVICE_NAME: ROLE}}},
            None,
        )
        self.usages = usages or {}
        self.privatelink = privatelink

    def store(self, product: str, account_id: str | None = None, region: str | None = None) -> Any:
        if product == "resourcemanager":
            return self.roles
        if not self.privatelink:
            raise KeyError(product)
        return _Endpoints(self.usages.get(region or "", []))

    def regions(self, account_id: str) -> list[str]:
        return ["cn-hangzhou", "cn-shanghai"]

    def account_ids(self) -> list[str]:
        return [ACCOUNT]

    def seed_of(self, account_id: str) -> dict[str, Any]:
        return {}


def _call(action: str, now: float = 1000.0, **params: str) -> Call:
    principal = Principal("owner", ACCOUNT, "LTAI-emulator-owner")
    return Call("resourcemanager", action, Params(params), principal, "cn-hangzhou", "RID", now)


def _delete_and_resolve(world: _World) -> dict[str, Any]:
    handlers = ResourceManagerHandlers(world)
    handlers.create_service_linked_role(_call("CreateServiceLinkedRole", ServiceName=SERVICE_NAME))
    task = handlers.delete_service_linked_role(_call("DeleteServiceLinkedRole", RoleName=ROLE))[
        "DeletionTaskId"
    ]
    return handlers.get_service_linked_role_deletion_status(
        _call("GetServiceLinkedRoleDeletionStatus", now=1001.0, DeletionTaskId=task)
    )


def test_delete_service_linked_role_unused_succeeds() -> None:
    world = _World()
    assert _delete_and_resolve(world) == {"Status": "SUCCEEDED"}
    assert world.roles.roles == {}


def test_delete_service_linked_role_used_fails_with_usages() -> None:
    world = _World({"cn-shanghai": ["ep-b"], "cn-hangzhou": ["ep-a2", "ep-a1"]})
    status = _delete_and_resolve(world)
    assert status["Status"] == "FAILED"
    assert status["Reason"]["RoleUsages"] == {
        "RoleUsage": [
            {"Region": "cn-hangzhou", "Resources": {"Resource": ["ep-a1", "ep-a2"]}},
            {"Region": "cn-shanghai", "Resources": {"Resource": ["ep-b"]}},
        ]
    }
    assert ROLE.lower() in world.roles.roles


def test_delete_service_linked_role_without_privatelink_succeeds() -> None:
    assert _delete_and_resolve(_World(privatelink=False))["Status"] == "SUCCEEDED"


def test_delete_service_linked_role_pending_returns_same_task() -> None:
    world = _World()
    world.pace.set("instant", {"resourcemanager.role.delete": 60})
    handlers = ResourceManagerHandlers(world)
    handlers.create_service_linked_role(_call("CreateServiceLinkedRole", ServiceName=SERVICE_NAME))
    first = handlers.delete_service_linked_role(_call("DeleteServiceLinkedRole", RoleName=ROLE))
    second = handlers.delete_service_linked_role(_call("DeleteServiceLinkedRole", now=1010.0, RoleName=ROLE))
    assert first == second


def test_store_dump_round_trips() -> None:
    world = _World()
    handlers = ResourceManagerHandlers(world)
    handlers.create_service_linked_role(_call("CreateServiceLinkedRole", ServiceName=SERVICE_NAME))
    assert RoleStore.load(world.roles.dump()).dump() == world.roles.dump()


def test_admin_forget_deletion_task_unknown_refused() -> None:
    with pytest.raises(ApiError) as raised:
        RoleStore().admin_forget_deletion_task()
    assert raised.value.code == "EntityNotExist.ServiceLinkedRole.DeletionTask"
