"""Deleting the EAS service-linked role, which breaks every resource group still using it.

1. The role name must be typed out as confirmation (as the console asks); anything else is a
   ``ValueError`` before any call.
2. Inventory of the groups still using the role: endpoints carrying the ownership tag (in the
   credentials' region and every region a record names), and records whose endpoints still exist.
3. Groups remain and teardown was not requested: stop and list them.  Otherwise tear them down,
   concurrently, each as a subflow of its own; if one does not finish, stop there.
4. ``DeleteServiceLinkedRole`` exactly once (never retried; a deletion already pending is followed
   instead), then ``GetServiceLinkedRoleDeletionStatus`` until it ends: SUCCEEDED; FAILED reported
   with the resources its ``RoleUsages`` name (and their groups, where eas-rg knows them), telling
   the user to tear those down first; a task that vanished (not found) is settled by whether the
   role still exists.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from prefect import flow, get_run_logger, runtime, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait
from prefect.task_runners import ThreadPoolTaskRunner

from alicloud.errors import DependencyViolationError, NotFoundError, TransientError
from alicloud.roles import EAS_ROLE_NAME, RoleDeletionStatus
from blocks.record import ResourceGroupRecord, list_records
from flows.context import AccountRun, load_credentials
from flows.group_lock import live_holders
from flows.onboarding_steps import POLL, Found
from flows.spec import OWNER_TAG, ResourceGroupSpec, SpecError, parse_spec
from flows.summary import Resource, Summary, publish_summary
from flows.teardown import teardown_resource_group
from tasks import privatelink as pl
from tasks import roles

#: Longest wait for the deletion task to end (the service takes seconds to minutes).
ROLE_DELETION_WAIT_S = 600.0


class RoleDeletionError(RuntimeError):
    """The role was not deleted; ``summary`` says why."""

    def __init__(self, message: str, summary: Summary | None = None):
        super().__init__(message)
        self.summary = summary

    def __reduce__(self) -> tuple[Any, ...]:  # Prefect persists flow exceptions
        return (type(self), (str(self), self.summary))


class RoleInUseError(RoleDeletionError):
    """Resource groups (or other resources) still use the role."""


@dataclass
class GroupInUse:
    name: str
    region: str
    endpoints: list[str] = field(default_factory=list)
    spec: ResourceGroupSpec | None = None

    def describe(self) -> str:
        return f"{self.name} ({self.region}: {', '.join(self.endpoints)})"


def check_confirmation(confirm_role_name: str) -> None:
    if confirm_role_name != EAS_ROLE_NAME:
        raise ValueError(
            f"confirm_role_name: {confirm_role_name!r} does not match; type the role name exactly, "
            f"{EAS_ROLE_NAME}, to confirm that it is deleted (as the console asks)"
        )


def _saved_spec(record: ResourceGroupRecord) -> ResourceGroupSpec | None:
    try:
        return parse_spec(record.spec) if record.spec else None
    except SpecError:
        return None


def inventory(run: AccountRun, specs: list[ResourceGroupSpec]) -> tuple[list[GroupInUse], dict[str, str]]:
    """Groups with endpoints still existing, and the group of every endpoint known to be one's."""
    records = list_records()
    regions = sorted({run.region, *(r.region for r in records)})
    listed = {region: run.read(pl.list_vpc_endpoints, region=region) or [] for region in regions}
    groups: dict[tuple[str, str], GroupInUse] = {}
    owners: dict[str, str] = {}
    for region, endpoints in listed.items():
        for endpoint in endpoints:
            owner = endpoint.tags.get(OWNER_TAG)
            if owner:
                group = groups.setdefault((owner, region), GroupInUse(owner, region))
                group.endpoints.append(endpoint.endpoint_id)
                owners[endpoint.endpoint_id] = owner
    for record in records:  # tags lost: the record still knows its endpoints
        live = {e.endpoint_id for e in listed.get(record.region, [])}
        ids = {str(e.get("id")) for k, e in record.resources.items() if k.startswith("endpoint-")} & live
        group = groups.setdefault((record.name, record.region), GroupInUse(record.name, record.region))
        for endpoint_id in sorted(ids - set(group.endpoints)):
            group.endpoints.append(endpoint_id)
            owners[endpoint_id] = record.name
    given = {(s.name, s.region): s for s in specs}
    saved = {(r.name, r.region): r for r in records}
    found = []
    for key, group in sorted(groups.items()):
        if group.endpoints:
            group.spec = given.get(key) or (_saved_spec(saved[key]) if key in saved else None)
            found.append(group)
    return found, owners


@task(name="teardown-group", task_run_name="teardown-{spec.name}", retries=0, cache_policy=NO_CACHE)
def teardown_group(spec: ResourceGroupSpec, credentials_block: str) -> Summary:
    """One group's teardown as a subflow (inside a task, so that several run at once)."""
    return teardown_resource_group(spec, credentials_block=credentials_block)


def _teardown_all(groups: list[GroupInUse], credentials_block: str) -> tuple[list[GroupInUse], list[str]]:
    """Tear every group down concurrently: the groups torn down, and the failures, named."""
    futures = {g.name: (g, teardown_group.submit(g.spec, credentials_block)) for g in groups if g.spec}
    wait([future for _, future in futures.values()])
    done, failures = [], []
    for name, (group, future) in futures.items():
        if future.state.is_completed():
            done.append(group)
            continue
        error = future.state.result(raise_on_failure=False)
        failures.append(f"{name}: {error if isinstance(error, BaseException) else future.state.message}")
    return done, failures


def _usages(status: RoleDeletionStatus, owners: dict[str, str]) -> str:
    def whose(resource: str) -> str:
        owner = owners.get(resource)
        return f"resource group {owner}" if owner else "no eas-rg ownership tag: made outside eas-rg"

    parts = [f"{r} in {u.region} ({whose(r)})" for u in status.usages for r in u.resources]
    return "; ".join(parts) or "resources the service did not name"


def _follow(run: AccountRun, task_id: str, owners: dict[str, str]) -> Found:
    """Follow the deletion task to its end; never sends the deletion again."""
    try:
        run.read(roles.wait_for_role_deletion, deletion_task_id=task_id, timeout_s=ROLE_DELETION_WAIT_S,
                 poll=POLL)
    except DependencyViolationError:
        status = run.read(roles.get_service_linked_role_deletion_status, deletion_task_id=task_id)
        raise RoleInUseError(
            f"DeleteServiceLinkedRole failed and was not retried: {EAS_ROLE_NAME} is still used by "
            f"{_usages(status, owners)}. Tear those resource groups down first (easrg teardown SPEC.yaml), "
            "then delete the role again"
        ) from None
    except NotFoundError:
        if run.read(roles.get_role, role_name=EAS_ROLE_NAME) is None:
            return Found("service-linked role", EAS_ROLE_NAME, task_id, "deleted",
                         "its deletion task was no longer listed; the role is gone")
        raise RoleDeletionError(
            f"the deletion task {task_id} vanished and {EAS_ROLE_NAME} still exists; nothing was retried: "
            "run delete-role again to request a new deletion"
        ) from None
    return Found("service-linked role", EAS_ROLE_NAME, task_id, "deleted")


def _may_still_succeed(run: AccountRun, task_id: str) -> bool:
    """Whether the role's latest deletion task is still under way (GetRole names the latest task,
    also one that has ended: a FAILED one must be followed by a new request, never waited on)."""
    try:
        status = run.read(roles.get_service_linked_role_deletion_status, deletion_task_id=task_id)
    except NotFoundError:
        return False
    if status.status in ("IN_PROGRESS", "NOT_STARTED"):
        return True
    get_run_logger().info("the latest deletion of %s (%s) ended %s", EAS_ROLE_NAME, task_id, status.status)
    return False


def _delete_role(run: AccountRun, owners: dict[str, str]) -> Found:
    role = run.read(roles.get_role, role_name=EAS_ROLE_NAME)
    if role is None:
        return Found("service-linked role", EAS_ROLE_NAME, "", "already absent")
    task_id = role.pending_deletion_task_id
    if task_id and not _may_still_succeed(run, task_id):
        task_id = ""  # that deletion ended without deleting the role: the groups are gone now, ask again
    if task_id:
        get_run_logger().info("a deletion of %s is pending (%s): following it", EAS_ROLE_NAME, task_id)
    else:
        try:
            task_id = run.mutate(
                roles.delete_service_linked_role,
                f"delete the service-linked role {EAS_ROLE_NAME}",
                role_name=EAS_ROLE_NAME,
            )
        except TransientError as error:  # no answer: the deletion may have started all the same
            return _settle_unanswered(run, owners, error, earlier=role.pending_deletion_task_id)
    return _follow(run, task_id, owners)


def _settle_unanswered(
    run: AccountRun, owners: dict[str, str], error: TransientError, earlier: str
) -> Found:
    """The deletion got no answer; the role says what came of it (it is never sent again).

    ``earlier`` is the latest deletion task the role named before the request (one that ended):
    only another task is the one this request started.
    """
    role = run.read(roles.get_role, role_name=EAS_ROLE_NAME)
    if role is None:
        return Found("service-linked role", EAS_ROLE_NAME, "", "deleted",
                     "the deletion's answer was lost; the role is gone")
    if role.pending_deletion_task_id and role.pending_deletion_task_id != earlier:
        get_run_logger().info("the deletion's answer was lost; following the deletion task %s it started",
                              role.pending_deletion_task_id)
        return _follow(run, role.pending_deletion_task_id, owners)
    raise RoleDeletionError(
        f"DeleteServiceLinkedRole got no answer ({error.code}) and {EAS_ROLE_NAME} still exists with no "
        "deletion pending; it was not sent again: run delete-role again (if the service did take it, its "
        "task failed, most likely because resources still use the role)"
    ) from None


def _resource(found: Found) -> Resource:
    return Resource(**asdict(found))


def _stop(summary: Summary, started: float, error: RoleDeletionError) -> RoleDeletionError:
    summary.wall_time_s = round(time.monotonic() - started, 2)
    summary.status = "refused" if isinstance(error, RoleInUseError) and not summary.changes else "failed"
    summary.failures.append(str(error))
    publish_summary(summary)
    error.summary = summary
    return error


def _groups_first(
    groups: list[GroupInUse], teardown: bool, block: str, summary: Summary, started: float
) -> None:
    """Stop while groups remain (unless asked to tear them down), then tear them down."""
    listed = "; ".join(g.describe() for g in groups)
    if not teardown:
        raise _stop(summary, started, RoleInUseError(
            f"{EAS_ROLE_NAME} is still used by {len(groups)} resource group(s): {listed}; deleting it "
            "would break them. Tear them down first (easrg teardown SPEC.yaml), or ask for it: "
            "teardown_groups=True (easrg delete-role --teardown-groups)"))
    unknown = [g for g in groups if g.spec is None]
    if unknown:
        raise _stop(summary, started, RoleInUseError(
            "no spec for resource group(s) {}: pass their specs (specs=[...], --spec SPEC.yaml) so they "
            "can be torn down; nothing was changed".format("; ".join(g.describe() for g in unknown))))
    done, failures = _teardown_all(groups, block)
    summary.resources += [_resource(Found("resource group", g.name, g.region, "torn down")) for g in done]
    if failures:
        raise _stop(summary, started, RoleDeletionError(
            "the role was not deleted, since not every teardown finished. {}".format(
                " ".join(f"Teardown of {f.rstrip('.')}." for f in failures))))
    summary.changes.append(f"tear down {len(groups)} resource group(s): {', '.join(g.name for g in groups)}")


@flow(
    name="delete-service-linked-role",
    task_runner=ThreadPoolTaskRunner(max_workers=8),  # type: ignore[arg-type]
    flow_run_name="delete-role",
    log_prints=False,
)
def delete_service_linked_role_flow(
    confirm_role_name: str,
    teardown_groups: bool = False,
    credentials_block: str = "",
    specs: list[ResourceGroupSpec] | None = None,
) -> Summary:
    """Delete AliyunServiceRoleForPaiEasManageCustomerClusters, after the groups that use it.

    Args:
        confirm_role_name: The role name typed out, as the console asks.
        teardown_groups: Tear down the resource groups still using the role first (otherwise stop).
        credentials_block: Name of an AlibabaCloudCredentials block of the account (not the role).
        specs: Specs of groups to tear down; a group's record holds its spec otherwise.
    """
    check_confirmation(confirm_role_name)
    started = time.monotonic()
    run = AccountRun(load_credentials(credentials_block), str(runtime.flow_run.id or "local"))
    summary = Summary(name=EAS_ROLE_NAME, region=run.region, action="role deletion", status="deleting")
    groups, owners = inventory(run, list(specs or []))
    if groups:
        _groups_first(groups, teardown_groups, credentials_block, summary, started)
    busy = live_holders()  # an onboarding that has not made its endpoint yet is in no inventory
    if busy:
        raise _stop(summary, started, RoleInUseError(
            f"{EAS_ROLE_NAME} was not deleted: resource group(s) are being changed now ({'; '.join(busy)}) "
            "and an onboarding uses the role. Wait for those runs to end, then delete the role again"))
    try:
        role = _delete_role(run, owners)
    except RoleDeletionError as error:
        summary.changes += run.changes
        raise _stop(summary, started, error) from None
    summary.resources.append(_resource(role))
    summary.changes += run.changes
    summary.status = role.state
    summary.wall_time_s = round(time.monotonic() - started, 2)
    publish_summary(summary)
    return summary
