"""Service-linked roles of one account and their asynchronous deletion tasks (no HTTP here).

A deletion task stays ``IN_PROGRESS`` until its ``due`` time; the first look after that
resolves it (``finish``) with the role's usages at that moment, which only the handlers can
collect (they see the PrivateLink stores): no usage -> ``SUCCEEDED`` and the role is gone,
usages -> ``FAILED`` with ``Reason.RoleUsages`` and the role stays.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from emulator.core.api import iso_now, record_to_dict
from emulator.services.resourcemanager import errors

IN_PROGRESS = "IN_PROGRESS"
SUCCEEDED = "SUCCEEDED"
FAILED = "FAILED"
STILL_USED = (
    "The service-linked role cannot be deleted because it is still used by resources of the "
    "service. Delete those resources first."
)


@dataclass
class Role:
    role_name: str
    role_id: str
    arn: str
    service_name: str
    description: str
    create_date: str
    update_date: str
    principal_name: str
    max_session_duration: int = 3600
    is_service_linked: bool = True
    latest_deletion_task: dict[str, str] | None = None  # {"DeletionTaskId", "CreateDate"}

    def to_api(self, detail: bool = True) -> dict[str, Any]:
        body: dict[str, Any] = {
            "RoleName": self.role_name,
            "RoleId": self.role_id,
            "Arn": self.arn,
            "Description": self.description,
            "CreateDate": self.create_date,
            "IsServiceLinkedRole": self.is_service_linked,
            "RolePrincipalName": self.principal_name,
            "UpdateDate": self.update_date,
            "MaxSessionDuration": self.max_session_duration,
        }
        if detail:
            body["AssumeRolePolicyDocument"] = trust_policy(self.service_name)
        if self.latest_deletion_task:
            body["LatestDeletionTask"] = dict(self.latest_deletion_task)
        return body


@dataclass
class DeletionTask:
    task_id: str
    role_name: str
    create_date: str
    due: float
    status: str = IN_PROGRESS
    reason: dict[str, Any] | None = None

    def to_api(self) -> dict[str, Any]:
        body: dict[str, Any] = {"Status": self.status}
        if self.reason:
            body["Reason"] = self.reason
        return body


def trust_policy(service_name: str) -> str:
    return json.dumps(
        {
            "Statement": [
                {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": [service_name]}}
            ],
            "Version": "1",
        },
        separators=(",", ":"),
    )


@dataclass
class RoleStore:
    """The account's roles, deletion tasks, and the services that may own a role."""

    account_id: str = ""
    services: dict[str, str] = field(default_factory=dict)  # ServiceName -> role name
    roles: dict[str, Role] = field(default_factory=dict)  # by lower-cased role name
    tasks: dict[str, DeletionTask] = field(default_factory=dict)

    # -- roles ---------------------------------------------------------------------------------

    def create_role(self, service_name: str, now: float) -> Role:
        role_name = self.services.get(service_name)
        if role_name is None:
            raise errors.service_not_found(service_name)
        if role_name.lower() in self.roles:
            raise errors.role_exists(role_name)
        created = iso_now(now)
        role = Role(
            role_name=role_name,
            role_id=str(3 * 10**17 + secrets.randbelow(10**17)),
            arn=f"acs:ram::{self.account_id}:role/{role_name.lower()}",
            service_name=service_name,
            description=f"The service-linked role of {service_name}.",
            create_date=created,
            update_date=created,
            principal_name=f"{role_name}@role.{self.account_id}.onaliyunservice.com",
        )
        self.roles[role_name.lower()] = role
        return role

    def get_role(self, role_name: str) -> Role:
        role = self.roles.get(role_name.lower())
        if role is None:
            raise errors.role_not_found(role_name)
        return role

    def list_roles(self) -> list[Role]:
        return sorted(self.roles.values(), key=lambda r: r.create_date + r.role_name)

    # -- deletion ------------------------------------------------------------------------------

    def start_deletion(self, role_name: str, now: float, seconds: float) -> DeletionTask:
        """A new task, or the pending one: a second delete while one runs returns the same id."""
        role = self.get_role(role_name)
        if not role.is_service_linked:
            raise errors.not_service_linked(role_name)
        pending = role.latest_deletion_task and self.tasks.get(role.latest_deletion_task["DeletionTaskId"])
        if pending and pending.status == IN_PROGRESS:
            return pending
        task = DeletionTask(
            task_id=f"deletion-task/role/{role.role_name}/{uuid.uuid4()}",
            role_name=role.role_name,
            create_date=iso_now(now),
            due=now + seconds,
        )
        self.tasks[task.task_id] = task
        role.latest_deletion_task = {"DeletionTaskId": task.task_id, "CreateDate": task.create_date}
        return task

    def due_tasks(self, now: float) -> list[DeletionTask]:
        return [t for t in self.tasks.values() if t.status == IN_PROGRESS and t.due <= now]

    def finish(self, task: DeletionTask, usages: dict[str, list[str]]) -> None:
        """Resolve a due task with the role's usages by region.

        The role keeps naming the task as its ``LatestDeletionTask`` after it ended (the field
        names the latest task, not a pending one); a new deletion then starts a new task.
        """
        used = {region: ids for region, ids in usages.items() if ids}
        if not used:
            task.status = SUCCEEDED
            self.roles.pop(task.role_name.lower(), None)
            return
        task.status = FAILED
        task.reason = {
            "Message": STILL_USED,
            "RoleUsages": {
                "RoleUsage": [
                    {"Region": region, "Resources": {"Resource": sorted(ids)}}
                    for region, ids in sorted(used.items())
                ]
            },
        }

    def task(self, task_id: str) -> DeletionTask:
        found = self.tasks.get(task_id)
        if found is None:
            raise errors.task_not_found(task_id)
        return found

    # -- control API -----------------------------------------------------------------------------

    def admin_forget_deletion_task(self, deletion_task_id: str | None = None) -> dict[str, Any]:
        """Make a task vanish (the latest one by default); the role stays as it is."""
        task_id = deletion_task_id or (list(self.tasks)[-1] if self.tasks else "")
        if task_id not in self.tasks:
            raise errors.task_not_found(task_id)
        task = self.tasks.pop(task_id)
        role = self.roles.get(task.role_name.lower())
        if (
            role is not None
            and role.latest_deletion_task
            and role.latest_deletion_task["DeletionTaskId"] == task_id
        ):
            role.latest_deletion_task = None
        return {"forgotten": task_id}

    # -- persistence -----------------------------------------------------------------------------

    def dump(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "services": dict(self.services),
            "roles": {k: record_to_dict(v) for k, v in self.roles.items()},
            "tasks": {k: record_to_dict(v) for k, v in self.tasks.items()},
        }

    @classmethod
    def load(cls, data: dict[str, Any]) -> RoleStore:
        return cls(
            account_id=data.get("account_id", ""),
            services=dict(data.get("services", {})),
            roles={k: Role(**v) for k, v in data.get("roles", {}).items()},
            tasks={k: DeletionTask(**v) for k, v in data.get("tasks", {}).items()},
        )

    def settle_all(self, now: float) -> None:
        """Nothing settles without the handlers: resolving a task needs other products' stores."""


def seed(store: RoleStore, account: dict[str, Any], region: str | None) -> None:
    store.account_id = str(account["account_id"])
    section = account.get("service_linked_roles", {})
    store.services = dict(section.get("services", {}))
    by_role = {role: service for service, role in store.services.items()}
    for role_name in section.get("roles", []):
        service = by_role.get(role_name)
        if service is not None:
            store.create_role(service, 0.0)
