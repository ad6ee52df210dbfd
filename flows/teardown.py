"""Teardown: remove what onboarding built for one resource group, in reverse dependency order.

DAG (each box a task; the branches are in :mod:`flows.teardown_steps`)::

    find the group's endpoints (ownership tag + record)
      -> logs: Logtail config -> machine group [-> index -> logstore -> project, with delete_log_data]
      -> private zone: unbind our VPC (others kept) -> delete the zone if nothing else is bound
      -> endpoint per endpoint (concurrent): remove zones, gone -> delete endpoint, gone
           -> (only once every endpoint is gone) security group, deleted when its interfaces left
      -> (only when everything else is done) kubeconfig Secret block -> record

Every wait has ``step_deadline_s``.  A resource stuck in a transitional state, or held by
something eas-rg does not own, ends the run as **blocked** with ``blocked: <id> in <state> since
<time>`` (or the holder named) and nothing that depends on it deleted; the record keeps the
progress, and a later run continues from there.  Log data is retained unless ``delete_log_data``.
"""

from __future__ import annotations

import time
from typing import Any

from prefect import flow, get_run_logger, runtime
from prefect.futures import PrefectFuture, wait
from prefect.task_runners import ThreadPoolTaskRunner

from alicloud.errors import ForeignHolderError, WaitTimeoutError
from blocks.credentials import AlibabaCloudCredentials
from blocks.record import ResourceGroupRecord, delete_record, load_record, set_resources, set_status
from flows.context import Run, load_credentials
from flows.group_lock import group_lock
from flows.onboarding_steps import Found
from flows.spec import ResourceGroupSpec
from flows.summary import Summary, publish_summary
from flows.teardown_steps import (
    EndpointGone,
    endpoint_interfaces,
    find_endpoints,
    recorded_interfaces,
    remove_cluster_access,
    remove_endpoint,
    remove_logs,
    remove_private_zone,
    remove_security_group,
)


class TeardownError(RuntimeError):
    """Teardown did not finish; ``summary`` says what was removed, kept and what failed."""

    def __init__(self, message: str, summary: Summary | None = None):
        super().__init__(message)
        self.summary = summary

    def __reduce__(self) -> tuple[Any, ...]:  # Prefect persists flow exceptions
        return (type(self), (str(self), self.summary))


class TeardownBlockedError(TeardownError):
    """A resource is stuck in a transitional state, or held by something eas-rg does not own."""


def _settle(futures: dict[str, PrefectFuture[Any]]) -> tuple[dict[str, Any], list[str], list[str]]:
    """Resolve every future: results, failures, and which failures are blocks (stuck or foreign)."""
    wait(list(futures.values()))
    results: dict[str, Any] = {}
    failures: list[str] = []
    blocked: list[str] = []
    for name, future in futures.items():
        state = future.state
        if state.is_completed():
            results[name] = future.result()
            continue
        error = state.result(raise_on_failure=False)
        if isinstance(error, (WaitTimeoutError, ForeignHolderError)):
            blocked.append(error.message)
        failures.append(f"{name}: {error if isinstance(error, BaseException) else state.message}")
    return results, failures, blocked


def _found(results: dict[str, Any]) -> list[Found]:
    found: list[Found] = []
    for value in results.values():
        for item in value if isinstance(value, list) else [value]:
            found.append(item.found if isinstance(item, EndpointGone) else item)
    return found


def _teardown(
    run: Run, record: ResourceGroupRecord | None, delete_log_data: bool, deadline_s: float
) -> tuple[list[Found], list[str], list[str]]:
    targets = find_endpoints(run)
    entries = endpoint_interfaces(run, targets)
    if entries or (record is not None and record.status != "torn-down"):  # one save, before any delete
        set_status(run.spec, "tearing-down", resources=entries)
    for key, entry in entries.items():
        run.remember(key, **entry)
    others: dict[str, PrefectFuture[Any]] = {
        "logs": remove_logs.submit(run, delete_log_data),
        "private zone": remove_private_zone.submit(run),
    }
    endpoints = {f"endpoint {t.endpoint_id}": remove_endpoint.submit(run, t, deadline_s) for t in targets}
    results, failures, blocked = _settle(endpoints)
    if failures:
        run.keep("security group: kept while an endpoint that may still use it is not gone")
    else:
        interfaces = recorded_interfaces(run).union(*(r.interfaces for r in results.values()))
        others["security group"] = remove_security_group.submit(run, sorted(interfaces), deadline_s)
    more, more_failures, more_blocked = _settle(others)
    results.update(more)
    failures += more_failures
    blocked += more_blocked
    found = _found(results)
    if failures:
        run.keep("kubeconfig Secret block: kept until the rest of the group is gone")
    else:
        found.append(remove_cluster_access(run))
    return found, failures, blocked


def _credentials(spec: ResourceGroupSpec, block: str) -> AlibabaCloudCredentials:
    """The block's credentials, acting in the group's region (where onboarding built it)."""
    credentials = load_credentials(block)
    if credentials.settings().region != spec.region:
        return credentials.model_copy(update={"region_id": spec.region})
    return credentials


def _save_record(run: Run, record: ResourceGroupRecord | None, status: str) -> None:
    """Drop what is gone, keep the rest (retained logs, a shared zone, progress); nothing left: delete."""
    left: dict[str, dict[str, Any]] = {}
    for key in {*run.recorded, *run.memo}:
        entry = {**run.recorded.get(key, {}), **run.memo.get(key, {})}
        if not entry.pop("gone", False):
            left[key] = entry
    recorded_status = {"blocked": "blocked", "failed": "tearing-down"}.get(status, "torn-down")
    if not left and recorded_status == "torn-down":
        if record is not None:
            delete_record(run.spec.name, run.spec.region)
    elif record is None or (record.status, record.resources) != (recorded_status, left):
        set_resources(run.spec, recorded_status, left)


@flow(
    name="teardown-resource-group",
    task_runner=ThreadPoolTaskRunner(max_workers=16),  # type: ignore[arg-type]
    flow_run_name="teardown-{spec.name}",
    log_prints=False,
)
def teardown_resource_group(
    spec: ResourceGroupSpec,
    credentials_block: str = "",
    delete_log_data: bool = False,
    step_deadline_s: float = 600.0,
) -> Summary:
    """Tear down a PAI-EAS self-managed resource group (log data is kept unless asked otherwise).

    Args:
        spec: The resource group, as onboarded.
        credentials_block: Name of an AlibabaCloudCredentials block; empty for the standard chain.
        delete_log_data: Also delete the log project, its logstore and index (their log data is lost).
        step_deadline_s: Longest wait for one asynchronous step (an endpoint or zone to go, a
            security group to be released); past it the run ends as blocked and can be re-run.
    """
    if step_deadline_s <= 0:
        raise ValueError(f"step_deadline_s must be a positive number of seconds, not {step_deadline_s}")
    started = time.monotonic()
    with group_lock(spec, "teardown"):  # see flows.group_lock: one changing run per group
        return _run_teardown(spec, credentials_block, delete_log_data, step_deadline_s, started)


def _run_teardown(
    spec: ResourceGroupSpec,
    credentials_block: str,
    delete_log_data: bool,
    step_deadline_s: float,
    started: float,
) -> Summary:
    record = load_record(spec.name, spec.region)
    run = Run(
        spec,
        _credentials(spec, credentials_block),
        str(runtime.flow_run.id or "local"),
        recorded=record.resources if record else {},
    )
    found, failures, blocked = _teardown(run, record, delete_log_data, step_deadline_s)
    status = (
        "blocked"
        if blocked
        else "failed"
        if failures
        else ("torn down" if run.changes else "already torn down")
    )
    summary = Summary(
        name=spec.name,
        region=spec.region,
        action="teardown",
        status=status,
        resources=found,
        changes=run.changes,
        kept=run.kept,
        failures=failures,
        wall_time_s=round(time.monotonic() - started, 2),
    )
    publish_summary(summary)
    _save_record(run, record, status)
    if blocked:
        raise TeardownBlockedError(
            "; ".join(blocked) + "; re-run the teardown once that has moved on (what is done stays done)",
            summary,
        )
    if failures:
        raise TeardownError(f"teardown of {spec.name} failed in: {'; '.join(failures)}", summary)
    get_run_logger().info(
        "%s: %s (%d changes, %d kept) in %.1f s",
        spec.name,
        status,
        len(run.changes),
        len(run.kept),
        summary.wall_time_s,
    )
    return summary
