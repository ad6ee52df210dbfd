"""Fixtures shared by every test tier."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from emulator.core.server import EmulatorServer
from tests.support.emulator_control import EmulatorControl

_STRIPPED_PREFIXES = ("ALIBABA_CLOUD_", "ALICLOUD_", "EASRG_")
_PROXY_VARIABLES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real credentials, product settings and proxies never reach a test."""
    for name in list(os.environ):
        if name.startswith(_STRIPPED_PREFIXES) or name.lower() in _PROXY_VARIABLES:
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _credential_chain_stays_local(monkeypatch: pytest.MonkeyPatch) -> None:
    """The standard chain read its environment at import and would ask the ECS metadata service
    (a network call) when nothing else gives credentials: tests see an empty, local chain."""
    from alibabacloud_credentials.utils import auth_util

    for name in ("environment_access_key_id", "environment_access_key_secret", "environment_security_token"):
        monkeypatch.setattr(auth_util, name, None)
    monkeypatch.setattr(auth_util, "environment_ecs_metadata_disabled", "true")


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorServer]:
    """One in-thread emulator for the whole session, at instant pace."""
    server = EmulatorServer(host="127.0.0.1", port=0, pace="instant").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def emulator(emulator_server: EmulatorServer) -> EmulatorControl:
    """The session emulator back at the default world: no calls, faults or throttles, instant pace."""
    control = EmulatorControl(emulator_server.url)
    control.reset()
    return control
