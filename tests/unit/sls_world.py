"""A stub of the emulator's WorldView for Simple Log Service unit tests, and call helpers.

The handlers run against one global store seeded from the default world file, with calls built
by hand (no sockets).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from emulator.core.api import ApiError, Call, Pace, Params, Principal
from emulator.core.service import snake_case
from emulator.services.sls.handlers import SlsHandlers
from emulator.services.sls.models import SlsStore, seed

WORLD_FILE = Path(__file__).resolve().parents[2] / "emulator" / "world" / "default.json"
OWNER = "1748290035126730"
FOREIGN = "1900000000000002"
T0 = 1_750_000_000.0


class StubWorld:
    """The part of the WorldView the SLS handlers use: one global store and the pace."""

    def __init__(self, pace: str = "instant", overrides: dict[str, float] | None = None):
        self.pace = Pace(pace, overrides)
        self.document = json.loads(WORLD_FILE.read_text())
        self.sls = SlsStore()
        seed(self.sls, self.document, None)

    def store(self, product: str, account_id: str | None = None, region: str | None = None) -> Any:
        assert product == "sls"
        return self.sls

    def regions(self, account_id: str) -> list[str]:
        return ["cn-hangzhou", "cn-shanghai"]

    def account_ids(self) -> list[str]:
        return [OWNER, FOREIGN]

    def seed_of(self, account_id: str) -> dict[str, Any]:
        return next(a for a in self.document["accounts"] if a["account_id"] == account_id)


def call(
    action: str,
    project: str | None = "eas-p1",
    *,
    body: Any = None,
    params: dict[str, Any] | None = None,
    account: str = OWNER,
    now: float = T0,
    region: str = "cn-hangzhou",
) -> Call:
    return Call(
        product="sls",
        action=action,
        params=Params(dict(params or {})),
        principal=Principal("owner", account, "LTAI-test"),
        region=region,
        request_id="RID",
        now=now,
        body=body,
        project=project,
    )


def run(world: StubWorld, action: str, project: str | None = "eas-p1", **kw: Any) -> dict[str, Any]:
    handlers = SlsHandlers(world)
    result: dict[str, Any] = getattr(handlers, snake_case(action))(call(action, project, **kw))
    return result


def fails(world: StubWorld, action: str, project: str | None = "eas-p1", **kw: Any) -> ApiError:
    with pytest.raises(ApiError) as caught:
        run(world, action, project, **kw)
    return caught.value


LOGSTORE = {
    "logstoreName": "eas-ls",
    "ttl": 30,
    "shardCount": 2,
    "enable_tracking": False,
    "autoSplit": True,
    "maxSplitShard": 64,
    "appendMeta": False,
    "telemetryType": "",
}
INDEX = {"line": {"token": [",", " "], "caseSensitive": False}}
CONFIG = {
    "configName": "eas-cfg",
    "inputType": "file",
    "outputType": "LogService",
    "inputDetail": {"logType": "common_reg_log", "logPath": "/var/log", "filePattern": "*.log"},
    "outputDetail": {"logstoreName": "eas-ls"},
}
GROUP = {
    "groupName": "eas-group",
    "groupType": "",
    "groupAttribute": {},
    "machineIdentifyType": "userdefined",
    "machineList": ["eas-rg-1"],
}


def make_ready(world: StubWorld) -> StubWorld:
    """A project with a logstore, an index, a config and a machine group."""
    run(world, "CreateProject", body={"projectName": "eas-p1", "description": "d", "resourceGroupId": ""})
    run(world, "CreateLogStore", body=LOGSTORE)
    run(world, "CreateIndex", params={"logstore": "eas-ls"}, body=INDEX)
    run(world, "CreateConfig", body=CONFIG)
    run(world, "CreateMachineGroup", body=GROUP)
    return world
