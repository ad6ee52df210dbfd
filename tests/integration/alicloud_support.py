"""Helpers for the client-layer integration tests: product clients on the emulator, state lookups."""

from __future__ import annotations

import uuid
from typing import Any

from alicloud.clients import Clients
from alicloud.credentials import CredentialValues
from alicloud.settings import Settings
from tests.support.emulator_control import EmulatorControl
from tests.support.world import ACCOUNT_ID, KEYS, REGION


def clients_for(emulator: EmulatorControl, key: str = "owner", **settings: Any) -> Clients:
    """Clients signed with one of the default world's keys, every product at the emulator."""
    access_key_id, secret, token = KEYS[key]
    values = CredentialValues(
        access_key_id=access_key_id, access_key_secret=secret, security_token=token or ""
    )
    return Clients(Settings(endpoint=emulator.url, **settings), values)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def regional(emulator: EmulatorControl, product: str) -> dict[str, Any]:
    return dict(emulator.state()[ACCOUNT_ID][REGION][product])


def account_wide(emulator: EmulatorControl, product: str) -> dict[str, Any]:
    return dict(emulator.state()[ACCOUNT_ID]["account"][product])


def sls_state(emulator: EmulatorControl) -> dict[str, Any]:
    return dict(emulator.state()["global"]["account"]["sls"])


def attempts(emulator: EmulatorControl, action: str) -> list[dict[str, Any]]:
    """The call log of one action, oldest first."""
    return sorted(emulator.calls(action=action), key=lambda call: call["seq"])
