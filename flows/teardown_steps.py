"""The branches of teardown, each a Prefect task composing per-action tasks (nested runs).

Reverse dependency order, every asynchronous state waited out:

* logs: Logtail config, then machine group; index, logstore and project only with
  ``delete_log_data`` (log data is kept otherwise, and the summary says so);
* private zone: our VPC unbound (``BindZoneVpc`` replaces the whole set, so every other binding
  is sent back), then the zone deleted with its records only when nothing else is bound;
* each endpoint (concurrently): its zones removed one at a time and gone, then the endpoint
  deleted and gone;
* the security group, once every endpoint is gone: deleted as soon as our endpoints' network
  interfaces have left it; a holder eas-rg did not create stops the flow, named.

What belongs to the group: what carries the ownership tag, and the ids in the resource-group
record, so either one alone is enough.  Every branch reads before it deletes and counts "not
found" as done: a re-run continues where a previous one stopped, and re-running a finished
teardown sends no mutating call.  The endpoints' network interfaces are saved to the record before
anything is deleted (a re-run after a crash still knows which interfaces leaving the security
group are ours); the rest of the progress is saved when the run ends.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from alicloud.errors import AuthError, DependencyViolationError, NotFoundError, WaitTimeoutError
from alicloud.privatezone import ZoneVpc
from alicloud.waiting import Poll
from flows.context import Run
from flows.onboarding_steps import POLL, Found, step
from flows.spec import OWNER_TAG
from tasks import ack, ecs, privatezone, sls
from tasks import privatelink as pl

#: Deleting a security group: the interfaces of a just-deleted endpoint take seconds (emulator)
#: to tens of seconds (cloud) to leave it, so a handful of attempts, spaced out, is enough.
SG_POLL = Poll(first_delay_s=1.0, factor=2.0, max_delay_s=10.0)


@dataclass(frozen=True)
class EndpointTarget:
    """An endpoint of the group: its entry in the record (``endpoint-<key>``), id and name."""

    key: str
    endpoint_id: str
    name: str


@dataclass
class EndpointGone:
    target: EndpointTarget
    interfaces: list[str]
    found: Found


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def mark_gone(run: Run, *keys: str) -> None:
    """The resources of these record entries no longer exist (the flow drops them at its end)."""
    for key in keys:
        run.remember(key, gone=True)


# ---- endpoints ---------------------------------------------------------------------------------------


def find_endpoints(run: Run) -> list[EndpointTarget]:
    """Endpoints in the group's VPC tagged for it, plus the ones its record names (tag lost)."""
    spec = run.spec
    listed = {e.endpoint_id: e for e in run.read(pl.list_vpc_endpoints, vpc_id=spec.vpc_id) or []}
    prefix = f"eas-rg-{spec.name}-"
    targets: dict[str, EndpointTarget] = {}
    for endpoint in listed.values():
        if endpoint.tags.get(OWNER_TAG) != spec.name:
            continue
        key = "endpoint-" + endpoint.endpoint_name.removeprefix(prefix)
        if run.recorded.get(key, {}).get("id") not in (None, endpoint.endpoint_id):
            key = f"endpoint-{endpoint.endpoint_id}"  # the recorded one is another (older) endpoint
        targets[endpoint.endpoint_id] = EndpointTarget(key, endpoint.endpoint_id, endpoint.endpoint_name)
    for key, entry in sorted(run.recorded.items()):
        endpoint_id = entry.get("id")
        if not key.startswith("endpoint-") or not endpoint_id or endpoint_id in targets:
            continue
        seen = listed.get(endpoint_id)
        owner = seen.tags.get(OWNER_TAG) if seen else None
        if owner not in (None, spec.name):
            run.keep(
                f"endpoint {endpoint_id}: recorded for {spec.name} but tagged for group {owner}; not touched"
            )
            continue
        targets[endpoint_id] = EndpointTarget(key, endpoint_id, seen.endpoint_name if seen else key)
    return sorted(targets.values(), key=lambda t: t.key)


def endpoint_interfaces(run: Run, targets: list[EndpointTarget]) -> dict[str, dict[str, Any]]:
    """Record entries with each endpoint's network interfaces, read before any zone is removed: once
    the zones are gone, only these say which interfaces draining from the security group are ours."""
    entries = {}
    for target in targets:
        try:
            zones = run.read(pl.list_vpc_endpoint_zones, endpoint_id=target.endpoint_id) or []
        except NotFoundError:
            continue
        known = set(run.recorded.get(target.key, {}).get("enis", [])) | {z.eni_id for z in zones if z.eni_id}
        entries[target.key] = {"id": target.endpoint_id, "enis": sorted(known)}
    return entries


def _remove_zones(run: Run, target: EndpointTarget, interfaces: set[str], deadline_s: float) -> None:
    """Zones one at a time (the endpoint is locked while one changes), each waited until gone."""
    zones = run.read(pl.list_vpc_endpoint_zones, endpoint_id=target.endpoint_id) or []
    interfaces.update(z.eni_id for z in zones if z.eni_id)
    for zone in zones:
        if zone.zone_status != "Deleting":
            run.mutate(
                pl.remove_zone_from_vpc_endpoint,
                f"remove zone {zone.zone_id} from {target.endpoint_id}",
                endpoint_id=target.endpoint_id,
                zone_id=zone.zone_id,
            )
        run.read(
            pl.wait_for_endpoint_zones_gone,
            endpoint_id=target.endpoint_id,
            zone_ids=[zone.zone_id],
            timeout_s=deadline_s,
            poll=POLL,
        )


def _remove_endpoint(run: Run, target: EndpointTarget, interfaces: set[str], deadline_s: float) -> str:
    endpoint = run.read(pl.get_vpc_endpoint_attribute, endpoint_id=target.endpoint_id)
    if endpoint is None:
        return "already gone"
    if endpoint.endpoint_status != "Deleting":
        if endpoint.endpoint_status != "Active":  # Creating or Pending: a change is still being applied
            run.read(
                pl.wait_for_endpoint_status,
                endpoint_id=target.endpoint_id,
                status="Active",
                timeout_s=deadline_s,
                poll=POLL,
            )
        _remove_zones(run, target, interfaces, deadline_s)
        run.remember(target.key, id=target.endpoint_id, deleting_since=now_iso())
        run.mutate(
            pl.delete_vpc_endpoint,
            f"delete endpoint {target.endpoint_id} ({target.name})",
            endpoint_id=target.endpoint_id,
        )
    elif not run.recorded.get(target.key, {}).get("deleting_since"):
        run.remember(target.key, id=target.endpoint_id, deleting_since=now_iso())
    run.read(pl.wait_for_endpoint_gone, endpoint_id=target.endpoint_id, timeout_s=deadline_s, poll=POLL)
    return "deleted"


def _since_first_seen(error: WaitTimeoutError, entry: dict[str, Any]) -> WaitTimeoutError:
    """The timeout, dated from when a deletion was first requested or seen (by any run)."""
    since = entry.get("deleting_since")
    if error.state != "Deleting" or not since or since >= error.since:
        return error
    return WaitTimeoutError(
        error.message.replace(f"since {error.since}", f"since {since}", 1),
        resource=error.resource,
        state=error.state,
        since=since,
    )


@step("endpoint-teardown", "remove-endpoint-{target.endpoint_id}")
def remove_endpoint(run: Run, target: EndpointTarget, deadline_s: float) -> EndpointGone:
    """Zones removed and gone, then the endpoint deleted and gone (not found counts as done)."""
    entry = dict(run.recorded.get(target.key, {}))
    interfaces = set(entry.get("enis", []))
    try:
        state = _remove_endpoint(run, target, interfaces, deadline_s)
    except NotFoundError:
        state = "already gone"  # vanished between two calls: done
    except WaitTimeoutError as error:
        raise _since_first_seen(error, entry) from None
    mark_gone(run, target.key)
    found = Found("endpoint", target.endpoint_id, target.name, state)
    return EndpointGone(target, sorted(interfaces), found)


# ---- security group ------------------------------------------------------------------------------------


def find_security_groups(run: Run) -> list[tuple[str, str]]:
    """(id, name) of the groups in the VPC tagged for the group, plus the recorded one (tag lost)."""
    spec = run.spec
    listed = run.read(ecs.describe_security_groups, vpc_id=spec.vpc_id) or []
    ours = {g.security_group_id: g.security_group_name for g in listed if g.tags.get(OWNER_TAG) == spec.name}
    recorded = run.recorded.get("security-group", {}).get("id")
    for group in listed:
        if group.security_group_id != recorded or recorded in ours:
            continue
        owner = group.tags.get(OWNER_TAG)
        if owner in (None, spec.name):
            ours[group.security_group_id] = group.security_group_name
        else:
            run.keep(
                f"security group {recorded}: recorded for {spec.name} but tagged for group {owner}; "
                "not touched"
            )
    return sorted(ours.items())


def recorded_interfaces(run: Run) -> set[str]:
    entries = [e for key, e in run.recorded.items() if key.startswith("endpoint-")]
    return {str(eni) for entry in entries for eni in entry.get("enis", [])}


@step("security-group-teardown", "remove-security-group-{run.spec.name}")
def remove_security_group(run: Run, interfaces: list[str], deadline_s: float) -> list[Found]:
    """Delete the group once our endpoints' interfaces have left it; stop at a foreign holder."""
    found = []
    for group_id, name in find_security_groups(run):
        attempts = run.mutate(
            ecs.wait_for_security_group_released,
            f"delete security group {group_id} ({name})",
            security_group_id=group_id,
            own_interfaces=interfaces,
            timeout_s=deadline_s,
            poll=SG_POLL,
        )
        found.append(Found("security group", group_id, name, "deleted", f"{attempts} delete attempt(s)"))
    mark_gone(run, "security-group")
    return found


# ---- PrivateZone --------------------------------------------------------------------------------------


def _unbind(run: Run, zone_id: str, ours: ZoneVpc, others: list[ZoneVpc]) -> None:
    """Send back every binding but ours (replace-all), and note at once that ours is gone."""
    if others:
        run.mutate(
            privatezone.bind_zone_vpc,
            f"unbind {ours.vpc_id} from zone {zone_id}, keeping {', '.join(v.vpc_id for v in others)}",
            zone_id=zone_id,
            vpcs=others,
        )
    else:
        run.mutate(
            privatezone.bind_zone_vpc,
            f"unbind {ours.vpc_id} from zone {zone_id}",
            zone_id=zone_id,
            vpcs=[],
            unbind_all=True,
        )
    run.remember(
        "private-zone",
        state="unbound",
        bound=[{"vpc_id": v.vpc_id, "region_id": v.region_id} for v in others],
    )


def _zone_as_owner(run: Run, zone_id: str, label: str, ours: ZoneVpc) -> list[ZoneVpc] | None:
    """Read the bindings, unbind ours, delete the zone if nothing else is bound.  None: gone."""
    info = run.read(privatezone.describe_zone_info, zone_id=zone_id)
    if info is None:
        return None
    others = [v for v in info.bound_vpcs if v != ours]
    if ours in info.bound_vpcs:
        _unbind(run, zone_id, ours, others)
    if not others:
        run.mutate(
            privatezone.delete_zone,
            f"delete private zone {label} and its records",
            zone_id=zone_id,
            draining=True,
        )  # draining: the unbinding may still be settling
    return others or None


def _zone_as_role(
    run: Run, zone_id: str, label: str, ours: ZoneVpc, entry: dict[str, Any]
) -> list[ZoneVpc] | None:
    """Without a read, the record says what is bound.  With nothing else bound, ``DeleteZone`` comes
    first: it answers not found for a zone that is gone and is refused (changing nothing) while our
    VPC is still bound."""
    others = [ZoneVpc(**v) for v in entry.get("bound", []) if ZoneVpc(**v) != ours]
    if others:
        if entry.get("state") != "unbound":
            try:
                _unbind(run, zone_id, ours, others)
            except NotFoundError:
                return None
        return others
    try:
        run.mutate(privatezone.delete_zone, f"delete private zone {label} and its records", zone_id=zone_id)
        return None
    except DependencyViolationError:  # Zone.VpcExists: ours is still bound
        pass
    _unbind(run, zone_id, ours, [])
    run.task(privatezone.delete_zone)(zone_id=zone_id, draining=True, credentials=run.credentials)
    return None


def _unrecorded_zone(run: Run, entry: dict[str, Any]) -> list[Found]:
    """No zone id in the record: a zone of that name is not provably ours (zones carry no tags)."""
    name = run.spec.private_zone.name
    if run.as_role:
        if not run.recorded or entry.get("client_token"):
            run.keep(
                f"private zone {name}: no zone id in the resource-group record (its AddZone may have "
                "been sent without an answer), and the EAS role cannot read zones; if it exists it "
                "was not touched"
            )
        return []
    zones = [z for z in run.read(privatezone.describe_zones, keyword=name) or [] if z.zone_name == name]
    for zone in zones:
        run.keep(
            f"private zone {name} ({zone.zone_id}): not in the resource-group record and zones "
            "carry no ownership tag, so not touched; delete it by hand if it was this group's"
        )
    return [Found("private zone", z.zone_id, name, "kept", "not recorded as ours") for z in zones]


@step("private-zone-teardown", "remove-private-zone-{run.spec.private_zone.name}")
def remove_private_zone(run: Run) -> list[Found]:
    """Unbind our VPC, keeping every other binding; delete the zone (and its records) only if nothing
    else is bound, otherwise keep it and say why."""
    spec = run.spec
    entry = dict(run.recorded.get("private-zone", {}))
    zone_id = entry.get("id")
    if not zone_id:
        return _unrecorded_zone(run, entry)
    name = entry.get("name") or spec.private_zone.name
    label = f"{name} ({zone_id})"
    ours = ZoneVpc(vpc_id=spec.vpc_id, region_id=spec.region)
    if run.as_role:
        others = _zone_as_role(run, zone_id, label, ours, entry)
    else:
        others = _zone_as_owner(run, zone_id, label, ours)
    if others:
        listed = ", ".join(f"{v.vpc_id} ({v.region_id})" for v in others)
        how = " as recorded (the EAS role cannot read zones)" if run.as_role else ""
        run.keep(
            f"private zone {label} kept with its records: still bound to {listed}{how}, which eas-rg "
            f"did not bind; only {ours.vpc_id} was unbound"
        )
        return [Found("private zone", zone_id, name, "kept", f"bound to {listed}")]
    mark_gone(run, "private-zone", "zone-records")
    return [Found("private zone", zone_id, name, "deleted", "with its records")]


# ---- Simple Log Service ---------------------------------------------------------------------------------


def _delete_if_present(run: Run, kind: str, name: str, get: Any, delete: Any, args: dict[str, Any]) -> Found:
    if run.read(get, **args) is None:
        return Found(kind, name, name, "already gone")
    run.mutate(delete, f"delete {kind} {name}", **args)
    return Found(kind, name, name, "deleted")


def _project_is_ours(run: Run, project: Any) -> bool:
    """Recorded by onboarding, or described as ours (a lost record; project names are global)."""
    recorded: bool = run.recorded.get("logs", {}).get("project") == project.project_name
    return recorded or project.description == f"eas-rg {run.spec.name}"


@step("logs-teardown", "remove-logs-{run.spec.log.project}")
def remove_logs(run: Run, delete_log_data: bool) -> list[Found]:
    """Config and machine group always; index, logstore and project only when asked to."""
    log, p = run.spec.log, run.spec.log.project
    try:
        project = run.read(sls.get_project, project=p)
    except AuthError as error:  # another account's project answers like a missing permission
        run.keep(
            f"log project {p}: access denied ({error.code}: {error.message}); not touched: it belongs "
            "to another account, or these credentials lack the permission"
        )
        return [Found("log project", p, p, "kept", "access denied")]
    if project is None:
        mark_gone(run, "logs")
        return [Found("log project", p, p, "already gone")]
    if not _project_is_ours(run, project):
        run.keep(
            f"log project {p}: not created by eas-rg for {run.spec.name} (not recorded, description "
            f"{project.description!r}); not touched"
        )
        return [Found("log project", p, p, "kept", "not ours")]
    found = [
        _delete_if_present(
            run,
            "Logtail config",
            log.logtail.config_name,
            sls.get_config,
            sls.delete_config,
            {"project": p, "config_name": log.logtail.config_name},
        ),
        _delete_if_present(
            run,
            "machine group",
            log.machine_group,
            sls.get_machine_group,
            sls.delete_machine_group,
            {"project": p, "group_name": log.machine_group},
        ),
    ]
    if not delete_log_data:
        run.keep(
            f"log project {p}, logstore {log.logstore} and its index: retained with their log data "
            "(teardown keeps log data unless delete_log_data / --delete-log-data is given)"
        )
        run.remember("logs", project=p, logstore=log.logstore, applied=None)
        return found + [Found("log project", p, p, "kept", f"logstore {log.logstore}, index: log data")]
    stores = {"project": p, "logstore": log.logstore}
    found += [
        _delete_if_present(run, "index", log.logstore, sls.get_index, sls.delete_index, stores),
        _delete_if_present(run, "logstore", log.logstore, sls.get_log_store, sls.delete_log_store, stores),
        _delete_if_present(run, "log project", p, sls.get_project, sls.delete_project, {"project": p}),
    ]
    mark_gone(run, "logs")
    return found


# ---- cluster access ----------------------------------------------------------------------------------------


def remove_cluster_access(run: Run) -> Found:
    """The kubeconfig Secret block (a missing block counts as done)."""
    spec = run.spec
    name = ack.kubeconfig_block_name(spec.name, spec.region)
    existed = run.task(ack.delete_cluster_kubeconfig)(resource_group=spec.name, region=spec.region)
    mark_gone(run, "cluster-access")  # the block and its expiry, as onboarding recorded them
    if existed:
        run.changes.append(f"delete kubeconfig Secret block {name}")
        return Found("kubeconfig secret", name, spec.cluster_id, "deleted")
    return Found("kubeconfig secret", name, spec.cluster_id, "already gone")
