"""Preflight: concurrent reads that prove the spec fits the account before anything changes.

Checks that the VPC and vSwitches exist and belong together (zones are learned from the
vSwitches), that the ACK cluster runs in that VPC, whether PrivateLink is activated and the role
exists, that each endpoint service exists and serves the vSwitches' zones, and that the log
project's name is not another account's (names are global).  Then, before
anything is written, a ``DryRun`` request asks whether the credentials may create the endpoints
still missing (a permission the credentials lack is reported here, not half-way through).
Every problem is collected and reported at once, naming the spec field and the fix; a failed
preflight has changed nothing (its only write-like request is that dry run).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prefect import get_run_logger

from alicloud.errors import AlibabaCloudError, AuthError, NotFoundError
from alicloud.privatelink import Endpoint, ZonePlacement
from alicloud.roles import EAS_ROLE_NAME
from flows.context import Run
from flows.spec import OWNER_TAG
from tasks import ack, roles, sls, vpc
from tasks import privatelink as pl


class PreflightError(ValueError):
    """The account does not match the spec; ``problems`` lists ``(field, message)`` pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        lines = "\n".join(f"  - {field}: {message}" for field, message in problems)
        super().__init__(f"preflight found {len(problems)} problem(s); nothing was changed:\n{lines}")


@dataclass(frozen=True)
class Checks:
    vpc_cidr: str
    placements: list[ZonePlacement]
    privatelink_open: bool
    role_exists: bool | None  # None: not checked (the EAS role cannot read roles)


def _outcome(future: Any) -> tuple[Any, AlibabaCloudError | None]:
    value = future.result(raise_on_failure=False)
    if isinstance(value, AlibabaCloudError):
        return None, value
    if isinstance(value, BaseException):
        raise value
    return value, None


def _missing(error: AlibabaCloudError | None) -> bool:
    return isinstance(error, NotFoundError)


def _check_network(
    run: Run, vpc_f: Any, vsw_fs: list[Any], problems: list[tuple[str, str]]
) -> tuple[str, list[ZonePlacement]]:
    spec = run.spec
    found_vpc, error = _outcome(vpc_f)
    if error is not None or found_vpc is None or not found_vpc.vpc_id:
        reason = "does not exist" if _missing(error) or error is None else f"cannot be read ({error})"
        problems.append(
            ("vpc_id", f"VPC {spec.vpc_id} {reason} in {spec.region}; check the id and the region")
        )
    elif found_vpc.status != "Available":
        problems.append(("vpc_id", f"VPC {spec.vpc_id} is {found_vpc.status}; wait until it is Available"))
    placements: list[ZonePlacement] = []
    zones_seen: dict[str, str] = {}
    for index, (vswitch_id, future) in enumerate(zip(spec.vswitch_ids, vsw_fs, strict=True)):
        field = f"vswitch_ids.{index}"
        vswitch, error = _outcome(future)
        if error is not None or vswitch is None or not vswitch.vswitch_id:
            reason = "does not exist" if _missing(error) or error is None else f"cannot be read ({error})"
            problems.append((field, f"vSwitch {vswitch_id} {reason} in {spec.region}"))
            continue
        if vswitch.vpc_id != spec.vpc_id:
            problems.append(
                (
                    field,
                    f"vSwitch {vswitch_id} belongs to {vswitch.vpc_id}, not {spec.vpc_id}; "
                    "use vSwitches of the cluster's VPC",
                )
            )
        elif vswitch.zone_id in zones_seen:
            problems.append(
                (
                    field,
                    f"vSwitch {vswitch_id} is in {vswitch.zone_id} like {zones_seen[vswitch.zone_id]}; "
                    "give one vSwitch per zone",
                )
            )
        else:
            zones_seen[vswitch.zone_id] = vswitch_id
            placements.append(ZonePlacement(zone_id=vswitch.zone_id, vswitch_id=vswitch_id))
    return (found_vpc.cidr_block if found_vpc else ""), placements


def _check_cluster(run: Run, future: Any, problems: list[tuple[str, str]]) -> None:
    spec = run.spec
    cluster, error = _outcome(future)
    if error is not None or cluster is None:
        reason = "does not exist" if _missing(error) else f"cannot be read ({error})"
        problems.append(("cluster_id", f"ACK cluster {spec.cluster_id} {reason} in {spec.region}"))
    elif cluster.state != "running":
        problems.append(
            ("cluster_id", f"ACK cluster {spec.cluster_id} is {cluster.state}; wait until it is running")
        )
    elif cluster.vpc_id != spec.vpc_id:
        problems.append(
            (
                "vpc_id",
                f"ACK cluster {spec.cluster_id} runs in {cluster.vpc_id}, not {spec.vpc_id}; "
                "use the cluster's VPC",
            )
        )


def _check_project(run: Run, future: Any, problems: list[tuple[str, str]]) -> None:
    """Log project names are global: one that another account owns cannot be read, nor created."""
    _, error = _outcome(future)  # absent (None) is fine: onboarding creates it
    if isinstance(error, AuthError):
        problems.append(
            (
                "log.project",
                f"{run.spec.log.project} cannot be read with these credentials ({error.code}): another "
                "account owns this name (log project names are global: choose another) or the "
                "credentials lack log:GetProject",
            )
        )
    elif error is not None:
        problems.append(("log.project", f"cannot look up {run.spec.log.project} ({error})"))


def _check_services(
    run: Run, futures: list[Any], placements: list[ZonePlacement], problems: list[tuple[str, str]]
) -> None:
    for index, (service, future) in enumerate(zip(run.spec.endpoint_services, futures, strict=True)):
        field = f"endpoint_services.{index}.service_name"
        found, error = _outcome(future)
        if error is not None:
            problems.append((field, f"cannot look up {service.service_name} ({error})"))
            continue
        matches = [s for s in found or [] if s.service_name == service.service_name]
        if not matches:
            problems.append(
                (
                    field,
                    f"no endpoint service {service.service_name} is offered to this account; "
                    "check the name and the region",
                )
            )
            continue
        unsupported = [p.zone_id for p in placements if p.zone_id not in matches[0].zones]
        if unsupported:
            problems.append(
                (
                    field,
                    f"{service.service_name} is not offered in {', '.join(unsupported)} "
                    f"(only {', '.join(matches[0].zones)}); use vSwitches in those zones",
                )
            )


def _check_endpoints(run: Run, found: list[Endpoint], problems: list[tuple[str, str]]) -> list[str]:
    """Another endpoint to one of our services in the VPC blocks ours (one per service and VPC).

    Returns the service names whose endpoint (ours) is still missing.
    """
    spec = run.spec
    missing = []
    for index, service in enumerate(spec.endpoint_services):
        same = [e for e in found if e.service_name == service.service_name]
        if any(e.tags.get(OWNER_TAG) == spec.name for e in same):
            continue
        missing.append(service.service_name)
        problems += [(f"endpoint_services.{index}.service_name", _blocking(run, other)) for other in same]
    return missing


def _blocking(run: Run, other: Endpoint) -> str:
    owner = other.tags.get(OWNER_TAG)
    user = f"resource group {owner}" if owner else "something other than eas-rg"
    return (
        f"endpoint {other.endpoint_id} ({other.endpoint_name or 'no name'}, {other.endpoint_status}) already "
        f"connects {run.spec.vpc_id} to {other.service_name} for {user}; a VPC has one endpoint per "
        f"service: remove that endpoint, or tag it {OWNER_TAG}={run.spec.name} to adopt it"
    )


def _check_permissions(
    run: Run, missing: list[str], placements: list[ZonePlacement], problems: list[tuple[str, str]]
) -> None:
    """Before any write, ask (``DryRun``) whether the endpoints still missing may be created."""
    refusal = run.read(
        pl.check_create_vpc_endpoint, vpc_id=run.spec.vpc_id, service_name=missing[0], zones=placements
    )
    if refusal:
        problems.append(
            (
                "credentials",
                f"may not create VPC endpoints: {refusal}; grant the action to these credentials "
                "(the EAS role's policy has it: easrg policy)",
            )
        )


def preflight(run: Run) -> Checks:
    """Run every read concurrently; raise :class:`PreflightError` listing all problems."""
    spec = run.spec
    vpc_f = run.submit(vpc.describe_vpc_attribute, vpc_id=spec.vpc_id)
    vsw_fs = [run.submit(vpc.describe_vswitch_attributes, vswitch_id=v) for v in spec.vswitch_ids]
    cluster_f = run.submit(ack.describe_cluster_detail, cluster_id=spec.cluster_id)
    open_f = run.submit(pl.check_product_open)
    project_f = run.submit(sls.get_project, project=spec.log.project)
    # The EAS role may neither list consumer-side services nor read roles: skip those checks.
    service_fs = (
        []
        if run.as_role
        else [
            run.submit(pl.list_vpc_endpoint_services_by_end_user, service_name=s.service_name)
            for s in spec.endpoint_services
        ]
    )
    role_f = None if run.as_role else run.submit(roles.get_role, role_name=EAS_ROLE_NAME)
    if run.as_role:
        get_run_logger().info(
            "as the EAS role, preflight does not check that the endpoint services are offered in "
            "the vSwitches' zones, nor that the service-linked role exists (the role may call "
            "neither ListVpcEndpointServicesByEndUser nor GetRole)"
        )
    endpoints_f = run.submit(pl.list_vpc_endpoints, vpc_id=spec.vpc_id)

    problems: list[tuple[str, str]] = []
    vpc_cidr, placements = _check_network(run, vpc_f, vsw_fs, problems)
    _check_cluster(run, cluster_f, problems)
    if service_fs:
        _check_services(run, service_fs, placements, problems)
    _check_project(run, project_f, problems)
    opened, error = _outcome(open_f)
    if error is not None:
        problems.append(("credentials", f"cannot check PrivateLink activation ({error})"))
    role_exists: bool | None = None
    if role_f is not None:
        role, error = _outcome(role_f)
        if error is not None:
            problems.append(("credentials", f"cannot read the service-linked role ({error})"))
        role_exists = role is not None
    endpoints, error = _outcome(endpoints_f)
    if error is not None:
        problems.append(("vpc_id", f"cannot list the endpoints of {spec.vpc_id} ({error})"))
    missing = _check_endpoints(run, endpoints or [], problems)
    # A plan sends nothing that a request log would count as a write, probes included.
    if missing and not problems and not run.dry_run:
        _check_permissions(run, missing, placements, problems)
    if problems:
        raise PreflightError(problems)
    return Checks(
        vpc_cidr=vpc_cidr, placements=placements, privatelink_open=bool(opened), role_exists=role_exists
    )
