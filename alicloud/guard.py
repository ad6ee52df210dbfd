"""The policy guard: when running "as the EAS role", refuse before sending what the role may not do.

Every action function names its RAM action (``privatelink:CreateVpcEndpoint``) and, for Log
Service, its resource ARN (``acs:log:<region>:*:project/<p>[/logstore/<ls>]``).  The guard
evaluates them against the role's policy document (``policies/eas_role_policy.json``) with the
semantics recorded in docs/design.md:

* ``*`` matches any run of characters, ``/`` included (``acs:log:*:*:project/eas-*`` covers every
  sub-resource of an ``eas-`` project); action names compare case-insensitively, resources
  case-sensitively;
* an explicit ``Deny`` wins over any ``Allow``; nothing allowed means denied;
* a statement with a ``Condition`` cannot be evaluated locally: it never allows, and a ``Deny``
  with a condition is applied (the safe reading for a guard).

The point is to find out locally, with a clear message, that a flow would fail in production
where EAS acts with the role: :class:`~alicloud.errors.PolicyDeniedError` names the action and
the resource, and no request leaves the process.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from alicloud.errors import PolicyDeniedError
from policies import load_role_policy


class PolicyGuard:
    """Checks (action, resource) against a policy document; with no document, allows everything."""

    def __init__(self, policy: Mapping[str, Any] | None = None) -> None:
        self._statements = list(policy.get("Statement", [])) if policy is not None else None

    @classmethod
    def for_eas_role(cls) -> PolicyGuard:
        return cls(load_role_policy())

    @property
    def enabled(self) -> bool:
        return self._statements is not None

    def allows(self, ram_action: str, resource: str = "*") -> bool:
        if self._statements is None:
            return True
        allowed = False
        for statement in self._statements:
            if not _applies(statement, ram_action, resource):
                continue
            if statement.get("Effect") == "Deny":
                return False
            if statement.get("Effect") == "Allow" and "Condition" not in statement:
                allowed = True
        return allowed

    def check(self, ram_action: str, resource: str = "*", *, product: str = "", action: str = "") -> None:
        """Raise :class:`PolicyDeniedError` unless the policy allows ``ram_action`` on ``resource``."""
        if self.allows(ram_action, resource):
            return
        raise PolicyDeniedError(
            f"the EAS role's policy does not allow {ram_action} on {resource}; the call was not sent",
            code="PolicyDenied",
            product=product,
            action=action,
        )


def log_resource(
    region: str,
    project: str,
    *,
    logstore: str | None = None,
    machine_group: str | None = None,
    config: str | None = None,
) -> str:
    """The Log Service ARN of a project or one of its children (the account is ``*``)."""
    arn = f"acs:log:{region}:*:project/{project}"
    if logstore:
        arn += f"/logstore/{logstore}"
    elif machine_group:
        arn += f"/machinegroup/{machine_group}"
    elif config:
        arn += f"/logtailconfig/{config}"
    return arn


def _applies(statement: Mapping[str, Any], ram_action: str, resource: str) -> bool:
    actions = _as_list(statement.get("Action"))
    resources = _as_list(statement.get("Resource", "*"))
    return any(_glob(a, ignore_case=True).fullmatch(ram_action) for a in actions) and any(
        _glob(r, ignore_case=False).fullmatch(resource) for r in resources
    )


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


@lru_cache(maxsize=256)
def _glob(pattern: str, *, ignore_case: bool) -> re.Pattern[str]:
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.compile(regex, re.IGNORECASE if ignore_case else 0)
