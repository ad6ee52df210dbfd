"""ResourceManager 2020-03-31 role actions, one method per action."""

from __future__ import annotations

import re
from typing import Any

from emulator.core.api import Call, page_by_number
from emulator.core.service import WorldView
from emulator.services.resourcemanager import errors
from emulator.services.resourcemanager.models import RoleStore

PRODUCT = "resourcemanager"
DELETE_DURATION = "resourcemanager.role.delete"
_ROLE_NAME = re.compile(r"^[A-Za-z0-9.\-]+$")


class ResourceManagerHandlers:
    def __init__(self, world: WorldView):
        self.world = world

    def _store(self, call: Call) -> RoleStore:
        store: RoleStore = self.world.store(PRODUCT, call.account_id)
        self._settle(store, call.now)
        return store

    def _settle(self, store: RoleStore, now: float) -> None:
        for task in store.due_tasks(now):
            store.finish(task, self._usages(store.account_id, task.role_name, now))

    def _usages(self, account_id: str, role_name: str, now: float) -> dict[str, list[str]]:
        """Endpoint ids still using the role, by region, as PrivateLink reports them.

        Without a PrivateLink service (or one without ``role_usages``) nothing uses the role.
        """
        usages: dict[str, list[str]] = {}
        for region in self.world.regions(account_id):
            try:
                store = self.world.store("privatelink", account_id, region)
            except KeyError:
                return {}
            role_usages = getattr(store, "role_usages", None)
            if callable(role_usages):
                usages[region] = list(role_usages(role_name, now))
        return usages

    def settle_all(self, now: float) -> None:
        """Resolve every due deletion task of every account (used by the state snapshot)."""
        for account_id in self.world.account_ids():
            self._settle(self.world.store(PRODUCT, account_id), now)

    # -- actions -------------------------------------------------------------------------------

    def create_service_linked_role(self, call: Call) -> dict[str, Any]:
        service_name = call.params.req("ServiceName")
        if call.params.str("CustomSuffix"):
            raise errors.suffix_not_allowed()
        if call.params.str("Description"):
            raise errors.description_not_allowed()
        role = self._store(call).create_role(service_name, call.now)
        return {"Role": role.to_api()}

    def delete_service_linked_role(self, call: Call) -> dict[str, Any]:
        role_name = _role_name(call)
        task = self._store(call).start_deletion(role_name, call.now, self.world.pace.seconds(DELETE_DURATION))
        return {"DeletionTaskId": task.task_id}

    def get_service_linked_role_deletion_status(self, call: Call) -> dict[str, Any]:
        task_id = call.params.req("DeletionTaskId")
        if not 26 <= len(task_id) <= 255:
            raise errors.task_id_length()
        return self._store(call).task(task_id).to_api()

    def get_role(self, call: Call) -> dict[str, Any]:
        return {"Role": self._store(call).get_role(_role_name(call)).to_api()}

    def list_roles(self, call: Call) -> dict[str, Any]:
        roles = self._store(call).list_roles()
        page, number, size = page_by_number(roles, call, default=10, maximum=100)
        return {
            "Roles": {"Role": [r.to_api(detail=False) for r in page]},
            "TotalCount": len(roles),
            "PageNumber": number,
            "PageSize": size,
        }


def _role_name(call: Call) -> str:
    role_name = call.params.req("RoleName")
    if len(role_name) > 64:
        raise errors.role_name_length()
    if not _ROLE_NAME.match(role_name):
        raise errors.role_name_chars()
    return role_name
