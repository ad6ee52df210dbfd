"""Simple Log Service state: projects, logstores and their indexes, Logtail configs, machine groups.

One store serves the whole world (``scope="global"``) because project names are unique across
every account.  Records carry their owner account and region; a project is reachable only from
its owner's account, through its own region's endpoint.

Read-after-write lag: a new project answers ``ProjectNotExist`` to every project-scoped call
until ``sls.project.visible`` seconds have passed, and a new logstore ``LogStoreNotExist`` to
every logstore-scoped call until ``sls.logstore.visible`` (the official samples wait after both
creates).  The lag is a lazy ``visible`` transition (:func:`emulator.core.api.schedule`).

Logtail configs and machine groups live in :mod:`emulator.services.sls.logtail`, log queries in
:mod:`emulator.services.sls.logs`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from emulator.core.api import Record, record_to_dict, schedule, settle
from emulator.services.sls import naming
from emulator.services.sls.errors import (
    IndexAlreadyExistError,
    IndexConfigNotExistError,
    IndexNotCreatedError,
    LogStoreAlreadyExistError,
    LogStoreInUseError,
    LogStoreNotExistError,
    ProjectAlreadyExistError,
    ProjectNotExistError,
    ProjectNotOwnedError,
    QuotaExceedError,
)


@dataclass
class Project(Record):
    name: str
    owner: str
    region: str
    description: str = ""
    resource_group_id: str = ""
    data_redundancy_type: str = "LRS"
    create_time: int = 0
    last_modify_time: int = 0
    visible: bool = True


@dataclass
class LogStore(Record):
    project: str
    name: str
    ttl: int = 30
    shard_count: int = 2
    enable_tracking: bool = False
    auto_split: bool = True
    max_split_shard: int = 64
    append_meta: bool = False
    # Optional fields echoed back only when they were sent: telemetryType, hot_ttl, mode ...
    options: dict[str, Any] = field(default_factory=dict)
    index: dict[str, Any] | None = None
    index_modify_time: int = 0
    logs: list[dict[str, str]] = field(default_factory=list)
    create_time: int = 0
    last_modify_time: int = 0
    visible: bool = True


@dataclass
class LogtailConfig(Record):
    project: str
    name: str
    detail: dict[str, Any]  # the body as sent: configName, inputType, inputDetail, outputDetail ...
    create_time: int = 0
    last_modify_time: int = 0


@dataclass
class MachineGroup(Record):
    project: str
    name: str
    detail: dict[str, Any]  # groupName, groupType, groupAttribute, machineIdentifyType, machineList
    applied_configs: list[str] = field(default_factory=list)
    create_time: int = 0
    last_modify_time: int = 0


def child_key(project: str, name: str) -> str:
    """Key of a project's child resource; ``/`` never occurs in a valid name."""
    return f"{project}/{name}"


def _become_visible(record: Project | LogStore, now: float, lag: float) -> None:
    if lag > 0:
        record.visible = False
        schedule(record, now + lag, "visible", True)


class SlsStore:
    """Every SLS resource in the world, keyed by project name (then ``project/child``)."""

    def __init__(self) -> None:
        self.projects: dict[str, Project] = {}
        self.logstores: dict[str, LogStore] = {}
        self.configs: dict[str, LogtailConfig] = {}
        self.machine_groups: dict[str, MachineGroup] = {}

    # ---------------------------------------------------------------- persistence

    def dump(self) -> dict[str, Any]:
        return {
            "projects": {k: record_to_dict(v) for k, v in self.projects.items()},
            "logstores": {k: record_to_dict(v) for k, v in self.logstores.items()},
            "configs": {k: record_to_dict(v) for k, v in self.configs.items()},
            "machine_groups": {k: record_to_dict(v) for k, v in self.machine_groups.items()},
        }

    @classmethod
    def load(cls, data: dict[str, Any]) -> SlsStore:
        store = cls()
        store.projects = {k: Project(**v) for k, v in data.get("projects", {}).items()}
        store.logstores = {k: LogStore(**v) for k, v in data.get("logstores", {}).items()}
        store.configs = {k: LogtailConfig(**v) for k, v in data.get("configs", {}).items()}
        store.machine_groups = {k: MachineGroup(**v) for k, v in data.get("machine_groups", {}).items()}
        return store

    def settle_all(self, now: float) -> None:
        """Apply every due lag, so a snapshot shows what the API would answer now."""
        for record in [*self.projects.values(), *self.logstores.values()]:
            settle(record, now)

    # ---------------------------------------------------------------- projects

    def create_project(self, name: str, owner: str, region: str, now: float, lag: float = 0.0,
                       description: str = "", resource_group_id: str = "",
                       data_redundancy_type: str = "LRS") -> Project:
        if name in self.projects:
            raise ProjectAlreadyExistError(name)
        owned = [p for p in self.projects.values() if p.owner == owner and p.region == region]
        if len(owned) >= naming.PROJECTS_PER_ACCOUNT_REGION:
            raise QuotaExceedError(f"project quota exceed, at most {naming.PROJECTS_PER_ACCOUNT_REGION} "
                                   f"projects per account in {region}")
        project = Project(name=name, owner=owner, region=region, description=description,
                          resource_group_id=resource_group_id, data_redundancy_type=data_redundancy_type,
                          create_time=int(now), last_modify_time=int(now))
        _become_visible(project, now, lag)
        self.projects[name] = project
        return project

    def project(self, name: str, account_id: str, region: str, now: float,
                action: str = "GetProject") -> Project:
        """The caller's visible project, or the error the service answers for it."""
        project = self.projects.get(name)
        if project is None or project.region != region:
            raise ProjectNotExistError(name)
        if project.owner != account_id:
            raise ProjectNotOwnedError(action, f"acs:log:{region}:{project.owner}:project/{name}")
        settle(project, now)
        if not project.visible:
            raise ProjectNotExistError(name)
        return project

    def list_projects(self, account_id: str, region: str, now: float) -> list[Project]:
        found = []
        for project in sorted(self.projects.values(), key=lambda p: p.name):
            settle(project, now)
            if project.owner == account_id and project.region == region and project.visible:
                found.append(project)
        return found

    def delete_project(self, name: str) -> None:
        """Delete a project and everything in it (logstores, indexes, logs, configs, groups)."""
        self.projects.pop(name, None)
        prefix = f"{name}/"
        for table in (self.logstores, self.configs, self.machine_groups):
            for key in [k for k in table if k.startswith(prefix)]:
                del table[key]

    # ---------------------------------------------------------------- logstores

    def create_logstore(self, project: str, logstore: LogStore, now: float, lag: float = 0.0) -> LogStore:
        key = child_key(project, logstore.name)
        if key in self.logstores:
            raise LogStoreAlreadyExistError(logstore.name)
        if len(self.project_logstores(project)) >= naming.LOGSTORES_PER_PROJECT:
            raise QuotaExceedError(f"logstore quota exceed, at most {naming.LOGSTORES_PER_PROJECT} "
                                   f"logstores per project")
        logstore.create_time = logstore.last_modify_time = int(now)
        _become_visible(logstore, now, lag)
        self.logstores[key] = logstore
        return logstore

    def logstore(self, project: str, name: str, now: float) -> LogStore:
        logstore = self.logstores.get(child_key(project, name))
        if logstore is None:
            raise LogStoreNotExistError(name)
        settle(logstore, now)
        if not logstore.visible:
            raise LogStoreNotExistError(name)
        return logstore

    def project_logstores(self, project: str) -> list[LogStore]:
        prefix = f"{project}/"
        return [v for k, v in sorted(self.logstores.items()) if k.startswith(prefix)]

    def visible_logstores(self, project: str, now: float) -> list[LogStore]:
        """The project's logstores past their creation lag (what ListLogStores shows)."""
        found = []
        for logstore in self.project_logstores(project):
            settle(logstore, now)
            if logstore.visible:
                found.append(logstore)
        return found

    def delete_logstore(self, project: str, name: str, now: float) -> None:
        """Refused while a Logtail config still ships to it (documented prerequisite)."""
        logstore = self.logstore(project, name, now)
        users = [c.name for c in self.project_configs(project)
                 if c.detail.get("outputDetail", {}).get("logstoreName") == logstore.name]
        if users:
            raise LogStoreInUseError(name, users)
        del self.logstores[child_key(project, name)]

    # ---------------------------------------------------------------- indexes

    def create_index(self, project: str, name: str, index: dict[str, Any], now: float) -> None:
        logstore = self.logstore(project, name, now)
        if logstore.index is not None:
            raise IndexAlreadyExistError()
        logstore.index = index
        logstore.index_modify_time = int(now)

    def get_index(self, project: str, name: str, now: float) -> dict[str, Any]:
        logstore = self.logstore(project, name, now)
        if logstore.index is None:
            raise IndexConfigNotExistError()
        return {**logstore.index, "ttl": logstore.ttl, "lastModifyTime": logstore.index_modify_time}

    def delete_index(self, project: str, name: str, now: float) -> None:
        logstore = self.logstore(project, name, now)
        if logstore.index is None:
            raise IndexNotCreatedError()
        logstore.index = None

    # ---------------------------------------------------------------- admin (control API)

    def admin_put_logs(self, project: str, logstore: str, logs: list[dict[str, Any]],
                       now: float | None = None) -> dict[str, Any]:
        """Store ``logs`` in a logstore as Logtail would have shipped them (no lag, no index needed).

        Each log is a flat map; ``__time__`` (epoch seconds, default now), ``__source__`` and
        ``__topic__`` are the special fields, every other key a content field.
        """
        record = self.logstores.get(child_key(project, logstore))
        if record is None:
            raise ValueError(f"no logstore {logstore!r} in project {project!r}")
        moment = time.time() if now is None else now
        record.logs.extend(normalise_log(log, moment) for log in logs)
        return {"project": project, "logstore": logstore, "stored": len(logs), "total": len(record.logs)}

    # ---------------------------------------------------------------- children of a project

    def project_configs(self, project: str) -> list[LogtailConfig]:
        prefix = f"{project}/"
        return [v for k, v in sorted(self.configs.items()) if k.startswith(prefix)]

    def project_machine_groups(self, project: str) -> list[MachineGroup]:
        prefix = f"{project}/"
        return [v for k, v in sorted(self.machine_groups.items()) if k.startswith(prefix)]


def normalise_log(log: Any, now: float) -> dict[str, str]:
    """A log as stored: string values, ``__time__`` in epoch seconds (now if absent)."""
    if not isinstance(log, dict):
        raise ValueError(f"a log must be a dict of field to value, not {type(log).__name__}")
    stored = {str(k): str(v) for k, v in log.items()}
    stored["__time__"] = str(int(float(stored.get("__time__", now))))
    stored.setdefault("__source__", "127.0.0.1")
    return stored


def seed(store: SlsStore, world: dict[str, Any], region: str | None) -> None:
    """Projects the world file gives each account (``sls_projects``: names or ``{name, region}``).

    The store is global, so ``world`` is the whole world document (one account's section is
    accepted too).  Seeded projects are visible at once; seeding twice changes nothing.
    """
    accounts = world.get("accounts", [world])
    for account in accounts:
        regions = list(account.get("regions", {})) or ["cn-hangzhou"]
        for entry in account.get("sls_projects", []):
            spec = {"name": entry} if isinstance(entry, str) else dict(entry)
            if spec["name"] in store.projects:
                continue
            store.projects[spec["name"]] = Project(
                name=spec["name"], owner=str(account["account_id"]),
                region=spec.get("region", region or regions[0]), description=spec.get("description", ""))
