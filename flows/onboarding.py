"""Onboarding: build everything EAS needs for one self-managed resource group.

DAG (each box a task; nested boxes are the per-action tasks a branch runs in order)::

    preflight (concurrent reads: VPC, vSwitches, cluster, PrivateLink activation,
               endpoint services, endpoints already in the VPC, log project, service-linked role;
               then a DryRun CreateVpcEndpoint when an endpoint is missing)
      -> the private zone's ClientToken saved in the resource-group record
      -> activate PrivateLink / create the role, if missing
      -> security group --------------> endpoint per service (concurrent) --+
      -> private zone (bind our VPC) ---------------------------------------+--> zone records
      -> log project -> logstore -> index -> machine group -> Logtail config -> apply
      -> cluster detail -> kubeconfig Secret block

A failed preflight changes nothing.  Every branch reads before it writes, so re-running an
onboarded group sends no mutating call and reports "in sync"; ``dry_run`` (``easrg plan``) reports
what would be created or changed without changing anything.
"""

from __future__ import annotations

import time
from contextlib import nullcontext
from typing import Any

from prefect import flow, get_run_logger, runtime
from prefect.futures import PrefectFuture, wait
from prefect.task_runners import ThreadPoolTaskRunner

from blocks.record import load_record, set_status
from flows.context import Run, load_credentials
from flows.group_lock import group_lock
from flows.onboarding_steps import (
    EndpointResult,
    Found,
    ensure_cluster_access,
    ensure_endpoint,
    ensure_logs,
    ensure_private_zone,
    ensure_security_group,
    ensure_zone_records,
    record_zone_intent,
)
from flows.preflight import preflight
from flows.spec import ResourceGroupSpec
from flows.summary import Summary, publish_summary
from tasks import privatelink, roles


class OnboardingError(RuntimeError):
    """One or more branches failed; the message names each and what was built before."""


def _activate(run: Run, checks: Any) -> None:
    if not checks.privatelink_open:
        run.mutate(privatelink.open_private_link_service, "activate PrivateLink for the account")
    if checks.role_exists is False:
        run.mutate(
            roles.create_service_linked_role,
            "create the service-linked role",
            service_name=run.credentials.settings().role_service_name,
        )


def _results(futures: dict[str, PrefectFuture[Any]]) -> tuple[dict[str, Any], list[str]]:
    """Resolve every future (a failure left unread would leave the flow Completed)."""
    wait(list(futures.values()))
    results: dict[str, Any] = {}
    failures: list[str] = []
    for name, future in futures.items():
        state = future.state
        if state.is_completed():
            results[name] = future.result()
        else:
            failures.append(f"{name}: {state.message or state.name}")
    return results, failures


def _found(results: dict[str, Any]) -> list[Found]:
    found: list[Found] = []
    for value in results.values():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, EndpointResult):
                found += [item.found, *item.zones]
            elif isinstance(item, Found):
                found.append(item)
    return found


@flow(
    name="onboard-resource-group",
    task_runner=ThreadPoolTaskRunner(max_workers=16),  # type: ignore[arg-type]
    flow_run_name="onboard-{spec.name}",
    log_prints=False,
)
def onboard_resource_group(
    spec: ResourceGroupSpec, credentials_block: str = "", dry_run: bool = False
) -> Summary:
    """Onboard (or, with ``dry_run``, plan) a PAI-EAS self-managed resource group.

    Args:
        spec: The resource group: network, cluster, endpoint services, private zone, logs, tags.
        credentials_block: Name of an AlibabaCloudCredentials block; empty for the standard chain.
        dry_run: Only report what would be created or changed.

    A run that changes the group holds its lock (:mod:`flows.group_lock`): while another live
    run changes the same group, this one fails at once and changes nothing.  A plan reads only.
    """
    started = time.monotonic()
    with nullcontext() if dry_run else group_lock(spec, "onboarding"):
        return _onboard(spec, credentials_block, dry_run, started)


def _onboard(spec: ResourceGroupSpec, credentials_block: str, dry_run: bool, started: float) -> Summary:
    logger = get_run_logger()
    record = load_record(spec.name, spec.region)
    run = Run(
        spec,
        load_credentials(credentials_block),
        str(runtime.flow_run.id or "local"),
        dry_run,
        recorded=record.resources if record else {},
    )
    checks = preflight(run)
    record_zone_intent(run)
    _activate(run, checks)
    group = ensure_security_group.submit(run, checks.vpc_cidr)
    endpoints = [ensure_endpoint.submit(run, s, group, checks.placements) for s in spec.endpoint_services]
    zone = ensure_private_zone.submit(run)
    futures: dict[str, PrefectFuture[Any]] = {
        "security group": group,
        **{f"endpoint {s.key}": f for s, f in zip(spec.endpoint_services, endpoints, strict=True)},
        "private zone": zone,
        "zone records": ensure_zone_records.submit(run, zone, endpoints),
        "logs": ensure_logs.submit(run),
        "cluster access": ensure_cluster_access.submit(run),
    }
    results, failures = _results(futures)
    run.wait_for_saves()
    status = "planned" if dry_run else ("failed" if failures else ("onboarded" if run.changes else "in sync"))
    summary = Summary(
        name=spec.name,
        region=spec.region,
        action="onboarding",
        status=status,
        resources=_found(results),
        changes=run.changes,
        planned=run.planned,
        failures=failures,
        wall_time_s=round(time.monotonic() - started, 2),
    )
    publish_summary(summary)
    if not dry_run:
        final = "blocked" if failures else "onboarded"
        set_status(spec, final, applied=spec.model_dump(mode="json"), resources=run.memo)
    if failures:
        raise OnboardingError("onboarding of {} failed in: {}".format(spec.name, "; ".join(failures)))
    counted = f"{len(run.planned)} planned" if dry_run else f"{len(run.changes)} changes"
    logger.info("%s: %s (%s) in %.1f s", spec.name, status, counted, summary.wall_time_s)
    return summary
