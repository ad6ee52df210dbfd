"""alicloud.sls against the emulator, through LogClient at IP:port (raw-IP mode)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from alicloud import sls
from alicloud.clients import Clients
from alicloud.errors import AuthError, ConflictError, NotFoundError
from tests.integration.alicloud_support import attempts, clients_for, sls_state, unique
from tests.support.emulator_control import EmulatorControl
from tests.support.world import ACCOUNT_ID, FOREIGN_SLS_PROJECT

LOGSTORE = "eas-requests"
INDEX = {
    "line": {"token": [",", " "], "caseSensitive": False},
    "keys": {"level": {"type": "text", "token": [" "], "caseSensitive": False}},
}


def _config(name: str, logstore: str = LOGSTORE) -> dict[str, Any]:
    return {
        "configName": name,
        "inputType": "file",
        "inputDetail": {
            "logPath": "/var/log/eas",
            "filePattern": "*.log",
            "localStorage": True,
            "logType": "common_reg_log",
            "regex": "(.*)",
            "key": ["content"],
            "timeFormat": "",
            "topicFormat": "none",
        },
        "outputType": "LogService",
        "outputDetail": {"logstoreName": logstore},
    }


@pytest.fixture
def clients(emulator: EmulatorControl) -> Clients:
    return clients_for(emulator)


@pytest.fixture
def project(clients: Clients) -> str:
    name = unique("eas-rg")
    sls.create_project(clients, project=name, description="eas-rg logs")
    return name


@pytest.fixture
def logstore(clients: Clients, project: str) -> str:
    sls.create_log_store(clients, project=project, logstore=LOGSTORE)
    return LOGSTORE


def test_create_project_through_ip_and_port_is_stored_with_its_owner(
    emulator: EmulatorControl, clients: Clients
) -> None:
    name = unique("eas-rg")

    sls.create_project(clients, project=name, description="eas-rg logs")

    stored = sls_state(emulator)["projects"][name]
    assert (stored["owner"], stored["description"]) == (ACCOUNT_ID, "eas-rg logs")
    assert clients.sls._isRowIp and clients.settings.endpoint_host_port in clients.sls._endpoint


def test_get_project_reads_the_owner(clients: Clients, project: str) -> None:
    found = sls.get_project(clients, project=project)

    assert (found.project_name, found.owner) == (project, ACCOUNT_ID)


def test_get_project_unknown_is_not_found(clients: Clients) -> None:
    with pytest.raises(NotFoundError) as raised:
        sls.get_project(clients, project=unique("eas-none"))

    assert (raised.value.code, raised.value.status) == ("ProjectNotExist", 404)


def test_get_project_of_another_account_is_an_auth_error(clients: Clients) -> None:
    with pytest.raises(AuthError):
        sls.get_project(clients, project=FOREIGN_SLS_PROJECT)


def test_create_project_name_taken_by_another_account_is_a_conflict(clients: Clients) -> None:
    with pytest.raises(ConflictError) as raised:
        sls.create_project(clients, project=FOREIGN_SLS_PROJECT)

    assert raised.value.code == "ProjectAlreadyExist"


def test_delete_project_removes_it(emulator: EmulatorControl, clients: Clients, project: str) -> None:
    sls.delete_project(clients, project=project)

    assert project not in sls_state(emulator)["projects"]


def test_create_log_store_then_get_log_store(clients: Clients, project: str) -> None:
    sls.create_log_store(clients, project=project, logstore=LOGSTORE, ttl=7, shard_count=1)

    assert sls.get_log_store(clients, project=project, logstore=LOGSTORE) == sls.LogStore(LOGSTORE, 7, 1)


def test_create_log_store_right_after_create_project_retries_until_the_project_is_visible(
    emulator: EmulatorControl, clients: Clients
) -> None:
    emulator.set_pace("instant", **{"sls.project.visible": 1.0})
    name = unique("eas-rg")
    sls.create_project(clients, project=name)

    sls.create_log_store(clients, project=name, logstore=LOGSTORE)

    codes = [call["code"] for call in attempts(emulator, "CreateLogStore")]
    assert codes[0] == "ProjectNotExist" and codes[-1] is None


def test_delete_log_store_removes_it(
    emulator: EmulatorControl, clients: Clients, project: str, logstore: str
) -> None:
    sls.delete_log_store(clients, project=project, logstore=logstore)

    assert f"{project}/{logstore}" not in sls_state(emulator)["logstores"]


def test_create_index_then_get_index(clients: Clients, project: str, logstore: str) -> None:
    sls.create_index(clients, project=project, logstore=logstore, index=INDEX)

    assert sls.get_index(clients, project=project, logstore=logstore) == sls.Index(("level",), True)


def test_get_index_without_an_index_is_not_found(clients: Clients, project: str, logstore: str) -> None:
    with pytest.raises(NotFoundError) as raised:
        sls.get_index(clients, project=project, logstore=logstore)

    assert (raised.value.code, raised.value.status) == ("IndexConfigNotExist", 400)


def test_delete_index_removes_it(clients: Clients, project: str, logstore: str) -> None:
    sls.create_index(clients, project=project, logstore=logstore, index=INDEX)

    sls.delete_index(clients, project=project, logstore=logstore)

    with pytest.raises(NotFoundError):
        sls.get_index(clients, project=project, logstore=logstore)


def test_delete_index_without_one_is_not_found(clients: Clients, project: str, logstore: str) -> None:
    """SLS answers ``ParameterInvalid`` ("index not created"): the index is gone, not a bad request."""
    with pytest.raises(NotFoundError) as raised:
        sls.delete_index(clients, project=project, logstore=logstore)

    assert (raised.value.code, raised.value.retryable) == ("ParameterInvalid", False)


def test_get_log_store_logs_reads_what_was_shipped(
    emulator: EmulatorControl, clients: Clients, project: str, logstore: str
) -> None:
    sls.create_index(clients, project=project, logstore=logstore, index=INDEX)
    now = int(time.time())
    emulator.admin(
        "sls",
        "put_logs",
        project=project,
        logstore=logstore,
        logs=[{"__time__": now, "__source__": "node-1", "level": "error", "content": "boom"}],
    )

    (entry,) = sls.get_log_store_logs(
        clients,
        project=project,
        logstore=logstore,
        from_time=now - 60,
        to_time=now + 60,
        query="level: error",
    )

    assert (entry.time, entry.source, entry.contents["content"]) == (now, "node-1", "boom")


def test_create_config_then_get_config(clients: Clients, project: str, logstore: str) -> None:
    sls.create_config(clients, project=project, config=_config("eas-logtail"))

    assert sls.get_config(clients, project=project, config_name="eas-logtail") == sls.LogtailConfig(
        "eas-logtail", "file", logstore, "/var/log/eas"
    )


def test_create_config_for_a_missing_logstore_is_not_found_once_the_deadline_passes(
    emulator: EmulatorControl, project: str
) -> None:
    # LogStoreNotExist on CreateConfig may be a logstore just created, so it is retried until the deadline.
    impatient = clients_for(emulator, retry_deadline_s=1.0)

    with pytest.raises(NotFoundError) as raised:
        sls.create_config(impatient, project=project, config=_config("eas-logtail", logstore="eas-missing"))

    assert raised.value.code == "LogStoreNotExist"


def test_delete_config_removes_it(
    emulator: EmulatorControl, clients: Clients, project: str, logstore: str
) -> None:
    sls.create_config(clients, project=project, config=_config("eas-logtail"))

    sls.delete_config(clients, project=project, config_name="eas-logtail")

    assert f"{project}/eas-logtail" not in sls_state(emulator)["configs"]


def test_create_machine_group_then_get_machine_group(clients: Clients, project: str) -> None:
    sls.create_machine_group(
        clients, project=project, group_name="eas-nodes", machine_list=["eas-rg-1"], topic="eas"
    )

    assert sls.get_machine_group(clients, project=project, group_name="eas-nodes") == sls.MachineGroup(
        "eas-nodes", "userdefined", ("eas-rg-1",), "eas"
    )


def test_delete_machine_group_removes_it(emulator: EmulatorControl, clients: Clients, project: str) -> None:
    sls.create_machine_group(clients, project=project, group_name="eas-nodes", machine_list=["eas-rg-1"])

    sls.delete_machine_group(clients, project=project, group_name="eas-nodes")

    assert f"{project}/eas-nodes" not in sls_state(emulator)["machine_groups"]


def test_apply_config_to_group_shows_in_applied_configs(
    clients: Clients, project: str, logstore: str
) -> None:
    sls.create_config(clients, project=project, config=_config("eas-logtail"))
    sls.create_machine_group(clients, project=project, group_name="eas-nodes", machine_list=["eas-rg-1"])

    sls.apply_config_to_group(clients, project=project, config_name="eas-logtail", group_name="eas-nodes")

    assert sls.get_machine_group_applied_configs(clients, project=project, group_name="eas-nodes") == (
        "eas-logtail",
    )


def test_remove_config_from_group_empties_applied_configs(
    clients: Clients, project: str, logstore: str
) -> None:
    sls.create_config(clients, project=project, config=_config("eas-logtail"))
    sls.create_machine_group(clients, project=project, group_name="eas-nodes", machine_list=["eas-rg-1"])
    sls.apply_config_to_group(clients, project=project, config_name="eas-logtail", group_name="eas-nodes")

    sls.remove_config_from_group(clients, project=project, config_name="eas-logtail", group_name="eas-nodes")

    assert sls.get_machine_group_applied_configs(clients, project=project, group_name="eas-nodes") == ()
