"""Every action of the EAS role's policy (the seed's 48) and of the service-linked role has its task."""

from __future__ import annotations

import importlib
import re

import pytest
from prefect.cache_policies import NO_CACHE
from prefect.tasks import Task

from policies import role_actions
from tasks.common import retry_transient

#: RAM service prefix -> the product module of ``tasks/``
MODULES = {
    "privatelink": "privatelink",
    "vpc": "vpc",
    "ecs": "ecs",
    "cs": "ack",
    "log": "sls",
    "pvtz": "privatezone",
}
ROLE_ACTIONS = ["CreateServiceLinkedRole", "DeleteServiceLinkedRole", "GetServiceLinkedRoleDeletionStatus"]


def _snake(action: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", action).lower()


def _task(module: str, action: str) -> object:
    return getattr(importlib.import_module(f"tasks.{module}"), _snake(action), None)


def test_role_policy_lists_the_seeds_48_actions() -> None:
    assert len(role_actions()) == 48
    assert len(set(role_actions())) == 48


@pytest.mark.parametrize("ram_action", role_actions())
def test_every_role_action_has_its_task(ram_action: str) -> None:
    service, action = ram_action.split(":")
    found = _task(MODULES[service], action)
    assert isinstance(found, Task), (
        f"tasks/{MODULES[service]}.py has no task {_snake(action)} for {ram_action}"
    )
    assert found.name == _snake(action).replace("_", "-")


@pytest.mark.parametrize("action", ROLE_ACTIONS)
def test_every_service_linked_role_action_has_its_task(action: str) -> None:
    assert isinstance(_task("roles", action), Task)


@pytest.mark.parametrize("ram_action", role_actions())
def test_every_role_task_retries_only_transient_errors_and_never_caches(ram_action: str) -> None:
    service, action = ram_action.split(":")
    found = _task(MODULES[service], action)
    assert isinstance(found, Task)
    assert found.retry_condition_fn is retry_transient
    assert found.cache_policy is NO_CACHE
    assert {"easrg", MODULES[service]} <= set(found.tags)
