"""Simple Log Service handlers: one method per action, named ``snake_case(action)``.

Every project-scoped call first resolves the caller's visible project from ``call.project``
(the first label of ``Host``); logstore-scoped calls then resolve the visible logstore.  Write
calls answer an empty object, which the core sends as an empty 200 body.
"""

from __future__ import annotations

from typing import Any

from emulator.core.api import Call
from emulator.core.service import WorldView
from emulator.services.sls import logtail, naming
from emulator.services.sls.errors import (
    LogStoreInfoInvalidError,
    ProjectInfoInvalidError,
    ProjectNotExistError,
)
from emulator.services.sls.indexes import validate_index
from emulator.services.sls.logs import query_logs
from emulator.services.sls.models import LogStore, Project, SlsStore
from emulator.services.sls.routes import body_dict

PRODUCT = "sls"


def project_view(project: Project) -> dict[str, Any]:
    return {
        "projectName": project.name, "description": project.description, "status": "Normal",
        "region": project.region, "owner": project.owner, "createTime": str(project.create_time),
        "lastModifyTime": str(project.last_modify_time), "resourceGroupId": project.resource_group_id,
        "dataRedundancyType": project.data_redundancy_type, "location": "",
    }


def logstore_view(logstore: LogStore) -> dict[str, Any]:
    return {
        "logstoreName": logstore.name, "ttl": logstore.ttl, "shardCount": logstore.shard_count,
        "enable_tracking": logstore.enable_tracking, "autoSplit": logstore.auto_split,
        "maxSplitShard": logstore.max_split_shard, "appendMeta": logstore.append_meta,
        "createTime": logstore.create_time, "lastModifyTime": logstore.last_modify_time,
        **logstore.options,
    }


def _paging(call: Call, maximum: int = 500) -> tuple[int, int]:
    offset = call.params.int("offset", default=0, lo=0, code="ParameterInvalid")
    size = call.params.int("size", default=100, lo=0, hi=maximum, code="ParameterInvalid")
    assert offset is not None and size is not None
    return offset, size


class SlsHandlers:
    def __init__(self, world: WorldView):
        self.world = world
        self.store: SlsStore = world.store(PRODUCT)

    # ------------------------------------------------------------------ lookups

    def _project(self, call: Call) -> Project:
        if not call.project:
            raise ProjectNotExistError("")
        return self.store.project(call.project, call.account_id, call.region, call.now, call.action)

    def _logstore(self, call: Call) -> tuple[Project, LogStore]:
        project = self._project(call)
        return project, self.store.logstore(project.name, str(call.params.get("logstore")), call.now)

    # ------------------------------------------------------------------ projects

    def get_project(self, call: Call) -> dict[str, Any]:
        return project_view(self._project(call))

    def list_project(self, call: Call) -> dict[str, Any]:
        offset, size = _paging(call)
        pattern = call.params.str("projectName") or ""
        group = call.params.str("resourceGroupId") or ""
        found = [p for p in self.store.list_projects(call.account_id, call.region, call.now)
                 if pattern in p.name and (not group or p.resource_group_id == group)]
        page = found[offset:offset + size]
        return {"count": len(page), "total": len(found), "projects": [project_view(p) for p in page]}

    def create_project(self, call: Call) -> dict[str, Any]:
        name = call.project or ""
        body = body_dict(call)
        if not naming.valid_project_name(name):
            raise ProjectInfoInvalidError(f"project name {name!r} is invalid: 3-63 lowercase letters, "
                                          "digits or hyphens, starting and ending with a letter or digit")
        if body.get("projectName", name) != name:
            raise ProjectInfoInvalidError("projectName in the body differs from the project in Host")
        redundancy = body.get("dataRedundancyType") or "LRS"
        if redundancy not in ("LRS", "ZRS"):
            raise ProjectInfoInvalidError(f"dataRedundancyType must be LRS or ZRS, not {redundancy!r}")
        self.store.create_project(
            name, call.account_id, call.region, call.now, self.world.pace.seconds("sls.project.visible"),
            description=str(body.get("description") or ""),
            resource_group_id=str(body.get("resourceGroupId") or ""), data_redundancy_type=redundancy)
        return {}

    def delete_project(self, call: Call) -> dict[str, Any]:
        self.store.delete_project(self._project(call).name)
        return {}

    # ------------------------------------------------------------------ logstores

    def list_log_stores(self, call: Call) -> dict[str, Any]:
        project = self._project(call)
        offset, size = _paging(call)
        pattern = call.params.str("logstoreName") or ""
        names = [ls.name for ls in self.store.visible_logstores(project.name, call.now) if pattern in ls.name]
        page = names[offset:offset + size]
        return {"count": len(page), "total": len(names), "logstores": page}

    def create_log_store(self, call: Call) -> dict[str, Any]:
        project = self._project(call)
        logstore = _parse_logstore(project.name, body_dict(call))
        self.store.create_logstore(project.name, logstore, call.now,
                                   self.world.pace.seconds("sls.logstore.visible"))
        return {}

    def get_log_store(self, call: Call) -> dict[str, Any]:
        return logstore_view(self._logstore(call)[1])

    def delete_log_store(self, call: Call) -> dict[str, Any]:
        project = self._project(call)
        self.store.delete_logstore(project.name, str(call.params.get("logstore")), call.now)
        return {}

    # ------------------------------------------------------------------ indexes

    def create_index(self, call: Call) -> dict[str, Any]:
        project = self._project(call)
        index = validate_index(call.body)
        self.store.create_index(project.name, str(call.params.get("logstore")), index, call.now)
        return {}

    def get_index(self, call: Call) -> dict[str, Any]:
        project = self._project(call)
        return self.store.get_index(project.name, str(call.params.get("logstore")), call.now)

    def delete_index(self, call: Call) -> dict[str, Any]:
        project = self._project(call)
        self.store.delete_index(project.name, str(call.params.get("logstore")), call.now)
        return {}

    # ------------------------------------------------------------------ logs

    def get_log_store_logs(self, call: Call) -> dict[str, Any]:
        return query_logs(self._logstore(call)[1], call.body)

    # ------------------------------------------------------------------ Logtail configs

    def create_config(self, call: Call) -> dict[str, Any]:
        project = self._project(call)
        detail = logtail.validate_config(call.body)
        # The SDK GETs the logstore first, but the service checks it again on its own.
        self.store.logstore(project.name, detail["outputDetail"]["logstoreName"], call.now)
        logtail.create_config(self.store, project.name, detail, call.now)
        return {}

    def get_config(self, call: Call) -> dict[str, Any]:
        project = self._project(call)
        config = logtail.get_config(self.store, project.name, str(call.params.get("configName")))
        return logtail.config_view(config)

    def delete_config(self, call: Call) -> dict[str, Any]:
        project = self._project(call)
        logtail.delete_config(self.store, project.name, str(call.params.get("configName")))
        return {}

    # ------------------------------------------------------------------ machine groups

    def list_machine_group(self, call: Call) -> dict[str, Any]:
        project = self._project(call)
        offset, size = _paging(call)
        names = [g.name for g in self.store.project_machine_groups(project.name)]
        page = names[offset:offset + size]
        return {"count": len(page), "total": len(names), "machinegroups": page}

    def create_machine_group(self, call: Call) -> dict[str, Any]:
        project = self._project(call)
        logtail.create_machine_group(self.store, project.name, logtail.validate_group(call.body), call.now)
        return {}

    def get_machine_group(self, call: Call) -> dict[str, Any]:
        project = self._project(call)
        group = logtail.get_machine_group(self.store, project.name, str(call.params.get("groupName")))
        return logtail.machine_group_view(group)

    def delete_machine_group(self, call: Call) -> dict[str, Any]:
        project = self._project(call)
        logtail.delete_machine_group(self.store, project.name, str(call.params.get("groupName")))
        return {}

    def apply_config_to_group(self, call: Call) -> dict[str, Any]:
        project = self._project(call)
        logtail.apply_config(self.store, project.name, str(call.params.get("configName")),
                             str(call.params.get("groupName")))
        return {}

    def remove_config_from_group(self, call: Call) -> dict[str, Any]:
        project = self._project(call)
        logtail.remove_config(self.store, project.name, str(call.params.get("configName")),
                              str(call.params.get("groupName")))
        return {}

    def get_applied_configs(self, call: Call) -> dict[str, Any]:
        project = self._project(call)
        group = logtail.get_machine_group(self.store, project.name, str(call.params.get("groupName")))
        return {"count": len(group.applied_configs), "configs": list(group.applied_configs)}


def _flag(body: dict[str, Any], name: str, default: bool) -> bool:
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise LogStoreInfoInvalidError(f"{name} must be true or false")
    return value


def _bounded(body: dict[str, Any], name: str, default: int, bounds: tuple[int, int]) -> int:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise LogStoreInfoInvalidError(f"{name} must be an integer")
    if not bounds[0] <= value <= bounds[1]:
        raise LogStoreInfoInvalidError(f"{name} must be between {bounds[0]} and {bounds[1]}, got {value}")
    return value


_OPTIONS = ("telemetryType", "enableModify", "hot_ttl", "encrypt_conf", "mode", "infrequentAccessTTL")


def _parse_logstore(project: str, body: dict[str, Any]) -> LogStore:
    name = body.get("logstoreName")
    if not isinstance(name, str) or not naming.valid_logstore_name(name):
        raise LogStoreInfoInvalidError(f"store name {name} is invalid")
    if "ttl" not in body or "shardCount" not in body:
        raise LogStoreInfoInvalidError("ttl and shardCount are required")
    ttl = _bounded(body, "ttl", 30, naming.TTL_DAYS)
    options = {k: body[k] for k in _OPTIONS if k in body}
    if "hot_ttl" in options and not (isinstance(options["hot_ttl"], int) and 7 <= options["hot_ttl"] <= ttl):
        raise LogStoreInfoInvalidError("hot_ttl must be at least 7 and at most ttl")
    return LogStore(
        project=project, name=name, ttl=ttl,
        shard_count=_bounded(body, "shardCount", 2, naming.SHARD_COUNT),
        enable_tracking=_flag(body, "enable_tracking", False), auto_split=_flag(body, "autoSplit", True),
        max_split_shard=_bounded(body, "maxSplitShard", 64, naming.MAX_SPLIT_SHARD),
        append_meta=_flag(body, "appendMeta", False), options=options)
