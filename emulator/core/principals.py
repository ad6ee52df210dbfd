"""Accounts and access keys, read from the world file.

Each account lists its principals: the owner (no policy: everything allowed) and RAM identities
whose ``policy`` names a RAM policy document next to the world file.  A principal with a
``security_token`` is an STS credential: every request must carry that exact token.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulator.core.api import Principal


@dataclass(frozen=True)
class KeyRecord:
    """What signature verification needs to know about one access key."""

    principal: Principal
    secret: str
    security_token: str | None = None


class Principals:
    """Access keys of every account in the world."""

    def __init__(self, keys: dict[str, KeyRecord]):
        self._keys = keys

    @classmethod
    def from_world(cls, world: dict[str, Any], base_dir: Path) -> Principals:
        keys: dict[str, KeyRecord] = {}
        for account in world.get("accounts", []):
            account_id = str(account["account_id"])
            for entry in account.get("principals", []):
                policy = _load_policy(entry.get("policy"), base_dir)
                principal = Principal(
                    name=entry["name"],
                    account_id=account_id,
                    access_key_id=entry["access_key_id"],
                    policy=policy,
                )
                keys[entry["access_key_id"]] = KeyRecord(
                    principal, entry["access_key_secret"], entry.get("security_token")
                )
        return cls(keys)

    def lookup(self, access_key_id: str) -> KeyRecord | None:
        return self._keys.get(access_key_id)

    def first_owner(self, account_id: str) -> Principal | None:
        for record in self._keys.values():
            if record.principal.account_id == account_id and record.principal.policy is None:
                return record.principal
        return None


def _load_policy(reference: Any, base_dir: Path) -> dict[str, Any] | None:
    """A policy is a file name relative to the world file, or an inline document."""
    if reference is None:
        return None
    if isinstance(reference, dict):
        return reference
    document: dict[str, Any] = json.loads((base_dir / str(reference)).read_text(encoding="utf-8"))
    return document
