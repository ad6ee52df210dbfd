"""Health check: is a resource group still what onboarding built?  Reads only, never a mutation.

DAG (each box a task that only reads)::

    security group -> endpoint per service (concurrent) --+--> private zone (binding, records)
    logs (project, logstore, index, machine group, config, applied)
    cluster (running)
    kubeconfig Secret block (and its expiry, when recorded)

The flow returns a :class:`~flows.summary.Summary` with status ``healthy`` and publishes it as a
markdown artifact.  When something drifted, or could not be read, the summary's status is
``drifted`` or ``unreadable``, each finding names the resource and what to do, and the run ends
**Failed** (by raising :class:`HealthCheckError`, which carries the summary) so that a Prefect
automation on failed runs of this deployment can alert.  While an onboarding or teardown holds
the group's lock, differences are reported with status ``changing`` and the run completes.
"""

from __future__ import annotations

import time
from typing import Any

from prefect import flow, get_run_logger, runtime
from prefect.artifacts import create_markdown_artifact
from prefect.futures import PrefectFuture, wait
from prefect.task_runners import ThreadPoolTaskRunner

from blocks.record import load_record
from flows.context import Run, load_credentials
from flows.group_lock import live_holder
from flows.health_steps import (
    Check,
    Finding,
    check_cluster,
    check_endpoint,
    check_kubeconfig,
    check_logs,
    check_private_zone,
    check_security_group,
)
from flows.spec import ResourceGroupSpec
from flows.summary import Summary, markdown


class HealthCheckError(RuntimeError):
    """The group drifted or could not be checked; ``summary`` holds every finding."""

    def __init__(self, summary: Summary):
        self.summary = summary
        lines = "\n".join(f"  - {item}" for item in summary.failures)
        super().__init__(f"{summary.name} ({summary.region}) is {summary.status}:\n{lines}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.summary,))


def _checks(futures: dict[str, PrefectFuture[Any]]) -> list[Check]:
    """Resolve every future; a branch that failed outright counts as unreadable."""
    wait(list(futures.values()))
    checks = []
    for name, future in futures.items():
        state = future.state
        if state.is_completed():
            checks.append(future.result())
        else:
            checks.append(Check(unreadable=[f"{name}: the check failed ({state.message or state.name})"]))
    return checks


def status_of(findings: list[Finding], unreadable: list[str]) -> str:
    """Drift seen anywhere wins: it is certain, while an unreadable part is only unknown."""
    if findings:
        return "drifted"
    return "unreadable" if unreadable else "healthy"


def health_markdown(summary: Summary, findings: list[Finding], unreadable: list[str]) -> str:
    """The summary's table, then a findings table with what to do for each."""
    lines = [markdown(summary.model_copy(update={"failures": []}))]
    if findings:
        lines += ["", "## Findings", "", "| resource | id | problem | what to do |", "|---|---|---|---|"]
        lines += [f"| {f.kind} {f.name} | `{f.id or '-'}` | {f.problem} | {f.fix} |" for f in findings]
    if unreadable:
        lines += ["", "## Could not be read", ""]
        lines += [
            f"- {item}: check the credentials block, the endpoint and the network" for item in unreadable
        ]
    return "\n".join(lines)


@flow(
    name="check-resource-group-health",
    task_runner=ThreadPoolTaskRunner(max_workers=8),  # type: ignore[arg-type]
    flow_run_name="health-{spec.name}",
    log_prints=False,
)
def check_resource_group_health(spec: ResourceGroupSpec, credentials_block: str = "") -> Summary:
    """Check (reads only) that a resource group is still what onboarding built.

    Args:
        spec: The resource group, as onboarded.
        credentials_block: Name of an AlibabaCloudCredentials block; empty for the standard chain.

    Returns the summary when healthy, or "changing" while an onboarding or teardown of the group
    is running (what differs is then reported, not alarmed on); otherwise raises HealthCheckError
    (the run ends Failed).
    """
    started = time.monotonic()
    logger = get_run_logger()
    record = load_record(spec.name, spec.region)
    # dry_run: a mutation reached by mistake would only be planned, never sent
    run = Run(
        spec,
        load_credentials(credentials_block),
        str(runtime.flow_run.id or "local"),
        dry_run=True,
        recorded=record.resources if record else {},
    )
    changing_before = live_holder(spec)  # also asked after: a run may end while the checks read
    group = check_security_group.submit(run)
    endpoints = [check_endpoint.submit(run, s, group) for s in spec.endpoint_services]
    futures: dict[str, PrefectFuture[Any]] = {
        "security group": group,
        **{f"endpoint {s.key}": f for s, f in zip(spec.endpoint_services, endpoints, strict=True)},
        "private zone": check_private_zone.submit(run, endpoints),
        "logs": check_logs.submit(run),
        "cluster": check_cluster.submit(run),
        "kubeconfig": check_kubeconfig.submit(run),
    }
    checks = _checks(futures)
    findings = [f for c in checks for f in c.findings]
    unreadable = [u for c in checks for u in c.unreadable]
    status = status_of(findings, unreadable)
    failures = [f.sentence() for f in findings] + [f"could not read {u}" for u in unreadable]
    changing = (live_holder(spec) or changing_before) if status != "healthy" else ""
    if changing:  # a run that is building or removing the group: what differs is expected to
        status = "changing"
        failures.append(f"{changing} is changing the group: what differs may be its work in progress")
    summary = Summary(
        name=spec.name,
        region=spec.region,
        action="health check",
        status=status,
        resources=[r for c in checks for r in c.resources],
        failures=failures,
        wall_time_s=round(time.monotonic() - started, 2),
    )
    create_markdown_artifact(
        key=f"health-check-{spec.region}-{spec.name}",
        markdown=health_markdown(summary, findings, unreadable),
        description=f"health check {summary.status}",
    )
    for item in summary.failures:
        logger.warning("%s", item)
    logger.info("%s: %s in %.1f s", spec.name, summary.status, summary.wall_time_s)
    if summary.status not in ("healthy", "changing"):
        raise HealthCheckError(summary)
    return summary
