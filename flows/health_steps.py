"""The checks of the health check: Prefect tasks that only read, each returning a :class:`Check`.

Resources are found the way onboarding finds them (:func:`find_security_group`,
:func:`find_endpoint`, the resource-group record, :func:`desired_records`), so "healthy" means
exactly "a re-run of onboarding would change nothing", and every finding's fix can say so.

A read that fails (after the tasks' own retries) is never taken for drift: it is reported as
unreadable, and the group as unreadable when nothing drifted.  A read the credentials' policy
forbids (the EAS role has no PrivateZone or ``GetAppliedConfigs`` action) is reported as not
checked, which is neither.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from prefect.client.orchestration import get_client
from prefect.exceptions import ObjectNotFound

from alicloud.errors import AlibabaCloudError, NotFoundError, PolicyDeniedError
from flows.context import Run
from flows.onboarding_steps import (
    EndpointResult,
    Found,
    desired_records,
    find_endpoint,
    find_security_group,
    rules_for,
    rules_lacking,
    step,
)
from flows.spec import OWNER_TAG, EndpointServiceSpec
from tasks import ack, ecs, privatezone, sls, vpc
from tasks import privatelink as pl

T = TypeVar("T")

REONBOARD = "re-run onboarding for this group: it re-creates or re-attaches only what is missing"
ZONE_STATES = ("Wait", "Connected")
#: a kubeconfig expiring sooner than this is reported, so there is time to renew it
KUBECONFIG_NOTICE = dt.timedelta(days=7)


@dataclass(frozen=True)
class Finding:
    """One drifted resource: what it is, what is wrong, what to do."""

    kind: str
    name: str
    id: str
    problem: str
    fix: str

    def sentence(self) -> str:
        ident = f" ({self.id})" if self.id and self.id != self.name else ""
        return f"{self.kind} {self.name}{ident}: {self.problem}. Fix: {self.fix}"


@dataclass
class Check:
    """What one branch saw.  ``facts`` carries what later branches need (ids, domains)."""

    resources: list[Found] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)

    def found(self, kind: str, id: str, name: str, state: str, detail: str = "") -> None:
        self.resources.append(Found(kind, id, name, state, detail))

    def drift(self, kind: str, name: str, id: str, problem: str, fix: str = REONBOARD) -> None:
        self.findings.append(Finding(kind, name, id, problem, fix))
        self.found(kind, id or "-", name, "drifted", problem)

    def not_checked(self, kind: str, id: str, name: str, why: str) -> None:
        self.found(kind, id or "-", name, "not checked", why)


def attempt(
    check: Check, kind: str, name: str, read: Callable[..., T], *args: Any, **kw: Any
) -> tuple[bool, T | None]:
    """``(True, value)`` for a read that answered (None when the resource is not found);
    ``(False, None)`` when it could not be done, noted in ``check``."""
    try:
        return True, read(*args, **kw)
    except NotFoundError:
        return True, None
    except PolicyDeniedError as error:
        check.not_checked(kind, "", name, f"these credentials may not read it ({error.action})")
    except AlibabaCloudError as error:
        check.unreadable.append(f"{kind} {name}: {error}")
        check.found(kind, "-", name, "unreadable", str(error))
    return False, None


# ---- security group and endpoints -------------------------------------------------------------------


@step("check-security-group", "check-security-group-{run.spec.name}")
def check_security_group(run: Run) -> Check:
    """The group exists in the VPC under its name with our ownership tag."""
    check, name = Check(), run.spec.security_group_name
    ok, group_id = attempt(check, "security group", name, find_security_group, run)
    if not ok:
        return check
    if group_id is None:
        check.drift(
            "security group", name, "", f"no group with tag {OWNER_TAG}={run.spec.name} in {run.spec.vpc_id}"
        )
        return check
    check.facts["id"] = group_id
    missing = _missing_rules(run, check, group_id)
    if missing:
        problem = f"lacks {len(missing)} of its rules: {'; '.join(missing)}"
        check.drift("security group", name, group_id, problem)
        return check
    check.found("security group", group_id, name, "Available", f"tagged {OWNER_TAG}={run.spec.name}")
    return check


def _missing_rules(run: Run, check: Check, group_id: str) -> list[str]:
    """The spec's rules (or the default ones, from the VPC's CIDR) that the group lacks; none
    checked as the EAS role, which may not read a group's rules."""
    if run.as_role:
        return []
    vpc_id = run.spec.vpc_id
    ok, vpc_info = attempt(check, "VPC", vpc_id, run.read, vpc.describe_vpc_attribute, vpc_id=vpc_id)
    if not ok or vpc_info is None:
        return []
    ok, existing = attempt(
        check, "security group", group_id, run.read, ecs.describe_security_group_attribute,
        security_group_id=group_id,
    )
    if not ok:
        return []
    lacking = rules_lacking(rules_for(run, vpc_info.cidr_block), existing or [])
    return [f"{d} {r.ip_protocol} {r.port_range} {r.cidr}" for d, rules in lacking.items() for r in rules]


def _connection_fix(status: str) -> str:
    if status in ("Connecting", "Disconnected"):
        return (
            "the endpoint service has not accepted the connection: ask its owner to accept it "
            "(manual-accept services), or re-run onboarding if it was rejected"
        )
    return "check the endpoint in the PrivateLink console; re-run onboarding once it is Active again"


@step("check-endpoint", "check-endpoint-{service.key}")
def check_endpoint(run: Run, service: EndpointServiceSpec, group: Check) -> Check:
    """Active and Connected, our group attached, a zone per vSwitch in Wait or Connected."""
    check, name = Check(), run.spec.endpoint_name(service.key)
    ok, endpoint = attempt(check, "endpoint", name, find_endpoint, run, name)
    if not ok:
        return check
    if endpoint is None:
        check.drift("endpoint", name, "", f"no endpoint to {service.service_name} with our tag in the VPC")
        return check
    ep = endpoint.endpoint_id
    check.facts.update(key=service.key, domain=endpoint.endpoint_domain)
    if endpoint.endpoint_status != "Active":
        fix = (
            "something is deleting it: find out what, then re-run onboarding once it is gone"
            if endpoint.endpoint_status == "Deleting"
            else "wait for the change in progress; if it stays so, check it in the PrivateLink console"
        )
        check.drift("endpoint", name, ep, f"is {endpoint.endpoint_status}, not Active", fix)
    if endpoint.connection_status != "Connected":
        check.drift(
            "endpoint",
            name,
            ep,
            f"connection is {endpoint.connection_status}, not Connected",
            _connection_fix(endpoint.connection_status),
        )
    _check_endpoint_groups(run, check, name, ep, group.facts.get("id"))
    _check_endpoint_zones(run, check, name, ep)
    if not any(f.kind == "endpoint" for f in check.findings):  # listed before its zones
        check.resources.insert(
            0, Found("endpoint", ep, name, "Active", f"{service.service_name}, {endpoint.connection_status}")
        )
    return check


def _check_endpoint_groups(run: Run, check: Check, name: str, endpoint_id: str, group_id: str | None) -> None:
    if group_id is None:
        return  # the group itself is missing or unreadable: reported by its own check
    ok, groups = attempt(
        check,
        "endpoint security groups",
        name,
        run.read,
        pl.list_vpc_endpoint_security_groups,
        endpoint_id=endpoint_id,
    )
    if ok and group_id not in {g.security_group_id for g in groups or []}:
        check.drift("endpoint", name, endpoint_id, f"security group {group_id} is not attached")


def _check_endpoint_zones(run: Run, check: Check, name: str, endpoint_id: str) -> None:
    ok, zones = attempt(
        check, "endpoint zones", name, run.read, pl.list_vpc_endpoint_zones, endpoint_id=endpoint_id
    )
    if not ok:
        return
    by_vswitch = {z.vswitch_id: z for z in zones or []}
    for vswitch_id in run.spec.vswitch_ids:
        zone = by_vswitch.get(vswitch_id)
        if zone is None:
            check.drift("endpoint zone", f"{name} in {vswitch_id}", endpoint_id, "no zone in this vSwitch")
        elif zone.zone_status not in ZONE_STATES:
            check.drift(
                "endpoint zone",
                f"{name} in {vswitch_id}",
                endpoint_id,
                f"zone {zone.zone_id} is {zone.zone_status}, not Wait or Connected",
                "if it stays so, remove the zone in the PrivateLink console and " + REONBOARD,
            )
        else:
            check.found("endpoint zone", zone.zone_id, zone.eni_id, zone.zone_status, zone.eni_ip)


# ---- private zone -------------------------------------------------------------------------------------


def _zone_id(run: Run, check: Check) -> tuple[bool, str | None]:
    """The zone onboarding recorded, or the one zone of that name when there is no record."""
    recorded = run.recorded.get("private-zone", {}).get("id")
    if recorded:
        return True, str(recorded)
    name = run.spec.private_zone.name
    ok, zones = attempt(check, "private zone", name, run.read, privatezone.describe_zones, keyword=name)
    matches = [z.zone_id for z in zones or [] if z.zone_name == name]
    return ok, (matches[0] if matches else None)


@step("check-private-zone", "check-private-zone-{run.spec.private_zone.name}")
def check_private_zone(run: Run, endpoints: list[Check]) -> Check:
    """The zone exists, is bound to our VPC, and holds the records onboarding adds."""
    check, name = Check(), run.spec.private_zone.name
    if run.as_role:
        check.not_checked(
            "private zone",
            str(run.recorded.get("private-zone", {}).get("id", "")),
            name,
            "the EAS role may not read PrivateZone: check it with the account owner's credentials",
        )
        return check
    ok, zone_id = _zone_id(run, check)
    if not ok:
        return check
    info = None
    if zone_id is not None:
        ok, info = attempt(
            check, "private zone", name, run.read, privatezone.describe_zone_info, zone_id=zone_id
        )
        if not ok:
            return check
    if info is None:
        check.drift("private zone", name, zone_id or "", "does not exist")
        return check
    bound = {(v.vpc_id, v.region_id) for v in info.bound_vpcs}
    if (run.spec.vpc_id, run.spec.region) not in bound:
        check.drift("private zone", name, info.zone_id, f"is not bound to {run.spec.vpc_id}")
    else:
        check.found("private zone", info.zone_id, name, "bound", ", ".join(v for v, _ in sorted(bound)))
    _check_records(run, check, info.zone_id, endpoints)
    return check


def _check_records(run: Run, check: Check, zone_id: str, endpoints: list[Check]) -> None:
    ok, records = attempt(
        check,
        "zone records",
        run.spec.private_zone.name,
        run.read,
        privatezone.describe_zone_records,
        zone_id=zone_id,
    )
    if not ok:
        return
    present = {(r.rr, r.record_type): r.value for r in records or []}
    found = [
        EndpointResult(e.facts["key"], Found("endpoint", "", "", ""), e.facts["domain"])
        for e in endpoints
        if e.facts.get("domain")
    ]
    for rr, kind, value, _ in desired_records(run, found):
        label = f"{rr}.{run.spec.private_zone.name}"
        actual = present.get((rr, kind))
        if actual is None:
            check.drift("zone record", label, zone_id, f"{kind} record to {value} is missing")
        elif actual.rstrip(".") != value.rstrip("."):
            check.drift(
                "zone record",
                label,
                zone_id,
                f"{kind} record points to {actual}, not {value}",
                "delete the stale record in the PrivateZone console, then " + REONBOARD,
            )
        else:
            check.found("zone record", rr, label, "ENABLE", f"{kind} {value}")


# ---- logs, cluster, kubeconfig ---------------------------------------------------------------------------


@step("check-logs", "check-logs-{run.spec.log.project}")
def check_logs(run: Run) -> Check:
    """Project, logstore, index, machine group and Logtail config exist; the config is applied."""
    check, log = Check(), run.spec.log
    p = log.project
    reads: list[tuple[str, str, Any, dict[str, Any]]] = [
        ("log project", p, sls.get_project, {}),
        ("logstore", log.logstore, sls.get_log_store, {"logstore": log.logstore}),
        ("index", log.logstore, sls.get_index, {"logstore": log.logstore}),
        ("machine group", log.machine_group, sls.get_machine_group, {"group_name": log.machine_group}),
        ("logtail config", log.logtail.config_name, sls.get_config, {"config_name": log.logtail.config_name}),
    ]
    for kind, name, task, args in reads:
        ok, found = attempt(check, kind, name, run.read, task, project=p, **args)
        if not ok:
            continue
        if found is None:
            check.drift(kind, name, "", f"does not exist in log project {p}")
            if kind == "log project":
                return check  # everything else lives inside it
            continue
        check.found(kind, name, name, "exists")
    _check_applied(run, check)
    return check


def _check_applied(run: Run, check: Check) -> None:
    log = run.spec.log
    label = f"{log.logtail.config_name}->{log.machine_group}"
    if any(f.kind in ("machine group", "logtail config") for f in check.findings):
        return  # cannot be applied; the missing piece is reported already
    ok, applied = attempt(
        check,
        "applied config",
        label,
        run.read,
        sls.get_machine_group_applied_configs,
        project=log.project,
        group_name=log.machine_group,
    )
    if not ok:
        return
    if log.logtail.config_name not in (applied or ()):
        check.drift(
            "applied config", label, "", f"{log.logtail.config_name} is not applied to {log.machine_group}"
        )
    else:
        check.found("applied config", label, label, "applied")


@step("check-cluster", "check-cluster-{run.spec.cluster_id}")
def check_cluster(run: Run) -> Check:
    """The ACK cluster exists, runs, and is still in our VPC."""
    check, cluster_id = Check(), run.spec.cluster_id
    ok, cluster = attempt(
        check, "ACK cluster", cluster_id, run.read, ack.describe_cluster_detail, cluster_id=cluster_id
    )
    if not ok:
        return check
    if cluster is None:
        check.drift(
            "ACK cluster",
            cluster_id,
            cluster_id,
            "does not exist",
            "EAS has nothing to deploy onto: point the spec at an existing cluster and re-run onboarding",
        )
    elif cluster.state != "running":
        check.drift(
            "ACK cluster",
            cluster.name or cluster_id,
            cluster_id,
            f"is {cluster.state}, not running",
            "see the cluster's events in the ACK console; EAS cannot schedule onto it until it runs",
        )
    else:
        check.found("ACK cluster", cluster_id, cluster.name, cluster.state, cluster.vpc_id)
    return check


def _expiry(run: Run) -> dt.datetime | None:
    """The kubeconfig's expiry, when onboarding recorded it (``cluster-access.expiration``, ISO 8601)."""
    raw = run.recorded.get("cluster-access", {}).get("expiration")
    try:
        return dt.datetime.fromisoformat(str(raw).replace("Z", "+00:00")) if raw else None
    except ValueError:
        return None


@step("check-kubeconfig", "check-kubeconfig-{run.spec.name}")
def check_kubeconfig(run: Run) -> Check:
    """The kubeconfig Secret block exists (its value is never read); its expiry when known."""
    check, spec = Check(), run.spec
    name = ack.kubeconfig_block_name(spec.name, spec.region)
    try:
        with get_client(sync_client=True) as client:
            block = client.read_block_document_by_name(name, "secret", include_secrets=False)
    except ObjectNotFound:
        check.drift("kubeconfig secret", name, "", "the Prefect Secret block does not exist")
        return check
    expires = _expiry(run)
    now = dt.datetime.now(dt.UTC)
    if expires is not None and expires - now < KUBECONFIG_NOTICE:
        verb = "expired" if expires <= now else "expires"
        check.drift("kubeconfig secret", name, "", f"{verb} at {expires:%Y-%m-%d %H:%M} UTC", REONBOARD)
        return check
    stored = f"stored {block.updated:%Y-%m-%d %H:%M} UTC" if block.updated else "stored"
    detail = f"{stored}, expires {expires:%Y-%m-%d}" if expires else f"{stored}, expiry not recorded"
    check.found("kubeconfig secret", name, spec.cluster_id, "stored", detail)
    return check
