"""Simple Log Service Logtail configs, machine groups and log queries (handlers, no sockets)."""

from __future__ import annotations

import pytest

from tests.unit.sls_world import CONFIG, GROUP, StubWorld, fails, make_ready, run


@pytest.fixture
def world() -> StubWorld:
    return StubWorld()


@pytest.fixture
def ready(world: StubWorld) -> StubWorld:
    return make_ready(world)


# ------------------------------------------------------------------------------ configs and groups


def test_create_config_without_its_logstore_is_log_store_not_exist(ready: StubWorld) -> None:
    body = {**CONFIG, "configName": "eas-cfg2", "outputDetail": {"logstoreName": "eas-missing"}}
    error = fails(ready, "CreateConfig", body=body)
    assert (error.code, error.status) == ("LogStoreNotExist", 404)


def test_create_config_without_output_is_invalid_parameter(ready: StubWorld) -> None:
    body = {k: v for k, v in CONFIG.items() if k != "outputDetail"} | {"configName": "eas-cfg2"}
    assert fails(ready, "CreateConfig", body=body).code == "InvalidParameter"


def test_create_config_twice_already_exists(ready: StubWorld) -> None:
    assert fails(ready, "CreateConfig", body=CONFIG).code == "ConfigAlreadyExist"


def test_create_config_beyond_quota_is_refused(ready: StubWorld) -> None:
    for n in range(99):
        run(ready, "CreateConfig", body={**CONFIG, "configName": f"cfg-{n:03d}"})
    assert fails(ready, "CreateConfig", body={**CONFIG, "configName": "cfg-999"}).code == "ProjectQuotaExceed"


def test_get_config_returns_the_stored_detail(ready: StubWorld) -> None:
    body = run(ready, "GetConfig", params={"configName": "eas-cfg"})
    assert (
        body["outputDetail"] == {"logstoreName": "eas-ls"}
        and body["inputDetail"]["logType"] == "common_reg_log"
    )


def test_get_config_unknown_is_config_not_exist_404(ready: StubWorld) -> None:
    error = fails(ready, "GetConfig", params={"configName": "eas-none"})
    assert (error.code, error.status) == ("ConfigNotExist", 404)


def test_apply_config_to_group_shows_in_applied_configs(ready: StubWorld) -> None:
    run(ready, "ApplyConfigToGroup", params={"groupName": "eas-group", "configName": "eas-cfg"})
    assert run(ready, "GetAppliedConfigs", params={"groupName": "eas-group"}) == {
        "count": 1,
        "configs": ["eas-cfg"],
    }


def test_apply_config_to_unknown_group_is_machine_group_not_exist(ready: StubWorld) -> None:
    error = fails(ready, "ApplyConfigToGroup", params={"groupName": "eas-none", "configName": "eas-cfg"})
    assert (error.code, error.status) == ("MachineGroupNotExist", 404)


def test_delete_config_applied_to_a_group_leaves_the_group(ready: StubWorld) -> None:
    run(ready, "ApplyConfigToGroup", params={"groupName": "eas-group", "configName": "eas-cfg"})
    run(ready, "DeleteConfig", params={"configName": "eas-cfg"})
    assert run(ready, "GetAppliedConfigs", params={"groupName": "eas-group"}) == {"count": 0, "configs": []}


def test_delete_machine_group_with_applied_configs_keeps_the_configs(ready: StubWorld) -> None:
    run(ready, "ApplyConfigToGroup", params={"groupName": "eas-group", "configName": "eas-cfg"})
    run(ready, "DeleteMachineGroup", params={"groupName": "eas-group"})
    assert run(ready, "GetConfig", params={"configName": "eas-cfg"})["configName"] == "eas-cfg"


def test_remove_config_from_group_takes_it_off(ready: StubWorld) -> None:
    run(ready, "ApplyConfigToGroup", params={"groupName": "eas-group", "configName": "eas-cfg"})
    run(ready, "RemoveConfigFromGroup", params={"groupName": "eas-group", "configName": "eas-cfg"})
    assert run(ready, "GetAppliedConfigs", params={"groupName": "eas-group"})["configs"] == []


def test_create_machine_group_bad_identify_type_is_invalid_parameter(ready: StubWorld) -> None:
    error = fails(
        ready, "CreateMachineGroup", body={**GROUP, "groupName": "g2", "machineIdentifyType": "mac"}
    )
    assert (error.code, error.status) == ("InvalidParameter", 400)


def test_create_machine_group_twice_already_exists(ready: StubWorld) -> None:
    assert fails(ready, "CreateMachineGroup", body=GROUP).code == "MachineGroupAlreadyExist"


def test_list_machine_group_lists_names(ready: StubWorld) -> None:
    assert run(ready, "ListMachineGroup") == {"count": 1, "total": 1, "machinegroups": ["eas-group"]}


# ------------------------------------------------------------------------------ logs


def _seed_logs(world: StubWorld) -> None:
    world.sls.admin_put_logs(
        "eas-p1",
        "eas-ls",
        [
            {"__time__": 100, "level": "INFO", "msg": "started"},
            {"__time__": 200, "level": "ERROR", "msg": "disk full"},
            {"__time__": 300, "level": "INFO", "msg": "stopped"},
        ],
    )


def test_get_log_store_logs_window_excludes_to(ready: StubWorld) -> None:
    _seed_logs(ready)
    body = run(
        ready, "GetLogStoreLogs", params={"logstore": "eas-ls"}, body={"from": 100, "to": 300, "line": 100}
    )
    assert [log["__time__"] for log in body["data"]] == ["100", "200"] and body["meta"][
        "progress"
    ] == "Complete"


def test_get_log_store_logs_key_value_query_filters(ready: StubWorld) -> None:
    _seed_logs(ready)
    body = run(
        ready,
        "GetLogStoreLogs",
        params={"logstore": "eas-ls"},
        body={"from": 0, "to": 1000, "line": 100, "query": "level: ERROR"},
    )
    assert [log["msg"] for log in body["data"]] == ["disk full"]


def test_get_log_store_logs_reverse_offset_and_line_page(ready: StubWorld) -> None:
    _seed_logs(ready)
    body = run(
        ready,
        "GetLogStoreLogs",
        params={"logstore": "eas-ls"},
        body={"from": 0, "to": 1000, "line": 1, "offset": 1, "reverse": True},
    )
    assert [log["__time__"] for log in body["data"]] == ["200"]


def test_get_log_store_logs_sql_query_is_invalid_query_string(ready: StubWorld) -> None:
    error = fails(
        ready,
        "GetLogStoreLogs",
        params={"logstore": "eas-ls"},
        body={"from": 0, "to": 10, "query": "* | select count(1)"},
    )
    assert (error.code, error.status) == ("InvalidQueryString", 400)


def test_get_log_store_logs_line_over_100_is_invalid_line(ready: StubWorld) -> None:
    error = fails(
        ready, "GetLogStoreLogs", params={"logstore": "eas-ls"}, body={"from": 0, "to": 10, "line": 101}
    )
    assert error.code == "InvalidLine"


def test_get_log_store_logs_from_after_to_is_invalid_time_range(ready: StubWorld) -> None:
    error = fails(ready, "GetLogStoreLogs", params={"logstore": "eas-ls"}, body={"from": 10, "to": 5})
    assert error.code == "InvalidTimeRange"


def test_get_log_store_logs_without_index_is_index_config_not_exist(ready: StubWorld) -> None:
    run(ready, "DeleteIndex", params={"logstore": "eas-ls"})
    error = fails(ready, "GetLogStoreLogs", params={"logstore": "eas-ls"}, body={"from": 0, "to": 10})
    assert error.code == "IndexConfigNotExist"
