"""The EAS service-linked role ``AliyunServiceRoleForPaiEasManageCustomerClusters``.

Through ResourceManager (2020-03-31).

Creating the role is synchronous; deleting it is a task to poll
(:func:`wait_for_role_deletion`), which fails while EAS resources still use the role.  The
service name is a setting (``EASRG_ROLE_SERVICE_NAME``, docs/design.md).  None of these calls is
in the role's own policy: the account (or an administrator) runs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from alibabacloud_resourcemanager20200331 import models as m

from alicloud import parse
from alicloud.clients import Clients
from alicloud.errors import AlibabaCloudError, DependencyViolationError
from alicloud.invoke import Operation, call_sdk
from alicloud.waiting import DEFAULT_POLL, Poll, wait_for

PRODUCT = "roles"
EAS_ROLE_NAME = "AliyunServiceRoleForPaiEasManageCustomerClusters"
_FINAL = ("SUCCEEDED", "FAILED", "INTERNAL_ERROR")


@dataclass(frozen=True)
class Role:
    role_name: str
    role_id: str
    arn: str
    is_service_linked_role: bool
    create_date: str
    pending_deletion_task_id: str  # set when a deletion was requested


@dataclass(frozen=True)
class RoleUsage:
    region: str
    resources: tuple[str, ...]


@dataclass(frozen=True)
class RoleDeletionStatus:
    status: str  # SUCCEEDED | IN_PROGRESS | FAILED | NOT_STARTED | INTERNAL_ERROR
    message: str
    usages: tuple[RoleUsage, ...]


def create_service_linked_role(clients: Clients, *, service_name: str | None = None) -> Role:
    """Create the role for ``service_name`` (default: the setting).

    RAM action: ``ram:CreateServiceLinkedRole``.  Already there: ``EntityAlreadyExists.Role``
    (:class:`~alicloud.errors.ConflictError`).
    """
    request = m.CreateServiceLinkedRoleRequest(
        service_name=service_name or clients.settings.role_service_name
    )
    return _role(_call(clients, "CreateServiceLinkedRole", request).get("Role") or {})


def delete_service_linked_role(clients: Clients, *, role_name: str = EAS_ROLE_NAME) -> str:
    """Ask for the role's deletion; returns the deletion task id to poll.

    RAM action: ``ram:DeleteServiceLinkedRole``.  Sent at most once: only a throttle answer is
    retried.  A transport failure (:class:`~alicloud.errors.TransientError`, ``Transport.*``) may
    come after the service started the deletion: the caller reads the role to find out.
    """
    request = m.DeleteServiceLinkedRoleRequest(role_name=role_name)
    body = _call(clients, "DeleteServiceLinkedRole", request, repeatable=False)
    return parse.text(body, "DeletionTaskId")


def get_service_linked_role_deletion_status(clients: Clients, *, deletion_task_id: str) -> RoleDeletionStatus:
    """Where a deletion task is, and which resources block it.

    RAM action: ``ram:GetServiceLinkedRoleDeletionStatus``.
    """
    request = m.GetServiceLinkedRoleDeletionStatusRequest(deletion_task_id=deletion_task_id)
    body = _call(clients, "GetServiceLinkedRoleDeletionStatus", request)
    reason = body.get("Reason") or {}
    usages = tuple(
        RoleUsage(parse.text(u, "Region"), parse.texts(u.get("Resources") or {}, "Resource"))
        for u in parse.items(reason, "RoleUsages", "RoleUsage")
    )
    return RoleDeletionStatus(parse.text(body, "Status"), parse.text(reason, "Message"), usages)


def get_role(clients: Clients, *, role_name: str = EAS_ROLE_NAME) -> Role:
    """The role; ``EntityNotExist.Role`` (:class:`~alicloud.errors.NotFoundError`) when absent.

    RAM action: ``ram:GetRole``.
    """
    return _role(_call(clients, "GetRole", m.GetRoleRequest(role_name=role_name)).get("Role") or {})


def wait_for_role_deletion(
    clients: Clients, *, deletion_task_id: str, timeout_s: float = 300.0, poll: Poll = DEFAULT_POLL
) -> RoleDeletionStatus:
    """Poll the deletion task until it ends; SUCCEEDED returns it.

    FAILED raises :class:`~alicloud.errors.DependencyViolationError` listing the resources that
    still use the role; INTERNAL_ERROR raises :class:`~alicloud.errors.AlibabaCloudError`.
    """
    status = wait_for(
        lambda: get_service_linked_role_deletion_status(clients, deletion_task_id=deletion_task_id),
        done=lambda s: s.status in _FINAL,
        state_of=lambda s: s.status,
        resource=deletion_task_id,
        target="SUCCEEDED",
        timeout_s=timeout_s,
        poll=poll,
    )
    if status.status == "FAILED":
        users = (
            "; ".join(f"{u.region}: {', '.join(u.resources)}" for u in status.usages) or "unknown resources"
        )
        raise DependencyViolationError(
            f"the role is still used by {users} ({status.message})",
            code="RoleInUse",
            product=PRODUCT,
            action="DeleteServiceLinkedRole",
        )
    if status.status == "INTERNAL_ERROR":
        raise AlibabaCloudError(
            f"role deletion failed inside the service: {status.message}",
            code="DeletionInternalError",
            product=PRODUCT,
            action="DeleteServiceLinkedRole",
        )
    return status


def _call(clients: Clients, action: str, request: Any, *, repeatable: bool = True) -> dict[str, Any]:
    op = Operation(PRODUCT, action, f"ram:{action}")
    return call_sdk(clients, op, clients.resourcemanager, request, repeatable=repeatable)


def _role(body: Mapping[str, Any]) -> Role:
    task = body.get("LatestDeletionTask") or {}
    return Role(
        role_name=parse.text(body, "RoleName"),
        role_id=parse.text(body, "RoleId"),
        arn=parse.text(body, "Arn"),
        is_service_linked_role=parse.flag(body, "IsServiceLinkedRole"),
        create_date=parse.text(body, "CreateDate"),
        pending_deletion_task_id=parse.text(task, "DeletionTaskId"),
    )
