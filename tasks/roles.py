"""Service-linked role tasks (ResourceManager)."""

from __future__ import annotations

from alicloud import roles
from alicloud.errors import ConflictError, NotFoundError
from tasks.common import cloud_task

P = "roles"
READ = "a read; safe to repeat."

create_service_linked_role = cloud_task(
    roles.create_service_linked_role,
    product=P,
    run_name="create-role-{service_name}",
    rule="'already exists' (EntityAlreadyExists.Role) counts as done.",
    done_on=(ConflictError,),
)
delete_service_linked_role = cloud_task(
    roles.delete_service_linked_role,
    product=P,
    run_name="delete-role-{role_name}",
    retries=0,
    rule="never retried: the role is deleted once, then its deletion task is followed; a repeated request "
    "while one is pending returns the same task.",
)
get_service_linked_role_deletion_status = cloud_task(
    roles.get_service_linked_role_deletion_status,
    product=P,
    run_name="role-deletion-{deletion_task_id}",
    rule=READ,
)
get_role = cloud_task(
    roles.get_role,
    product=P,
    run_name="get-role-{role_name}",
    rule="a read; a missing role gives None.",
    done_on=(NotFoundError,),
)
wait_for_role_deletion = cloud_task(
    roles.wait_for_role_deletion,
    product=P,
    run_name="wait-role-deletion-{deletion_task_id}",
    retries=0,
    rule=READ,
)
