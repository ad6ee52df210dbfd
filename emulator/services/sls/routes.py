"""SLS REST paths (API version 0.6.0) and the RAM resource each call touches.

The project travels in the ``Host`` header, never in the path, so ``GET /`` is GetProject with
a project and ListProject without one: both routes are listed and the core's router lets the
presence of a project decide (:func:`resolve_action` does the same for other callers).

RAM resources, as the SLS authorization pages give them (``{region}`` and ``{account}`` are the
project's; the emulator uses the caller's account, the owner being the only account that can
reach a project anyway):

=====================================================  ==============================================
actions                                                resource
=====================================================  ==============================================
Create/Get/DeleteProject                               ``acs:log:{region}:{account}:project/{p}``
ListProject                                            ``acs:log:{region}:{account}:project/*``
Create/Get/DeleteLogStore, Create/Get/DeleteIndex,     ``.../project/{p}/logstore/{ls}``
GetLogStoreLogs
ListLogStores                                          ``.../project/{p}/logstore/*``
Create/Get/DeleteConfig                                ``.../project/{p}/logtailconfig/{c}``
Create/Get/DeleteMachineGroup, ApplyConfigToGroup,     ``.../project/{p}/machinegroup/{g}``
RemoveConfigFromGroup, GetAppliedConfigs
ListMachineGroup                                       ``.../project/{p}/machinegroup/*``
=====================================================  ==============================================

The older "authorization rules" page names ``logstore/*`` and ``logtailconfig/*`` for the
creates; the current per-API pages name the resource being created, which is what a policy
scoped to ``logstore/eas-*`` expects, so the emulator uses the named form.
"""

from __future__ import annotations

from typing import Any

from emulator.core.api import Call
from emulator.core.service import Route

ROUTES: list[Route] = [
    Route("GET", "/", "ListProject"),
    Route("GET", "/", "GetProject"),
    Route("POST", "/", "CreateProject"),
    Route("DELETE", "/", "DeleteProject"),
    Route("GET", "/logstores", "ListLogStores"),
    Route("POST", "/logstores", "CreateLogStore"),
    Route("GET", "/logstores/{logstore}", "GetLogStore"),
    Route("DELETE", "/logstores/{logstore}", "DeleteLogStore"),
    Route("GET", "/logstores/{logstore}/index", "GetIndex"),
    Route("POST", "/logstores/{logstore}/index", "CreateIndex"),
    Route("DELETE", "/logstores/{logstore}/index", "DeleteIndex"),
    Route("POST", "/logstores/{logstore}/logs", "GetLogStoreLogs"),
    Route("POST", "/configs", "CreateConfig"),
    Route("GET", "/configs/{configName}", "GetConfig"),
    Route("DELETE", "/configs/{configName}", "DeleteConfig"),
    Route("GET", "/machinegroups", "ListMachineGroup"),
    Route("POST", "/machinegroups", "CreateMachineGroup"),
    Route("GET", "/machinegroups/{groupName}", "GetMachineGroup"),
    Route("DELETE", "/machinegroups/{groupName}", "DeleteMachineGroup"),
    Route("GET", "/machinegroups/{groupName}/configs", "GetAppliedConfigs"),
    Route("PUT", "/machinegroups/{groupName}/configs/{configName}", "ApplyConfigToGroup"),
    Route("DELETE", "/machinegroups/{groupName}/configs/{configName}", "RemoveConfigFromGroup"),
]

ACTIONS: list[str] = [route.action for route in ROUTES]


def resolve_action(method: str, path: str, project: str | None) -> tuple[str, dict[str, str]] | None:
    """The action and path parameters of a request, or None when no route matches."""
    for route in ROUTES:
        found = route.match(method, path)
        if found is not None and (route.action == "ListProject") == (not project and path in ("", "/")):
            return route.action, found
    return None


_LOGSTORE_ACTIONS = {"CreateLogStore", "GetLogStore", "DeleteLogStore", "CreateIndex", "GetIndex",
                     "DeleteIndex", "GetLogStoreLogs"}
_CONFIG_ACTIONS = {"CreateConfig", "GetConfig", "DeleteConfig"}
_GROUP_ACTIONS = {"CreateMachineGroup", "GetMachineGroup", "DeleteMachineGroup", "ApplyConfigToGroup",
                  "RemoveConfigFromGroup", "GetAppliedConfigs"}


def _name(call: Call, param: str, body_field: str) -> str:
    value = call.params.get(param)
    if not value and isinstance(call.body, dict):
        value = call.body.get(body_field)
    return str(value) if value else "*"


def resource_arn(call: Call) -> str:
    """The ARN a call touches, for the resource-scoped policy check of the core."""
    base = f"acs:log:{call.region}:{call.account_id}:project"
    if not call.project or call.action == "ListProject":
        return f"{base}/*"
    project = f"{base}/{call.project}"
    if call.action in _LOGSTORE_ACTIONS:
        return f"{project}/logstore/{_name(call, 'logstore', 'logstoreName')}"
    if call.action == "ListLogStores":
        return f"{project}/logstore/*"
    if call.action in _CONFIG_ACTIONS:
        return f"{project}/logtailconfig/{_name(call, 'configName', 'configName')}"
    if call.action in _GROUP_ACTIONS:
        return f"{project}/machinegroup/{_name(call, 'groupName', 'groupName')}"
    if call.action == "ListMachineGroup":
        return f"{project}/machinegroup/*"
    return project


def body_dict(call: Call) -> dict[str, Any]:
    return call.body if isinstance(call.body, dict) else {}
