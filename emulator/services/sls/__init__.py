"""Simple Log Service (SLS REST API 0.6.0, ``aliyun.log.LogClient``).

One world-wide store (project names are unique across accounts); the region of a call is the
one the endpoint serves (``call.region``).  Actions are named as RAM names them, so the call log
and the role's policy speak the same names: ``GetLogStoreLogs`` is the SDK's GetLogs,
``GetAppliedConfigs`` its ``get_machine_group_applied_configs``, ``ApplyConfigToGroup`` and
``RemoveConfigFromGroup`` the apply/remove calls.
"""

from __future__ import annotations

from emulator.core.service import ServiceSpec
from emulator.services.sls.handlers import SlsHandlers
from emulator.services.sls.models import SlsStore, seed
from emulator.services.sls.routes import ACTIONS, ROUTES, resolve_action, resource_arn

SERVICE = ServiceSpec(
    product="sls",
    ram_code="log",
    version=None,
    style="SLS",
    scope="global",
    new_store=SlsStore,
    load_store=SlsStore.load,
    handlers=SlsHandlers,
    seed=seed,
    routes=ROUTES,
    actions=ACTIONS,
    ram_actions={"GetLogStoreLogs": "log:GetLogStoreLogs", "GetAppliedConfigs": "log:GetAppliedConfigs"},
    resource_arn=resource_arn,
)

__all__ = ["SERVICE", "SlsHandlers", "SlsStore", "resolve_action"]
