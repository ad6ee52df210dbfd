"""Logtail configs and machine groups, and what deleting each does, driven by ``aliyun.log.LogClient``.

The EAS role may delete a config but not take it off a machine group; the emulator lets a config
applied to a group be deleted (it leaves the group), lets a group with applied configs be deleted
(the configs stay), and refuses to delete a logstore a config still ships to.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from aliyun.log import LogClient, LogException, MachineGroupDetail, SimpleFileConfigDetail

from tests.support.emulator_control import EmulatorControl
from tests.support.sdk import log_client


def unique(prefix: str = "eas") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def error_of(call: Callable[[], Any]) -> LogException:
    with pytest.raises(LogException) as caught:
        call()
    return caught.value


def file_config(name: str, logstore: str) -> SimpleFileConfigDetail:
    return SimpleFileConfigDetail(logstore, name, "/var/log/eas", "*.log")


def machine_group(name: str) -> MachineGroupDetail:
    return MachineGroupDetail(name, "userdefined", ["eas-rg-node"])


class UncheckedConfig(SimpleFileConfigDetail):
    """A config whose output logstore the SDK does not look up first, so the server must."""

    @property
    def logstore_name(self) -> str:
        return ""

    @logstore_name.setter
    def logstore_name(self, value: str) -> None:
        self.value["outputDetail"]["logstoreName"] = value


@pytest.fixture
def role(emulator: EmulatorControl) -> LogClient:
    """The EAS role: every call below stays inside its ``eas-*`` scope."""
    return log_client(emulator, key="eas-role")


@pytest.fixture
def names(role: LogClient) -> dict[str, str]:
    """A project with a logstore, a config shipping to it and a machine group."""
    made = {"project": unique(), "logstore": unique(), "config": unique(), "group": unique()}
    role.create_project(made["project"], "logtail")
    role.create_logstore(made["project"], made["logstore"])
    role.create_logtail_config(made["project"], file_config(made["config"], made["logstore"]))
    role.create_machine_group(made["project"], machine_group(made["group"]))
    return made


def applied(emulator: EmulatorControl, names: dict[str, str]) -> list[str]:
    """Read as the owner: the EAS role has no ``log:GetAppliedConfigs``."""
    owner = log_client(emulator)
    return list(owner.get_machine_group_applied_configs(names["project"], names["group"]).get_configs())


# ------------------------------------------------------------------------------ configs


def test_get_logtail_config_returns_what_was_created(role: LogClient, names: dict[str, str]) -> None:
    config = role.get_logtail_config(names["project"], names["config"]).logtail_config
    assert (config.config_name, config.logstore_name) == (names["config"], names["logstore"])
    assert config.value["inputDetail"]["logPath"] == "/var/log/eas"


def test_create_logtail_config_twice_is_config_already_exist(role: LogClient, names: dict[str, str]) -> None:
    error = error_of(
        lambda: role.create_logtail_config(names["project"], file_config(names["config"], names["logstore"]))
    )
    assert (error.get_error_code(), error.get_resp_status()) == ("ConfigAlreadyExist", 400)


def test_create_logtail_config_for_a_missing_logstore_is_log_store_not_exist(
    role: LogClient, names: dict[str, str]
) -> None:
    error = error_of(
        lambda: role.create_logtail_config(names["project"], file_config(unique(), "eas-missing"))
    )
    assert (error.get_error_code(), error.get_resp_status()) == ("LogStoreNotExist", 404)


def test_create_config_server_checks_the_logstore_itself(
    emulator: EmulatorControl, role: LogClient, names: dict[str, str]
) -> None:
    config = UncheckedConfig("eas-missing", unique(), "/var/log/eas", "*.log")
    error = error_of(lambda: role.create_logtail_config(names["project"], config))
    assert (error.get_error_code(), error.get_resp_status()) == ("LogStoreNotExist", 404)
    codes = [c["code"] for c in emulator.calls(product="sls", action="CreateConfig")]
    assert codes == [None, "LogStoreNotExist"]


def test_get_logtail_config_unknown_is_config_not_exist(role: LogClient, names: dict[str, str]) -> None:
    error = error_of(lambda: role.get_logtail_config(names["project"], "eas-none"))
    assert (error.get_error_code(), error.get_resp_status()) == ("ConfigNotExist", 404)


# ------------------------------------------------------------------------------ machine groups


def test_get_machine_group_returns_what_was_created(role: LogClient, names: dict[str, str]) -> None:
    group = role.get_machine_group(names["project"], names["group"]).get_machine_group()
    assert (group.group_name, group.machine_type, group.machine_list) == (
        names["group"],
        "userdefined",
        ["eas-rg-node"],
    )


def test_get_machine_group_unknown_is_machine_group_not_exist(role: LogClient, names: dict[str, str]) -> None:
    error = error_of(lambda: role.get_machine_group(names["project"], "eas-none"))
    assert (error.get_error_code(), error.get_resp_status()) == ("MachineGroupNotExist", 404)


def test_create_machine_group_twice_is_machine_group_already_exist(
    role: LogClient, names: dict[str, str]
) -> None:
    error = error_of(lambda: role.create_machine_group(names["project"], machine_group(names["group"])))
    assert (error.get_error_code(), error.get_resp_status()) == ("MachineGroupAlreadyExist", 400)


def test_list_machine_group_lists_the_group(emulator: EmulatorControl, names: dict[str, str]) -> None:
    owner = log_client(emulator)
    assert owner.list_machine_group(names["project"]).get_machine_group() == [names["group"]]


# ------------------------------------------------------------------------------ applying configs


def test_apply_config_to_machine_group_shows_in_applied_configs(
    emulator: EmulatorControl, role: LogClient, names: dict[str, str]
) -> None:
    role.apply_config_to_machine_group(names["project"], names["config"], names["group"])
    assert applied(emulator, names) == [names["config"]]


def test_apply_unknown_config_to_machine_group_is_config_not_exist(
    role: LogClient, names: dict[str, str]
) -> None:
    error = error_of(lambda: role.apply_config_to_machine_group(names["project"], "eas-none", names["group"]))
    assert (error.get_error_code(), error.get_resp_status()) == ("ConfigNotExist", 404)


def test_remove_config_from_machine_group_takes_it_off(
    emulator: EmulatorControl, names: dict[str, str]
) -> None:
    owner = log_client(emulator)
    owner.apply_config_to_machine_group(names["project"], names["config"], names["group"])
    owner.remove_config_to_machine_group(names["project"], names["config"], names["group"])
    assert applied(emulator, names) == []


def test_get_applied_configs_as_the_eas_role_is_unauthorized(role: LogClient, names: dict[str, str]) -> None:
    error = error_of(lambda: role.get_machine_group_applied_configs(names["project"], names["group"]))
    assert (error.get_error_code(), error.get_resp_status()) == ("Unauthorized", 401)
    assert "log:GetAppliedConfigs" in error.get_error_message()


def test_remove_config_from_machine_group_as_the_eas_role_is_unauthorized(
    role: LogClient, names: dict[str, str]
) -> None:
    role.apply_config_to_machine_group(names["project"], names["config"], names["group"])
    error = error_of(
        lambda: role.remove_config_to_machine_group(names["project"], names["config"], names["group"])
    )
    assert (error.get_error_code(), error.get_resp_status()) == ("Unauthorized", 401)


# ------------------------------------------------------------------------------ deletion semantics


def test_delete_logtail_config_applied_to_a_group_leaves_the_group(
    emulator: EmulatorControl, role: LogClient, names: dict[str, str]
) -> None:
    role.apply_config_to_machine_group(names["project"], names["config"], names["group"])
    role.delete_logtail_config(names["project"], names["config"])
    assert applied(emulator, names) == []
    assert (
        error_of(lambda: role.get_logtail_config(names["project"], names["config"])).get_error_code()
        == "ConfigNotExist"
    )


def test_delete_machine_group_with_an_applied_config_keeps_the_config(
    role: LogClient, names: dict[str, str]
) -> None:
    role.apply_config_to_machine_group(names["project"], names["config"], names["group"])
    role.delete_machine_group(names["project"], names["group"])
    assert (
        role.get_logtail_config(names["project"], names["config"]).logtail_config.config_name
        == names["config"]
    )


def test_delete_logstore_a_config_ships_to_is_parameter_invalid(
    role: LogClient, names: dict[str, str]
) -> None:
    error = error_of(lambda: role.delete_logstore(names["project"], names["logstore"]))
    assert (error.get_error_code(), error.get_resp_status()) == ("ParameterInvalid", 400)
    assert names["config"] in error.get_error_message()


def test_teardown_as_the_eas_role_in_dependency_order_leaves_nothing(
    emulator: EmulatorControl, role: LogClient, names: dict[str, str]
) -> None:
    role.apply_config_to_machine_group(names["project"], names["config"], names["group"])
    role.delete_logtail_config(names["project"], names["config"])
    role.delete_machine_group(names["project"], names["group"])
    role.delete_logstore(names["project"], names["logstore"])
    role.delete_project(names["project"])
    sls = emulator.state()["global"]["account"]["sls"]
    assert names["project"] not in sls["projects"] and sls["logstores"] == {} and sls["configs"] == {}
