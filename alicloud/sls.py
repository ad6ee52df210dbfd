"""Simple Log Service (``aliyun.log.LogClient``): the project, logstore, index and Logtail set-up.

One function per role action (the 17 of the EAS role, plus ``RemoveConfigFromGroup`` and
``GetAppliedConfigs``), named after the RAM action as docs/design.md records
(``GetLogStoreLogs`` is the SDK's ``get_log``, ``GetAppliedConfigs`` its
``get_machine_group_applied_configs``).  Each names its resource ARN for the policy guard:
the project, or the logstore (index and logs calls too), config or machine group (apply/remove).

Project names are global across accounts: ``ProjectAlreadyExist`` may mean someone else's
project; check the owner with :func:`get_project` before adopting it.  A project or logstore just
created can be invisible for a moment: the child creates retry ``ProjectNotExist`` /
``LogStoreNotExist`` within the deadline (see :mod:`alicloud.error_codes`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aliyun.log import IndexConfig, LogClient, MachineGroupDetail
from aliyun.log.logtail_config_detail import LogtailConfigGenerator

from alicloud import parse
from alicloud.clients import Clients
from alicloud.guard import log_resource
from alicloud.invoke import Operation, invoke

PRODUCT = "sls"
T = TypeVar("T")


@dataclass(frozen=True)
class Project:
    project_name: str
    description: str
    status: str
    region: str
    owner: str  # the owning account: check it before adopting a project found by name


@dataclass(frozen=True)
class LogStore:
    logstore_name: str
    ttl: int
    shard_count: int


@dataclass(frozen=True)
class Index:
    keys: tuple[str, ...]
    full_text: bool  # a "line" (full-text) index exists


@dataclass(frozen=True)
class LogtailConfig:
    config_name: str
    input_type: str  # file | plugin | syslog
    logstore_name: str
    log_path: str


@dataclass(frozen=True)
class MachineGroup:
    group_name: str
    identify_type: str  # ip | userdefined
    machine_list: tuple[str, ...]
    topic: str


@dataclass(frozen=True)
class LogEntry:
    time: int
    source: str
    contents: Mapping[str, str] = field(default_factory=dict)


# ---- projects ----------------------------------------------------------------------------------


def get_project(clients: Clients, *, project: str) -> Project:
    """RAM action ``log:GetProject`` on the project."""
    body = _call(clients, "GetProject", project, lambda c: c.get_project(project).get_body())
    return Project(
        parse.text(body, "projectName"),
        parse.text(body, "description"),
        parse.text(body, "status"),
        parse.text(body, "region"),
        parse.text(body, "owner"),
    )


def create_project(clients: Clients, *, project: str, description: str = "") -> None:
    """RAM action ``log:CreateProject`` on the new project."""
    _call(clients, "CreateProject", project, lambda c: c.create_project(project, description))


def delete_project(clients: Clients, *, project: str) -> None:
    """Delete the project and everything in it.  RAM action ``log:DeleteProject``."""
    _call(clients, "DeleteProject", project, lambda c: c.delete_project(project))


# ---- logstores and indexes -------------------------------------------------------------------------


def get_log_store(clients: Clients, *, project: str, logstore: str) -> LogStore:
    """RAM action ``log:GetLogStore`` on the logstore."""
    body = _call(
        clients,
        "GetLogStore",
        project,
        lambda c: c.get_logstore(project, logstore).get_body(),
        logstore=logstore,
    )
    return LogStore(
        parse.text(body, "logstoreName"), parse.number(body, "ttl"), parse.number(body, "shardCount")
    )


def create_log_store(
    clients: Clients, *, project: str, logstore: str, ttl: int = 30, shard_count: int = 2
) -> None:
    """RAM action ``log:CreateLogStore`` on the new logstore."""
    if not 1 <= ttl <= 3650:
        raise ValueError(f"ttl must be 1 to 3650 days, not {ttl}")
    _call(
        clients,
        "CreateLogStore",
        project,
        lambda c: c.create_logstore(project, logstore, ttl=ttl, shard_count=shard_count),
        logstore=logstore,
    )


def delete_log_store(clients: Clients, *, project: str, logstore: str) -> None:
    """Refused while a Logtail config still ships to it.  RAM action ``log:DeleteLogStore``."""
    _call(
        clients, "DeleteLogStore", project, lambda c: c.delete_logstore(project, logstore), logstore=logstore
    )


def get_index(clients: Clients, *, project: str, logstore: str) -> Index:
    """``IndexConfigNotExist`` (a not-found, HTTP 400) without an index.  RAM action ``log:GetIndex``."""
    body = _call(
        clients,
        "GetIndex",
        project,
        lambda c: c.get_index_config(project, logstore).get_body(),
        logstore=logstore,
    )
    keys = body.get("keys")
    return Index(tuple(sorted(keys)) if isinstance(keys, dict) else (), isinstance(body.get("line"), dict))


def create_index(clients: Clients, *, project: str, logstore: str, index: Mapping[str, Any]) -> None:
    """Create the index from its JSON form (``{"line": {...}, "keys": {...}}``).

    RAM action ``log:CreateIndex`` on the logstore.
    """
    config = IndexConfig()
    config.from_json(dict(index))
    _call(
        clients,
        "CreateIndex",
        project,
        lambda c: c.create_index(project, logstore, config),
        logstore=logstore,
    )


def delete_index(clients: Clients, *, project: str, logstore: str) -> None:
    """RAM action ``log:DeleteIndex`` on the logstore."""
    _call(clients, "DeleteIndex", project, lambda c: c.delete_index(project, logstore), logstore=logstore)


def get_log_store_logs(
    clients: Clients,
    *,
    project: str,
    logstore: str,
    from_time: int,
    to_time: int,
    query: str = "*",
    size: int = 100,
) -> list[LogEntry]:
    """Logs between two epoch seconds (the SDK's GetLogs).

    RAM action ``log:GetLogStoreLogs`` on the logstore.
    """
    response = _call(
        clients,
        "GetLogStoreLogs",
        project,
        lambda c: c.get_log(project, logstore, from_time, to_time, query=query, size=size),
        logstore=logstore,
    )
    return [
        LogEntry(int(log.get_time()), str(log.get_source() or ""), dict(log.get_contents()))
        for log in response.get_logs()
    ]


# ---- Logtail configs and machine groups ------------------------------------------------------------


def get_config(clients: Clients, *, project: str, config_name: str) -> LogtailConfig:
    """RAM action ``log:GetConfig`` on the config."""
    body = _call(
        clients,
        "GetConfig",
        project,
        lambda c: c.get_logtail_config(project, config_name).get_body(),
        config=config_name,
    )
    output, source = body.get("outputDetail") or {}, body.get("inputDetail") or {}
    return LogtailConfig(
        parse.text(body, "configName"),
        parse.text(body, "inputType"),
        parse.text(output, "logstoreName"),
        parse.text(source, "logPath"),
    )


def create_config(clients: Clients, *, project: str, config: Mapping[str, Any]) -> None:
    """Create a Logtail config from its JSON form (``configName``, ``inputType``, ``inputDetail``,
    ``outputType``, ``outputDetail.logstoreName``).  RAM action ``log:CreateConfig``.

    The SDK reads the target logstore first (``log:GetLogStore``): a missing logstore surfaces
    here as ``LogStoreNotExist``.
    """
    detail = LogtailConfigGenerator.generate_config(dict(config))  # type: ignore[no-untyped-call]
    name = str(config.get("configName", ""))
    _call(clients, "CreateConfig", project, lambda c: c.create_logtail_config(project, detail), config=name)


def delete_config(clients: Clients, *, project: str, config_name: str) -> None:
    """Also leaves every machine group it was applied to.  RAM action ``log:DeleteConfig``."""
    _call(
        clients,
        "DeleteConfig",
        project,
        lambda c: c.delete_logtail_config(project, config_name),
        config=config_name,
    )


def get_machine_group(clients: Clients, *, project: str, group_name: str) -> MachineGroup:
    """RAM action ``log:GetMachineGroup`` on the machine group."""
    body = _call(
        clients,
        "GetMachineGroup",
        project,
        lambda c: c.get_machine_group(project, group_name).get_body(),
        machine_group=group_name,
    )
    attribute = body.get("groupAttribute") or {}
    return MachineGroup(
        parse.text(body, "groupName"),
        parse.text(body, "machineIdentifyType"),
        parse.texts(body, "machineList"),
        parse.text(attribute, "groupTopic"),
    )


def create_machine_group(
    clients: Clients,
    *,
    project: str,
    group_name: str,
    machine_list: Sequence[str],
    identify_type: str = "userdefined",
    topic: str = "",
) -> None:
    """A group of machines by custom identifier (what Logtail on the nodes reports) or IP.

    RAM action ``log:CreateMachineGroup`` on the new group.
    """
    if identify_type not in ("userdefined", "ip"):
        raise ValueError(f"identify_type must be userdefined or ip, not {identify_type!r}")
    # The stub types machine_list as str; the SDK sends the list as given.
    members: Any = list(machine_list)
    detail = MachineGroupDetail(
        group_name, identify_type, members, "", {"groupTopic": topic} if topic else {}
    )
    _call(
        clients,
        "CreateMachineGroup",
        project,
        lambda c: c.create_machine_group(project, detail),
        machine_group=group_name,
    )


def delete_machine_group(clients: Clients, *, project: str, group_name: str) -> None:
    """RAM action ``log:DeleteMachineGroup`` on the machine group."""
    _call(
        clients,
        "DeleteMachineGroup",
        project,
        lambda c: c.delete_machine_group(project, group_name),
        machine_group=group_name,
    )


def apply_config_to_group(clients: Clients, *, project: str, config_name: str, group_name: str) -> None:
    """Re-applying is a success.  RAM action ``log:ApplyConfigToGroup`` on the machine group."""
    _call(
        clients,
        "ApplyConfigToGroup",
        project,
        lambda c: c.apply_config_to_machine_group(project, config_name, group_name),
        machine_group=group_name,
    )


def remove_config_from_group(clients: Clients, *, project: str, config_name: str, group_name: str) -> None:
    """RAM action ``log:RemoveConfigFromGroup`` (not in the EAS role's policy: delete the config instead)."""
    _call(
        clients,
        "RemoveConfigFromGroup",
        project,
        lambda c: c.remove_config_to_machine_group(project, config_name, group_name),
        machine_group=group_name,
    )


def get_machine_group_applied_configs(clients: Clients, *, project: str, group_name: str) -> tuple[str, ...]:
    """Names of the configs applied to the group.  RAM action ``log:GetAppliedConfigs``."""
    body = _call(
        clients,
        "GetAppliedConfigs",
        project,
        lambda c: c.get_machine_group_applied_configs(project, group_name).get_body(),
        machine_group=group_name,
    )
    return parse.texts(body, "configs")


def _call(
    clients: Clients, action: str, project: str, send: Callable[[LogClient], T], **child: str | None
) -> T:
    resource = log_resource(clients.region, project, **child)
    op = Operation(PRODUCT, action, f"log:{action}", resource)
    return invoke(clients, op, lambda: send(clients.sls))
