"""Simple Log Service projects, logstores, indexes, routes and persistence (handlers, no sockets)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emulator.services.sls import SERVICE
from emulator.services.sls.models import SlsStore, seed
from emulator.services.sls.routes import resolve_action, resource_arn
from tests.unit.sls_world import (
    FOREIGN,
    INDEX,
    LOGSTORE,
    OWNER,
    T0,
    WORLD_FILE,
    StubWorld,
    call,
    fails,
    make_ready,
    run,
)


@pytest.fixture
def world() -> StubWorld:
    return StubWorld()


@pytest.fixture
def ready(world: StubWorld) -> StubWorld:
    return make_ready(world)


# ------------------------------------------------------------------------------ projects


def test_get_project_returns_every_field_the_sdk_requires(ready: StubWorld) -> None:
    body = run(ready, "GetProject")
    required = {"projectName", "description", "status", "region", "owner", "createTime", "lastModifyTime"}
    assert required <= set(body) and body["owner"] == OWNER and body["region"] == "cn-hangzhou"


def test_create_project_invalid_name_is_project_info_invalid(world: StubWorld) -> None:
    error = fails(world, "CreateProject", "Eas_Bad", body={"projectName": "Eas_Bad"})
    assert (error.code, error.status) == ("ProjectInfoInvalid", 400)


def test_create_project_name_of_another_account_already_exists(world: StubWorld) -> None:
    error = fails(world, "CreateProject", "eas-taken-by-another-account", body={})
    assert (error.code, error.status) == ("ProjectAlreadyExist", 400)


def test_get_project_of_another_account_is_unauthorized(world: StubWorld) -> None:
    error = fails(world, "GetProject", "eas-taken-by-another-account")
    assert (error.code, error.status) == ("Unauthorized", 401)
    assert f":{FOREIGN}:project/eas-taken-by-another-account" in error.message


def test_get_project_from_another_region_does_not_exist(ready: StubWorld) -> None:
    error = fails(ready, "GetProject", region="cn-shanghai")
    assert (error.code, error.status) == ("ProjectNotExist", 404)


def test_get_project_during_creation_lag_does_not_exist(world: StubWorld) -> None:
    world.pace.set("fast")
    run(world, "CreateProject", body={})
    assert fails(world, "GetProject", now=T0 + 0.1).code == "ProjectNotExist"
    assert run(world, "GetProject", now=T0 + 0.25)["projectName"] == "eas-p1"


def test_create_project_during_creation_lag_already_exists(world: StubWorld) -> None:
    world.pace.set("fast")
    run(world, "CreateProject", body={})
    assert fails(world, "CreateProject", body={}, now=T0 + 0.01).code == "ProjectAlreadyExist"


def test_list_project_shows_only_the_callers_projects(ready: StubWorld) -> None:
    body = run(ready, "ListProject", None, params={"offset": "0", "size": "100"})
    assert [p["projectName"] for p in body["projects"]] == ["eas-p1"] and body["total"] == 1


def test_create_project_beyond_quota_is_refused(world: StubWorld) -> None:
    for n in range(50):
        run(world, "CreateProject", f"eas-q{n:02d}", body={})
    assert fails(world, "CreateProject", "eas-q50", body={}).code == "ProjectQuotaExceed"


def test_delete_project_removes_everything_in_it(ready: StubWorld) -> None:
    run(ready, "DeleteProject")
    assert set(ready.sls.projects) == {"eas-taken-by-another-account"}
    assert not ready.sls.logstores and not ready.sls.configs and not ready.sls.machine_groups


def test_delete_project_frees_the_name_at_once(ready: StubWorld) -> None:
    run(ready, "DeleteProject")
    run(ready, "CreateProject", body={})
    assert run(ready, "GetProject")["projectName"] == "eas-p1"


# ------------------------------------------------------------------------------ logstores


def test_get_log_store_returns_every_field_the_sdk_requires(ready: StubWorld) -> None:
    body = run(ready, "GetLogStore", params={"logstore": "eas-ls"})
    assert {
        "logstoreName",
        "ttl",
        "shardCount",
        "enable_tracking",
        "appendMeta",
        "autoSplit",
        "maxSplitShard",
    } <= set(body)
    assert (body["ttl"], body["shardCount"]) == (30, 2)


@pytest.mark.parametrize(
    "change",
    [
        {"ttl": 0},
        {"ttl": 3651},
        {"shardCount": 0},
        {"logstoreName": "A_bad"},
        {"logstoreName": "ab"},
        {"autoSplit": "yes"},
    ],
)
def test_create_log_store_invalid_field_is_log_store_info_invalid(
    ready: StubWorld, change: dict[str, Any]
) -> None:
    error = fails(ready, "CreateLogStore", body={**LOGSTORE, "logstoreName": "eas-other", **change})
    assert (error.code, error.status) == ("LogStoreInfoInvalid", 400)


def test_create_log_store_twice_already_exists(ready: StubWorld) -> None:
    error = fails(ready, "CreateLogStore", body=LOGSTORE)
    assert (error.code, error.status) == ("LogStoreAlreadyExist", 400)


def test_get_log_store_during_creation_lag_does_not_exist(ready: StubWorld) -> None:
    ready.pace.set("instant", {"sls.logstore.visible": 5.0})
    run(ready, "CreateLogStore", body={**LOGSTORE, "logstoreName": "eas-late"})
    assert fails(ready, "GetLogStore", params={"logstore": "eas-late"}, now=T0 + 4).code == "LogStoreNotExist"
    assert (
        run(ready, "GetLogStore", params={"logstore": "eas-late"}, now=T0 + 5)["logstoreName"] == "eas-late"
    )


def test_list_log_stores_hides_logstores_still_in_creation_lag(ready: StubWorld) -> None:
    ready.pace.set("instant", {"sls.logstore.visible": 5.0})
    run(ready, "CreateLogStore", body={**LOGSTORE, "logstoreName": "eas-late"})
    assert run(ready, "ListLogStores")["logstores"] == ["eas-ls"]


def test_delete_log_store_used_by_a_config_is_refused(ready: StubWorld) -> None:
    error = fails(ready, "DeleteLogStore", params={"logstore": "eas-ls"})
    assert (error.code, error.status) == ("ParameterInvalid", 400) and "eas-cfg" in error.message


def test_delete_log_store_without_configs_succeeds(ready: StubWorld) -> None:
    run(ready, "DeleteConfig", params={"configName": "eas-cfg"})
    run(ready, "DeleteLogStore", params={"logstore": "eas-ls"})
    assert fails(ready, "GetLogStore", params={"logstore": "eas-ls"}).code == "LogStoreNotExist"


def test_create_log_store_beyond_quota_is_refused(ready: StubWorld) -> None:
    for n in range(199):
        run(ready, "CreateLogStore", body={**LOGSTORE, "logstoreName": f"ls-{n:03d}"})
    assert (
        fails(ready, "CreateLogStore", body={**LOGSTORE, "logstoreName": "ls-999"}).code
        == "ProjectQuotaExceed"
    )


# ------------------------------------------------------------------------------ indexes


def test_get_index_returns_the_stored_index(ready: StubWorld) -> None:
    body = run(ready, "GetIndex", params={"logstore": "eas-ls"})
    assert body["line"]["token"] == [",", " "] and body["ttl"] == 30


def test_create_index_twice_already_exists(ready: StubWorld) -> None:
    assert fails(ready, "CreateIndex", params={"logstore": "eas-ls"}, body=INDEX).code == "IndexAlreadyExist"


def test_get_index_after_delete_is_index_config_not_exist_400(ready: StubWorld) -> None:
    run(ready, "DeleteIndex", params={"logstore": "eas-ls"})
    error = fails(ready, "GetIndex", params={"logstore": "eas-ls"})
    assert (error.code, error.status) == ("IndexConfigNotExist", 400)


def test_delete_index_without_index_is_parameter_invalid(ready: StubWorld) -> None:
    run(ready, "DeleteIndex", params={"logstore": "eas-ls"})
    error = fails(ready, "DeleteIndex", params={"logstore": "eas-ls"})
    assert (error.code, error.message) == ("ParameterInvalid", "Log store index not created.")


def test_create_index_with_unknown_key_type_is_index_info_invalid(ready: StubWorld) -> None:
    run(ready, "DeleteIndex", params={"logstore": "eas-ls"})
    error = fails(ready, "CreateIndex", params={"logstore": "eas-ls"}, body={"keys": {"k": {"type": "blob"}}})
    assert error.code == "IndexInfoInvalid"


# ------------------------------------------------------------------------------ routes, ARNs, persistence


def test_resolve_action_get_root_depends_on_the_project() -> None:
    assert resolve_action("GET", "/", None) == ("ListProject", {})
    assert resolve_action("GET", "/", "eas-p1") == ("GetProject", {})
    assert resolve_action("POST", "/logstores/eas-ls/logs", "eas-p1") == (
        "GetLogStoreLogs",
        {"logstore": "eas-ls"},
    )


@pytest.mark.parametrize(
    ("action", "params", "body", "suffix"),
    [
        ("GetProject", {}, None, "project/eas-p1"),
        ("CreateLogStore", {}, {"logstoreName": "eas-ls"}, "project/eas-p1/logstore/eas-ls"),
        ("GetLogStoreLogs", {"logstore": "eas-ls"}, None, "project/eas-p1/logstore/eas-ls"),
        ("GetIndex", {"logstore": "eas-ls"}, None, "project/eas-p1/logstore/eas-ls"),
        ("CreateConfig", {}, {"configName": "eas-cfg"}, "project/eas-p1/logtailconfig/eas-cfg"),
        ("ApplyConfigToGroup", {"groupName": "g", "configName": "c"}, None, "project/eas-p1/machinegroup/g"),
        ("ListLogStores", {}, None, "project/eas-p1/logstore/*"),
    ],
)
def test_resource_arn_names_the_resource(action: str, params: dict[str, str], body: Any, suffix: str) -> None:
    assert resource_arn(call(action, params=params, body=body)) == f"acs:log:cn-hangzhou:{OWNER}:{suffix}"


def test_resource_arn_list_project_is_every_project() -> None:
    assert resource_arn(call("ListProject", None)) == f"acs:log:cn-hangzhou:{OWNER}:project/*"


def test_service_spec_serves_every_role_action() -> None:
    role = {
        "GetProject",
        "CreateProject",
        "DeleteProject",
        "GetLogStore",
        "CreateLogStore",
        "DeleteLogStore",
        "GetIndex",
        "CreateIndex",
        "DeleteIndex",
        "GetConfig",
        "CreateConfig",
        "DeleteConfig",
        "GetMachineGroup",
        "CreateMachineGroup",
        "DeleteMachineGroup",
        "GetLogStoreLogs",
        "ApplyConfigToGroup",
    }
    assert role <= set(SERVICE.actions)
    assert SERVICE.ram_action("GetLogStoreLogs") == "log:GetLogStoreLogs"


def test_dump_and_load_round_trip_through_json(ready: StubWorld) -> None:
    ready.pace.set("fast")
    run(ready, "CreateLogStore", body={**LOGSTORE, "logstoreName": "eas-late"})
    dumped = json.loads(json.dumps(ready.sls.dump()))
    assert SlsStore.load(dumped).dump() == dumped


def test_seed_gives_the_foreign_account_its_project() -> None:
    store = SlsStore()
    seed(store, json.loads(WORLD_FILE.read_text()), None)
    project = store.projects["eas-taken-by-another-account"]
    assert (project.owner, project.region) == (FOREIGN, "cn-hangzhou")
