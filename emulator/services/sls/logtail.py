"""Logtail configs and machine groups of a project, and which configs are applied to which group.

Deletion semantics (decided from the API pages; see docs/design.md):

* deleting a config that is applied to machine groups is allowed; the config silently leaves
  every group it was applied to (the DeleteConfig page: "if the config is applied to a machine
  group, you cannot collect data from the machine group after you delete it");
* deleting a machine group with applied configs is allowed; the configs are disassociated and
  remain (the DeleteMachineGroup page says so);
* deleting a logstore that a config ships to is refused (:meth:`SlsStore.delete_logstore`).

Applying an already-applied config, or removing one that is not applied, succeeds and changes
nothing: both calls are PUT/DELETE of one association.
"""

from __future__ import annotations

from typing import Any

from emulator.services.sls import naming
from emulator.services.sls.errors import (
    ConfigAlreadyExistError,
    ConfigNotExistError,
    InvalidConfigError,
    InvalidGroupError,
    MachineGroupAlreadyExistError,
    MachineGroupNotExistError,
    QuotaExceedError,
)
from emulator.services.sls.models import LogtailConfig, MachineGroup, SlsStore, child_key

# ---------------------------------------------------------------------------- configs


def validate_config(body: Any) -> dict[str, Any]:
    """The CreateConfig body, checked for what Logtail and the SDK need to read it back."""
    if not isinstance(body, dict):
        raise InvalidConfigError("the body must be a JSON object")
    name = body.get("configName")
    if not isinstance(name, str) or not naming.valid_config_name(name):
        raise InvalidConfigError(f"config name {name!r} is invalid")
    if body.get("inputType") not in naming.INPUT_TYPES:
        raise InvalidConfigError(f"inputType must be one of {', '.join(naming.INPUT_TYPES)}")
    if not isinstance(body.get("inputDetail"), dict):
        raise InvalidConfigError("inputDetail must be a JSON object")
    output = body.get("outputDetail")
    if not isinstance(output, dict) or not isinstance(output.get("logstoreName"), str):
        raise InvalidConfigError("outputDetail.logstoreName is required")
    if body["inputType"] == "file" and "logType" not in body["inputDetail"]:
        raise InvalidConfigError("inputDetail.logType is required for file input")
    return body


def create_config(store: SlsStore, project: str, detail: dict[str, Any], now: float) -> LogtailConfig:
    """Create a config; the caller has checked that its output logstore exists and is visible."""
    name = detail["configName"]
    key = child_key(project, name)
    if key in store.configs:
        raise ConfigAlreadyExistError(name)
    if len(store.project_configs(project)) >= naming.CONFIGS_PER_PROJECT:
        raise QuotaExceedError(f"config quota exceed, at most {naming.CONFIGS_PER_PROJECT} "
                               f"logtail configs per project")
    config = LogtailConfig(project=project, name=name, detail=detail, create_time=int(now),
                           last_modify_time=int(now))
    store.configs[key] = config
    return config


def get_config(store: SlsStore, project: str, name: str) -> LogtailConfig:
    config = store.configs.get(child_key(project, name))
    if config is None:
        raise ConfigNotExistError(name)
    return config


def config_view(config: LogtailConfig) -> dict[str, Any]:
    return {**config.detail, "createTime": config.create_time, "lastModifyTime": config.last_modify_time}


def delete_config(store: SlsStore, project: str, name: str) -> None:
    """Delete a config and take it off every machine group it was applied to."""
    get_config(store, project, name)
    del store.configs[child_key(project, name)]
    for group in store.project_machine_groups(project):
        if name in group.applied_configs:
            group.applied_configs.remove(name)


# ---------------------------------------------------------------------------- machine groups


def validate_group(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise InvalidGroupError("the body must be a JSON object")
    name = body.get("groupName")
    if not isinstance(name, str) or not naming.valid_machine_group_name(name):
        raise InvalidGroupError(f"group name {name!r} is invalid")
    if body.get("machineIdentifyType") not in naming.MACHINE_IDENTIFY_TYPES:
        raise InvalidGroupError("machineIdentifyType must be ip or userdefined")
    machines = body.get("machineList")
    if not isinstance(machines, list) or not all(isinstance(m, str) for m in machines):
        raise InvalidGroupError("machineList must be a list of strings")
    if not isinstance(body.get("groupAttribute", {}), dict):
        raise InvalidGroupError("groupAttribute must be a JSON object")
    return {"groupType": "", "groupAttribute": {}, **body}


def create_machine_group(store: SlsStore, project: str, detail: dict[str, Any], now: float) -> MachineGroup:
    name = detail["groupName"]
    key = child_key(project, name)
    if key in store.machine_groups:
        raise MachineGroupAlreadyExistError(name)
    if len(store.project_machine_groups(project)) >= naming.MACHINE_GROUPS_PER_PROJECT:
        raise QuotaExceedError(f"machine group quota exceed, at most {naming.MACHINE_GROUPS_PER_PROJECT} "
                               f"machine groups per project")
    group = MachineGroup(project=project, name=name, detail=detail, create_time=int(now),
                         last_modify_time=int(now))
    store.machine_groups[key] = group
    return group


def get_machine_group(store: SlsStore, project: str, name: str) -> MachineGroup:
    group = store.machine_groups.get(child_key(project, name))
    if group is None:
        raise MachineGroupNotExistError(name)
    return group


def machine_group_view(group: MachineGroup) -> dict[str, Any]:
    return {**group.detail, "createTime": group.create_time, "lastModifyTime": group.last_modify_time}


def delete_machine_group(store: SlsStore, project: str, name: str) -> None:
    """Delete a group; the configs applied to it stay, disassociated."""
    get_machine_group(store, project, name)
    del store.machine_groups[child_key(project, name)]


def apply_config(store: SlsStore, project: str, config: str, group: str) -> None:
    target = get_machine_group(store, project, group)
    get_config(store, project, config)
    if config not in target.applied_configs:
        target.applied_configs.append(config)


def remove_config(store: SlsStore, project: str, config: str, group: str) -> None:
    target = get_machine_group(store, project, group)
    get_config(store, project, config)
    if config in target.applied_configs:
        target.applied_configs.remove(config)
