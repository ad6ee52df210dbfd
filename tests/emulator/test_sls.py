"""Simple Log Service projects, logstores, indexes and logs, driven by ``aliyun.log.LogClient``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from aliyun.log import IndexConfig, IndexKeyConfig, IndexLineConfig, LogClient, LogException

from tests.support.emulator_control import EmulatorControl
from tests.support.polling import wait_until
from tests.support.sdk import log_client
from tests.support.world import ACCOUNT_ID, EMPTY_REGION, FOREIGN_SLS_PROJECT, KEYS, REGION


def unique(prefix: str = "eas") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def error_of(call: Callable[[], Any]) -> LogException:
    with pytest.raises(LogException) as caught:
        call()
    return caught.value


def index_config() -> IndexConfig:
    return IndexConfig(
        line_config=IndexLineConfig([",", " "]),
        key_config_list={"level": IndexKeyConfig([" "], index_type="text")},
    )


@pytest.fixture(params=["v1", "v4"])
def client(request: pytest.FixtureRequest, emulator: EmulatorControl) -> LogClient:
    """The owner's client, once per signature version."""
    return log_client(emulator, auth_version=request.param)


@pytest.fixture
def project(emulator: EmulatorControl) -> str:
    name = unique()
    log_client(emulator).create_project(name, "eas-rg logs")
    return name


@pytest.fixture
def logstore(emulator: EmulatorControl, project: str) -> str:
    name = unique("logs")
    owner = log_client(emulator)
    owner.create_logstore(project, name, ttl=7, shard_count=2)
    owner.create_index(project, name, index_config())
    return name


# ------------------------------------------------------------------------------ projects


def test_get_project_reports_owner_region_and_description(client: LogClient) -> None:
    name = unique()
    client.create_project(name, "eas-rg logs")
    found = client.get_project(name)
    assert (found.get_owner(), found.get_region(), found.get_description()) == (
        ACCOUNT_ID,
        REGION,
        "eas-rg logs",
    )


def test_list_project_lists_the_callers_projects(client: LogClient, project: str) -> None:
    names = [p["projectName"] for p in client.list_project().get_projects()]
    assert names == [project]


def test_delete_project_then_get_project_is_project_not_exist(client: LogClient, project: str) -> None:
    client.delete_project(project)
    error = error_of(lambda: client.get_project(project))
    assert (error.get_error_code(), error.get_resp_status()) == ("ProjectNotExist", 404)


def test_create_project_taken_by_another_account_is_project_already_exist(client: LogClient) -> None:
    error = error_of(lambda: client.create_project(FOREIGN_SLS_PROJECT, "mine?"))
    assert (error.get_error_code(), error.get_resp_status()) == ("ProjectAlreadyExist", 400)
    assert error.get_error_message() == f"Project {FOREIGN_SLS_PROJECT} already exist."


def test_get_project_of_another_account_is_unauthorized(client: LogClient) -> None:
    error = error_of(lambda: client.get_project(FOREIGN_SLS_PROJECT))
    assert (error.get_error_code(), error.get_resp_status()) == ("Unauthorized", 401)


def test_create_project_with_an_invalid_name_is_project_info_invalid(client: LogClient) -> None:
    error = error_of(lambda: client.create_project("eas--bad-", "x"))
    assert (error.get_error_code(), error.get_resp_status()) == ("ProjectInfoInvalid", 400)


def test_get_project_from_another_region_is_project_not_exist(
    emulator: EmulatorControl, project: str
) -> None:
    access_key_id, secret, _ = KEYS["owner"]
    # v4 signs the region: this client talks to the Shanghai endpoint.
    shanghai = LogClient(
        f"127.0.0.1:{emulator.port}", access_key_id, secret, auth_version="v4", region=EMPTY_REGION
    )
    shanghai._isRowIp = True
    error = error_of(lambda: shanghai.get_project(project))
    assert error.get_error_code() == "ProjectNotExist"


def test_get_project_after_create_waits_for_the_visibility_lag(emulator: EmulatorControl) -> None:
    emulator.set_pace("instant", **{"sls.project.visible": 1.0})
    client = log_client(emulator)
    name = unique()
    client.create_project(name, "lagging")
    assert error_of(lambda: client.get_project(name)).get_error_code() == "ProjectNotExist"
    wait_until(lambda: _exists(lambda: client.get_project(name)), timeout=5, message="project visible")


def _exists(probe: Callable[[], Any]) -> bool:
    try:
        probe()
    except LogException as error:
        if error.get_error_code() in ("ProjectNotExist", "LogStoreNotExist"):
            return False
        raise
    return True


def test_create_project_as_the_eas_role_inside_its_scope_succeeds(emulator: EmulatorControl) -> None:
    role = log_client(emulator, key="eas-role-sts")
    name = unique()
    role.create_project(name, "by the role")
    assert role.get_project(name).get_projectname() == name


def test_create_project_as_the_eas_role_outside_its_scope_is_unauthorized(emulator: EmulatorControl) -> None:
    role = log_client(emulator, key="eas-role")
    error = error_of(lambda: role.create_project(unique("team"), "not eas"))
    assert (error.get_error_code(), error.get_resp_status()) == ("Unauthorized", 401)
    assert "log:CreateProject" in error.get_error_message()


def test_list_project_as_the_eas_role_is_unauthorized(emulator: EmulatorControl) -> None:
    error = error_of(lambda: log_client(emulator, key="eas-role").list_project())
    assert (error.get_error_code(), error.get_resp_status()) == ("Unauthorized", 401)


# ------------------------------------------------------------------------------ logstores


def test_get_log_store_returns_what_was_created(client: LogClient, project: str) -> None:
    name = unique("logs")
    client.create_logstore(project, name, ttl=14, shard_count=3)
    found = client.get_logstore(project, name)
    assert (found.get_ttl(), found.get_shard_count(), found.logstore_name) == (14, 3, name)


def test_list_logstore_lists_the_new_logstore(client: LogClient, project: str, logstore: str) -> None:
    assert client.list_logstore(project).get_logstores() == [logstore]


def test_create_log_store_with_ttl_over_3650_is_log_store_info_invalid(
    client: LogClient, project: str
) -> None:
    error = error_of(lambda: client.create_logstore(project, unique("logs"), ttl=3651))
    assert (error.get_error_code(), error.get_resp_status()) == ("LogStoreInfoInvalid", 400)


def test_create_log_store_twice_is_log_store_already_exist(
    client: LogClient, project: str, logstore: str
) -> None:
    error = error_of(lambda: client.create_logstore(project, logstore))
    assert (error.get_error_code(), error.get_resp_status()) == ("LogStoreAlreadyExist", 400)


def test_get_log_store_unknown_is_log_store_not_exist(client: LogClient, project: str) -> None:
    error = error_of(lambda: client.get_logstore(project, "eas-missing"))
    assert (error.get_error_code(), error.get_resp_status()) == ("LogStoreNotExist", 404)


def test_delete_log_store_then_get_is_log_store_not_exist(
    client: LogClient, project: str, logstore: str
) -> None:
    client.delete_logstore(project, logstore)
    assert error_of(lambda: client.get_logstore(project, logstore)).get_error_code() == "LogStoreNotExist"


def test_get_log_store_after_create_waits_for_the_visibility_lag(
    emulator: EmulatorControl, project: str
) -> None:
    emulator.set_pace("instant", **{"sls.logstore.visible": 1.0})
    client = log_client(emulator)
    name = unique("logs")
    client.create_logstore(project, name)
    assert error_of(lambda: client.get_logstore(project, name)).get_error_code() == "LogStoreNotExist"
    wait_until(
        lambda: _exists(lambda: client.get_logstore(project, name)), timeout=5, message="logstore visible"
    )


def test_create_log_store_in_a_project_of_another_account_is_unauthorized(client: LogClient) -> None:
    error = error_of(lambda: client.create_logstore(FOREIGN_SLS_PROJECT, unique("logs")))
    assert (error.get_error_code(), error.get_resp_status()) == ("Unauthorized", 401)


# ------------------------------------------------------------------------------ indexes


def test_get_index_config_returns_the_created_index(client: LogClient, project: str, logstore: str) -> None:
    index = client.get_index_config(project, logstore).get_index_config()
    assert index.line_config.token_list == [",", " "] and list(index.key_config_list) == ["level"]


def test_create_index_twice_is_index_already_exist(client: LogClient, project: str, logstore: str) -> None:
    error = error_of(lambda: client.create_index(project, logstore, index_config()))
    assert (error.get_error_code(), error.get_resp_status()) == ("IndexAlreadyExist", 400)


def test_get_index_config_after_delete_is_index_config_not_exist(
    client: LogClient, project: str, logstore: str
) -> None:
    client.delete_index(project, logstore)
    error = error_of(lambda: client.get_index_config(project, logstore))
    assert (error.get_error_code(), error.get_resp_status()) == ("IndexConfigNotExist", 400)


def test_delete_index_without_index_is_parameter_invalid(
    client: LogClient, project: str, logstore: str
) -> None:
    client.delete_index(project, logstore)
    error = error_of(lambda: client.delete_index(project, logstore))
    assert (error.get_error_code(), error.get_error_message()) == (
        "ParameterInvalid",
        "Log store index not created.",
    )


# ------------------------------------------------------------------------------ logs


def _put_logs(emulator: EmulatorControl, project: str, logstore: str) -> None:
    emulator.admin(
        "sls",
        "put_logs",
        project=project,
        logstore=logstore,
        logs=[
            {"__time__": 1_700_000_100, "level": "INFO", "msg": "worker started"},
            {"__time__": 1_700_000_200, "level": "ERROR", "msg": "image pull failed"},
            {"__time__": 1_700_000_300, "level": "INFO", "msg": "worker stopped"},
        ],
    )


def test_get_log_returns_the_stored_logs_in_the_window(
    emulator: EmulatorControl, client: LogClient, project: str, logstore: str
) -> None:
    _put_logs(emulator, project, logstore)
    response = client.get_log(project, logstore, 1_700_000_000, 1_700_000_300)
    assert [log.get_time() for log in response.get_logs()] == [1_700_000_100, 1_700_000_200]
    assert response.is_completed()


def test_get_log_key_value_query_filters(
    emulator: EmulatorControl, client: LogClient, project: str, logstore: str
) -> None:
    _put_logs(emulator, project, logstore)
    response = client.get_log(project, logstore, 1_700_000_000, 1_700_001_000, query="level: ERROR")
    assert [log.get_contents()["msg"] for log in response.get_logs()] == ["image pull failed"]


def test_get_log_offset_size_and_reverse_page(
    emulator: EmulatorControl, client: LogClient, project: str, logstore: str
) -> None:
    _put_logs(emulator, project, logstore)
    response = client.get_log(project, logstore, 1_700_000_000, 1_700_001_000, reverse=True, offset=1, size=1)
    assert [log.get_time() for log in response.get_logs()] == [1_700_000_200]


def test_get_log_with_an_sql_query_is_invalid_query_string(
    client: LogClient, project: str, logstore: str
) -> None:
    error = error_of(lambda: client.get_log(project, logstore, 0, 10, query="* | select count(1) as n"))
    assert (error.get_error_code(), error.get_resp_status()) == ("InvalidQueryString", 400)


def test_get_log_without_an_index_is_index_config_not_exist(
    client: LogClient, project: str, logstore: str
) -> None:
    client.delete_index(project, logstore)
    error = error_of(lambda: client.get_log(project, logstore, 0, 10))
    assert (error.get_error_code(), error.get_resp_status()) == ("IndexConfigNotExist", 400)


def test_get_log_as_the_eas_role_in_an_eas_logstore_succeeds(
    emulator: EmulatorControl, project: str, logstore: str
) -> None:
    _put_logs(emulator, project, logstore)
    role = log_client(emulator, key="eas-role", auth_version="v4")
    assert role.get_log(project, logstore, 1_700_000_000, 1_700_001_000).get_count() == 3


def test_get_log_is_logged_under_its_ram_name(
    emulator: EmulatorControl, client: LogClient, project: str, logstore: str
) -> None:
    client.get_log(project, logstore, 0, 10)
    assert [c["action"] for c in emulator.calls(product="sls", action="GetLogStoreLogs")] == [
        "GetLogStoreLogs"
    ]
