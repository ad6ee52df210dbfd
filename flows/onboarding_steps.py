"""The branches of onboarding, each a Prefect task that composes per-action tasks (nested runs).

Every branch reads before it writes: it finds what exists (by ownership tag, deterministic name or
the resource-group record) and mutates only what is missing, through ``Run.mutate``.  That is what
makes a re-run of an onboarded group send no mutating call, and a plan (``dry_run``) list exactly
what onboarding would do.  Mutations on one endpoint are serialised inside its branch (the API
refuses concurrent ones); different endpoints run as separate branches, concurrently.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from alicloud.ecs import SecurityGroupRule
from alicloud.errors import AuthError, NotFoundError
from alicloud.privatelink import Endpoint, ZonePlacement
from alicloud.privatezone import ZoneVpc
from alicloud.waiting import Poll
from blocks.record import set_resource
from flows.context import Run
from flows.spec import OWNER_TAG, EndpointServiceSpec
from policies import security_group_rules
from tasks import ack, ecs, privatezone, sls
from tasks import privatelink as pl

#: Polling for the flows' waits: from 0.25 s, growing, but never more than a tenth of the time
#: waited so far (so a wait ends at most ~10% late) nor more than 5 s apart (gentle on API quotas
#: during the minutes a real endpoint takes).
POLL = Poll(first_delay_s=0.25, factor=1.5, max_delay_s=5.0, share=0.1)
WAIT_S = 600.0


def step(name: str, run_name: str) -> Callable[[Callable[..., Any]], Any]:
    """A branch: not retried itself (its per-action tasks are), never cached."""
    return task(name=name, task_run_name=run_name, retries=0, cache_policy=NO_CACHE)


@dataclass(frozen=True)
class Found:
    """One resource in a summary."""

    kind: str
    id: str
    name: str
    state: str
    detail: str = ""


@dataclass
class EndpointResult:
    key: str
    found: Found
    domain: str = ""
    zones: list[Found] = field(default_factory=list)


def rules_for(run: Run, vpc_cidr: str) -> dict[str, list[SecurityGroupRule]]:
    """The group's rules: the spec's, or what EAS needs from the VPC's CIDR (``policies/``)."""
    if run.spec.security_group.rules is None:
        data = security_group_rules(vpc_cidr)
        return {d: [SecurityGroupRule.from_policy(r) for r in data[d]] for d in ("ingress", "egress")}
    rules: dict[str, list[SecurityGroupRule]] = {"ingress": [], "egress": []}
    for rule in run.spec.security_group.rules:
        rules[rule.direction].append(
            SecurityGroupRule(
                ip_protocol=rule.protocol,
                port_range=rule.port_range,
                cidr=rule.cidr,
                policy=rule.policy,
                priority=str(rule.priority),
                description=rule.description or "eas-rg",
            )
        )
    return rules


def _fingerprint(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _record_entry(run: Run, key: str) -> dict[str, Any]:
    return dict(run.recorded.get(key, {}))


def _read_unless_role(run: Run, task: Any, **kwargs: Any) -> tuple[bool, Any]:
    """``(True, answer)`` from the cloud; ``(False, None)`` when these credentials may not read it
    (the EAS role's policy has neither rule nor applied-config reads): the record decides then."""
    if run.as_role:
        return False, None
    try:
        return True, run.read(task, **kwargs)
    except AuthError:
        return False, None


def _rule_key(rule: SecurityGroupRule, direction: str) -> tuple[str, ...]:
    """What makes two rules the same rule (ECS answers protocol and policy in either case)."""
    return (
        direction,
        rule.ip_protocol.lower(),
        rule.port_range,
        rule.cidr,
        rule.policy.lower(),
        str(rule.priority),
        rule.nic_type,
    )


def rules_lacking(
    rules: dict[str, list[SecurityGroupRule]], existing: list[SecurityGroupRule]
) -> dict[str, list[SecurityGroupRule]]:
    """Of ``rules`` (per direction), those not among ``existing`` (as read back, with directions)."""
    have = {_rule_key(r, r.direction) for r in existing}
    return {d: [r for r in rs if _rule_key(r, d) not in have] for d, rs in rules.items()}


def _missing_rules(
    run: Run, group_id: str, created: bool, rules: dict[str, list[SecurityGroupRule]], fingerprint: str
) -> dict[str, list[SecurityGroupRule]]:
    """The rules still to authorize, per direction.

    A group created by this run has none.  Otherwise the group's rules are read back; only when
    these credentials may not read them (the EAS role) does the record decide, and only if it is
    the record of this very group: a record left by an earlier group of the same name (deleted
    behind eas-rg's back, or in another emulator) must not stand in for the cloud.
    """
    if created or group_id == "(new)":
        return rules
    read, existing = _read_unless_role(run, ecs.describe_security_group_attribute, security_group_id=group_id)
    if read:
        return rules_lacking(rules, existing or [])
    entry = _record_entry(run, "security-group")
    if entry.get("id") == group_id and entry.get("rules") == fingerprint:
        return {d: [] for d in rules}
    return rules


def _remember_now(run: Run, key: str, **fields: Any) -> None:
    """Save to the record at once: an intent that must survive a crash right after the next call."""
    if not run.dry_run:
        set_resource(run.spec.name, run.spec.region, key, **fields)
    run.remember(key, **fields)


# ---- security group ------------------------------------------------------------------------------


def find_security_group(run: Run) -> str | None:
    spec = run.spec
    groups = run.read(
        ecs.describe_security_groups, vpc_id=spec.vpc_id, security_group_name=spec.security_group_name
    )
    ours = [g for g in groups or [] if g.tags.get(OWNER_TAG) == spec.name]
    return ours[0].security_group_id if ours else None


@step("security-group", "security-group-{run.spec.name}")
def ensure_security_group(run: Run, vpc_cidr: str) -> Found:
    """Find the group by name and ownership tag, or create it; authorize its rules once."""
    spec = run.spec
    group_id = find_security_group(run)
    created = group_id is None
    if group_id is None:
        group_id = run.mutate(
            ecs.create_security_group,
            f"create security group {spec.security_group_name}",
            vpc_id=spec.vpc_id,
            security_group_name=spec.security_group_name,
            description=f"eas-rg resource group {spec.name}",
            tags=spec.owner_tags(),
            client_token=run.token("security-group"),
        )
        if group_id is None and not run.dry_run:
            group_id = find_security_group(run)  # the create answered "already exists"
    if run.dry_run and group_id is None:
        group_id = "(new)"
    rules = rules_for(run, vpc_cidr)
    fingerprint = _fingerprint({d: [r.permission(d) for r in rs] for d, rs in rules.items()})
    missing = _missing_rules(run, group_id, created, rules, fingerprint)
    for direction, authorize in (("ingress", ecs.authorize_security_group),
                                 ("egress", ecs.authorize_security_group_egress)):
        if missing[direction]:
            run.mutate(
                authorize,
                f"authorize {_count(len(missing[direction]), direction + ' rule')}",
                security_group_id=group_id,
                rules=missing[direction],
            )
    run.remember("security-group", id=group_id, rules=fingerprint)
    return Found(
        "security group",
        group_id,
        spec.security_group_name,
        "planned" if run.dry_run and group_id == "(new)" else "Available",
        f"{len(rules['ingress'])} ingress / {len(rules['egress'])} egress rules",
    )


# ---- VPC endpoints -------------------------------------------------------------------------------


def find_endpoint(run: Run, name: str) -> Endpoint | None:
    endpoints = run.read(pl.list_vpc_endpoints, vpc_id=run.spec.vpc_id, endpoint_name=name)
    ours = [e for e in endpoints or [] if e.tags.get(OWNER_TAG) == run.spec.name]
    return ours[0] if ours else None


def _create_endpoint(
    run: Run, service: EndpointServiceSpec, group_id: str, placements: list[ZonePlacement]
) -> Endpoint | None:
    name = run.spec.endpoint_name(service.key)
    created = run.mutate(
        pl.create_vpc_endpoint,
        f"create endpoint {name} to {service.service_name}",
        vpc_id=run.spec.vpc_id,
        security_group_ids=[group_id],
        zones=placements,
        service_name=service.service_name,
        endpoint_name=name,
        endpoint_description=f"eas-rg resource group {run.spec.name}",
        tags=run.spec.owner_tags(),
        client_token=run.token(f"endpoint-{service.key}"),
    )
    if created is None and not run.dry_run:
        created = find_endpoint(run, name)  # the create answered "already exists"
    return created  # type: ignore[no-any-return]


def _settle_endpoint(run: Run, endpoint_id: str) -> Endpoint:
    return run.read(
        pl.wait_for_endpoint_status,
        endpoint_id=endpoint_id,
        status="Active",  # type: ignore[no-any-return]
        timeout_s=WAIT_S,
        poll=POLL,
    )


@step("endpoint", "endpoint-{service.key}")
def ensure_endpoint(
    run: Run, service: EndpointServiceSpec, group: Found, placements: list[ZonePlacement]
) -> EndpointResult:
    """Endpoint with our group and a zone per vSwitch, Active; its changes strictly one at a time."""
    name = run.spec.endpoint_name(service.key)
    endpoint = find_endpoint(run, name) or _create_endpoint(run, service, group.id, placements)
    if endpoint is None and run.dry_run:
        return EndpointResult(service.key, Found("endpoint", "(new)", name, "planned"))
    if endpoint is None:  # "duplicated", yet not ours: preflight checks this, a race can still get here
        raise RuntimeError(
            f"another endpoint to {service.service_name} appeared in {run.spec.vpc_id} while onboarding "
            f"(a VPC has one endpoint per service); re-run onboarding to see which"
        )
    if endpoint.endpoint_status == "Deleting":
        raise RuntimeError(
            f"endpoint {endpoint.endpoint_id} ({name}) is being deleted; re-run onboarding once "
            "the teardown has finished"
        )
    if not run.dry_run:
        endpoint = _settle_endpoint(run, endpoint.endpoint_id)
    attached = {
        g.security_group_id
        for g in run.read(pl.list_vpc_endpoint_security_groups, endpoint_id=endpoint.endpoint_id) or []
    }
    if group.id not in attached:
        run.mutate(
            pl.attach_security_group_to_vpc_endpoint,
            f"attach {group.id} to {endpoint.endpoint_id}",
            endpoint_id=endpoint.endpoint_id,
            security_group_id=group.id,
        )
        if not run.dry_run:
            _settle_endpoint(run, endpoint.endpoint_id)
    present = {
        z.zone_id for z in run.read(pl.list_vpc_endpoint_zones, endpoint_id=endpoint.endpoint_id) or []
    }
    for placement in placements:
        if placement.zone_id in present:
            continue
        run.mutate(
            pl.add_zone_to_vpc_endpoint,
            f"add zone {placement.zone_id} to {endpoint.endpoint_id}",
            endpoint_id=endpoint.endpoint_id,
            zone_id=placement.zone_id,
            vswitch_id=placement.vswitch_id,
        )
        if not run.dry_run:
            _settle_endpoint(run, endpoint.endpoint_id)
    zones = (
        []
        if run.dry_run
        else run.read(
            pl.wait_for_endpoint_zones,
            endpoint_id=endpoint.endpoint_id,
            zone_ids=[p.zone_id for p in placements],
            timeout_s=WAIT_S,
            poll=POLL,
        )
    )
    run.remember(f"endpoint-{service.key}", id=endpoint.endpoint_id, domain=endpoint.endpoint_domain)
    return EndpointResult(
        service.key,
        Found(
            "endpoint",
            endpoint.endpoint_id,
            name,
            endpoint.endpoint_status,
            f"{service.service_name}, {endpoint.connection_status}",
        ),
        endpoint.endpoint_domain,
        [Found("endpoint zone", z.zone_id, z.eni_id, z.zone_status, z.eni_ip) for z in zones],
    )


# ---- PrivateZone -----------------------------------------------------------------------------------


#: the name of the background save of the zone's intent, awaited before ``AddZone``
ZONE_INTENT = "private-zone-intent"


def record_zone_intent(run: Run) -> None:
    """Start saving the zone's ClientToken in the record; ``AddZone`` waits for it to be saved.

    The EAS role cannot list zones: a zone whose answer was lost is found again only through the
    token (re-sent, the API answers with the zone it made).  The flow starts this before the
    branches: the save then overlaps the activation and the other branches' first calls instead
    of holding up the zone branch (a block save takes seconds while dozens of task runs report
    their states).
    """
    entry = _record_entry(run, "private-zone")
    if run.dry_run or entry.get("id"):
        return
    token = entry.get("client_token") or run.token("private-zone")
    run.recorded["private-zone"] = {**entry, "client_token": token}
    if token == entry.get("client_token"):
        return  # a crashed run's token is already saved: keep it
    spec = run.spec
    run.save_soon(
        lambda: set_resource(
            spec.name,
            spec.region,
            "private-zone",
            client_token=token,
            name=spec.private_zone.name,
            state="adding",
        ),
        name=ZONE_INTENT,
    )


def _add_zone(run: Run, token: str | None) -> str | None:
    """``AddZone`` under the recorded token (a new one, recorded first, if there is none)."""
    spec, name = run.spec, run.spec.private_zone.name
    if not token:
        token = run.token("private-zone")
        _remember_now(run, "private-zone", client_token=token, name=name, state="adding")
    run.wait_for_save(ZONE_INTENT)  # the token must be in the record before the zone can exist
    zone = run.mutate(privatezone.add_zone, f"add private zone {name}", zone_name=name, client_token=token)
    if zone is None:
        return None  # planned
    run.remember("private-zone", id=zone.zone_id, state="added")
    # Saved early (the token alone finds the zone only as long as the API remembers tokens),
    # but in the background: the branch goes on to bind the VPC meanwhile.
    zone_id = zone.zone_id
    run.save_soon(lambda: set_resource(spec.name, spec.region, "private-zone", id=zone_id, state="added"))
    return str(zone_id)


class RecordedZoneGoneError(RuntimeError):
    """The private zone the record names no longer exists, and these credentials cannot look."""


@contextmanager
def _recorded_zone_gone(run: Run, zone_id: str) -> Iterator[None]:
    """As the EAS role (no PrivateZone read), a write refused with ``Zone.NotExists`` on the zone
    an earlier run recorded means it was deleted since: say so, and how to recover."""
    try:
        yield
    except NotFoundError as error:
        if not (run.as_role and zone_id == _record_entry(run, "private-zone").get("id")):
            raise
        raise RecordedZoneGoneError(
            f"the private zone {zone_id} ({run.spec.private_zone.name}) in the resource-group record "
            "no longer exists; the EAS role may not read PrivateZone, so this run could not see that. "
            "Onboard once with the account owner's credentials: that adds a new zone and its records"
        ) from error


@step("private-zone", "private-zone-{run.spec.private_zone.name}")
def ensure_private_zone(run: Run) -> Found:
    """Add the zone (its token recorded before the call) and bind our VPC, keeping other bindings.

    The owner reads the zone; the role, which cannot, trusts the record (id and bindings).
    """
    spec = run.spec
    entry = _record_entry(run, "private-zone")
    zone_id, token = entry.get("id"), entry.get("client_token")
    bound = tuple(ZoneVpc(**v) for v in entry.get("bound", []))
    if zone_id and not run.as_role:
        info = run.read(privatezone.describe_zone_info, zone_id=zone_id)
        if info is None:  # deleted behind our back: a new zone needs a new token (the old one replays it)
            replaced = [*entry.get("replaced", []), zone_id]
            _remember_now(run, "private-zone", id=None, client_token=None, replaced=replaced)
            zone_id, token = None, None
        bound = info.bound_vpcs if info is not None else ()
    if not zone_id:
        zone_id = _add_zone(run, token)
        if zone_id is None:
            run.mutate(privatezone.bind_zone_vpc, f"bind {spec.vpc_id} to {spec.private_zone.name}")
            return Found("private zone", "(new)", spec.private_zone.name, "planned")
        bound = ()  # a zone just added has no bindings yet (and may not be readable for a moment)
    ours = ZoneVpc(vpc_id=spec.vpc_id, region_id=spec.region)
    if ours not in bound:
        with _recorded_zone_gone(run, zone_id):
            run.mutate(
                privatezone.bind_zone_vpc,
                f"bind {spec.vpc_id} to {zone_id}",
                zone_id=zone_id,
                vpcs=[*bound, ours],
            )  # replace-all: keep every other binding
        bound = (*bound, ours)
    run.remember("private-zone", bound=[{"vpc_id": v.vpc_id, "region_id": v.region_id} for v in bound])
    return Found("private zone", zone_id, spec.private_zone.name, "bound", ", ".join(v.vpc_id for v in bound))


#: The value a plan shows for the CNAME of an endpoint that does not exist yet.
NEW_ENDPOINT_DOMAIN = "(domain of the new endpoint)"


def desired_records(run: Run, endpoints: list[EndpointResult]) -> list[tuple[str, str, str, int]]:
    """A CNAME per endpoint service to its endpoint's domain, plus the spec's records."""
    records = [
        (e.key, "CNAME", e.domain or NEW_ENDPOINT_DOMAIN, 60) for e in endpoints if e.domain or run.dry_run
    ]
    records += [(r.rr, r.type, r.value, r.ttl) for r in run.spec.private_zone.records]
    return records


@step("zone-records", "zone-records-{run.spec.private_zone.name}")
def ensure_zone_records(run: Run, zone: Found, endpoints: list[EndpointResult]) -> list[Found]:
    """Add the records the zone lacks (identical ones count as done); a plan lists each addition."""
    done = set(_record_entry(run, "zone-records").get("records", []))
    if zone.state != "planned" and not run.as_role:
        done = {
            f"{r.rr}|{r.record_type}|{r.value}"
            for r in run.read(privatezone.describe_zone_records, zone_id=zone.id) or []
        }
    found = []
    for rr, kind, value, ttl in desired_records(run, endpoints):
        key = f"{rr}|{kind}|{value}"
        state = "ENABLE"
        if key not in done:
            with _recorded_zone_gone(run, zone.id):
                run.mutate(
                    privatezone.add_zone_record,
                    f"add record {rr} {kind} {value}",
                    zone_id=zone.id,
                    rr=rr,
                    record_type=kind,
                    value=value,
                    ttl=ttl,
                    client_token=run.token(f"record-{key}"),
                )
            done.add(key)
            state = "planned" if run.dry_run else state
        found.append(Found("zone record", rr, f"{rr}.{zone.name}", state, f"{kind} {value}"))
    run.remember("zone-records", records=sorted(done))
    return found


# ---- Simple Log Service ----------------------------------------------------------------------------


def _ensure(
    run: Run, what: str, get: Any, create: Any, get_args: dict[str, Any], create_args: dict[str, Any]
) -> str:
    """Read; create when absent.  Returns the state for the summary."""
    if run.read(get, **get_args) is not None:
        return "exists"
    run.mutate(create, f"create {what}", **create_args)
    return "planned" if run.dry_run else "created"


def _needs_apply(run: Run, states: list[tuple[str, str, str]], applied: str) -> bool:
    """Whether the Logtail config must be applied to the machine group.

    A config or group that this run created is not applied yet.  Otherwise the group's applied
    configs are read back; only when these credentials may not read them (the EAS role) does the
    record decide, and only for the same project.
    """
    log = run.spec.log
    if any(kind in ("machine group", "logtail config") and state != "exists" for kind, _, state in states):
        return True
    read, configs = _read_unless_role(
        run, sls.get_machine_group_applied_configs, project=log.project, group_name=log.machine_group
    )
    if read:
        return log.logtail.config_name not in (configs or ())
    entry = _record_entry(run, "logs")
    return not (entry.get("applied") == applied and entry.get("project") == log.project)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _index_body(keys: list[str]) -> dict[str, Any]:
    return {
        "line": {
            "token": [
                ",",
                " ",
                "'",
                '"',
                ";",
                "=",
                "(",
                ")",
                "[",
                "]",
                "{",
                "}",
                "?",
                "@",
                "&",
                "<",
                ">",
                "/",
                ":",
                "\n",
                "\t",
                "\r",
            ],
            "caseSensitive": False,
            "chn": False,
        },
        "keys": {
            k: {"type": "text", "token": [" "], "caseSensitive": False, "doc_value": True} for k in keys
        },
    }


def _logtail_body(run: Run) -> dict[str, Any]:
    log = run.spec.log
    return {
        "configName": log.logtail.config_name,
        "inputType": "file",
        "inputDetail": {
            "logType": "common_reg_log",
            "logPath": log.logtail.log_path,
            "filePattern": log.logtail.file_pattern,
            "localStorage": True,
            "regex": "(.*)",
            "key": ["content"],
            "timeFormat": "",
            "topicFormat": "none",
        },
        "outputType": "LogService",
        "outputDetail": {"logstoreName": log.logstore},
    }


@step("logs", "logs-{run.spec.log.project}")
def ensure_logs(run: Run) -> list[Found]:
    """Project -> logstore -> index -> machine group -> Logtail config -> applied to the group."""
    log, p = run.spec.log, run.spec.log.project
    states = [
        (
            "log project",
            p,
            _ensure(
                run,
                f"log project {p}",
                sls.get_project,
                sls.create_project,
                {"project": p},
                {"project": p, "description": f"eas-rg {run.spec.name}"},
            ),
        ),
        (
            "logstore",
            log.logstore,
            _ensure(
                run,
                f"logstore {log.logstore}",
                sls.get_log_store,
                sls.create_log_store,
                {"project": p, "logstore": log.logstore},
                {
                    "project": p,
                    "logstore": log.logstore,
                    "ttl": log.retention_days,
                    "shard_count": log.shards,
                },
            ),
        ),
        (
            "index",
            log.logstore,
            _ensure(
                run,
                f"index on {log.logstore}",
                sls.get_index,
                sls.create_index,
                {"project": p, "logstore": log.logstore},
                {"project": p, "logstore": log.logstore, "index": _index_body(log.index_keys)},
            ),
        ),
        (
            "machine group",
            log.machine_group,
            _ensure(
                run,
                f"machine group {log.machine_group}",
                sls.get_machine_group,
                sls.create_machine_group,
                {"project": p, "group_name": log.machine_group},
                {"project": p, "group_name": log.machine_group, "machine_list": log.machine_ids},
            ),
        ),
        (
            "logtail config",
            log.logtail.config_name,
            _ensure(
                run,
                f"Logtail config {log.logtail.config_name}",
                sls.get_config,
                sls.create_config,
                {"project": p, "config_name": log.logtail.config_name},
                {"project": p, "config": _logtail_body(run)},
            ),
        ),
    ]
    applied = f"{log.logtail.config_name}->{log.machine_group}"
    if _needs_apply(run, states, applied):
        run.mutate(
            sls.apply_config_to_group,
            f"apply {log.logtail.config_name} to {log.machine_group}",
            project=p,
            config_name=log.logtail.config_name,
            group_name=log.machine_group,
        )
    run.remember("logs", project=p, logstore=log.logstore, applied=applied)
    found = [Found(kind, name, name, state) for kind, name, state in states]
    found.append(Found("applied config", applied, applied, "planned" if run.dry_run else "applied"))
    return found


# ---- cluster access ----------------------------------------------------------------------------------


@step("cluster-access", "cluster-access-{run.spec.cluster_id}")
def ensure_cluster_access(run: Run) -> Found:
    """The user kubeconfig (intranet endpoint), kept as a Prefect Secret block."""
    spec = run.spec
    if run.dry_run:
        return Found(
            "kubeconfig secret", ack.kubeconfig_block_name(spec.name, spec.region), spec.cluster_id, "planned"
        )
    saved = run.read(
        ack.save_cluster_kubeconfig, cluster_id=spec.cluster_id, resource_group=spec.name, region=spec.region
    )
    # the health check warns ahead of this expiry (read from the record)
    run.remember("cluster-access", block=saved.block_name, expiration=saved.expiration or None)
    detail = "Prefect Secret block" + (f", expires {saved.expiration}" if saved.expiration else "")
    return Found("kubeconfig secret", saved.block_name, spec.cluster_id, "stored", detail)
