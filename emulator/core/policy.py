"""RAM policy evaluation: explicit Deny wins, then Allow, else implicit deny.

Supported: ``Effect``, ``Action`` / ``NotAction`` and ``Resource`` / ``NotResource`` as a string
or a list, with ``*`` and ``?`` wildcards.  Actions match case-insensitively (RAM treats
``ecs:describevpcs`` and ``ecs:DescribeVpcs`` alike).  In a resource, ``*`` matches any run of
characters *including* ``/`` (docs/design.md), so ``acs:log:*:*:project/eas-*`` covers every
logstore of an ``eas-`` project.  ``Condition`` blocks are not evaluated: a statement with a
condition is treated as not matching, which can only narrow what a policy allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from emulator.core.api import ApiError

ALLOW = "Allow"
DENY = "Deny"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    explicit: bool  # True when a Deny statement matched


@lru_cache(maxsize=4096)
def _glob(pattern: str, case_insensitive: bool) -> re.Pattern[str]:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(f"^{regex}$", re.IGNORECASE | re.DOTALL if case_insensitive else re.DOTALL)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _matches(patterns: list[str], value: str, case_insensitive: bool) -> bool:
    return any(_glob(p, case_insensitive).match(value) for p in patterns)


def _statement_matches(statement: dict[str, Any], action: str, resource: str) -> bool:
    if statement.get("Condition"):
        return False
    if "NotAction" in statement:
        action_ok = not _matches(_as_list(statement["NotAction"]), action, True)
    else:
        action_ok = _matches(_as_list(statement.get("Action")), action, True)
    if "NotResource" in statement:
        resource_ok = not _matches(_as_list(statement["NotResource"]), resource, False)
    else:
        resource_ok = _matches(_as_list(statement.get("Resource", "*")), resource, False)
    return action_ok and resource_ok


def evaluate(policy: dict[str, Any] | None, action: str, resource: str) -> Decision:
    """``policy`` None means the account owner: everything is allowed."""
    if policy is None:
        return Decision(True, False)
    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    allowed = False
    for statement in statements:
        if not _statement_matches(statement, action, resource):
            continue
        if statement.get("Effect") == DENY:
            return Decision(False, True)
        if statement.get("Effect") == ALLOW:
            allowed = True
    return Decision(allowed, False)


class PermissionDeniedError(ApiError):
    """A call refused by the principal's policy; carries the gateway's ``AccessDeniedDetail``."""

    def __init__(
        self, code: str, message: str, status: int, access_denied_detail: dict[str, Any] | None = None
    ):
        super().__init__(code, message, status)
        self.access_denied_detail = access_denied_detail


def openapi_denied(
    ram_action: str, principal_name: str, account_id: str, decision: Decision
) -> PermissionDeniedError:
    """403 ``Forbidden.RAM``: the code the ECS gateway (and most RPC products) answer today."""
    detail = {
        "AuthAction": ram_action,
        "AuthPrincipalType": "SubUser",
        "AuthPrincipalOwnerId": account_id,
        "AuthPrincipalDisplayName": principal_name,
        "PolicyType": "AccountLevelIdentityBasedPolicy",
        "NoPermissionType": "ExplicitDeny" if decision.explicit else "ImplicitDeny",
    }
    message = (
        "User not authorized to operate on the specified resource, or this API doesn't support RAM. "
        f"Action: {ram_action}"
    )
    return PermissionDeniedError("Forbidden.RAM", message, 403, detail)


def sls_denied(ram_action: str, resource: str) -> PermissionDeniedError:
    return PermissionDeniedError(
        "Unauthorized", f"denied by sts or ram, action: {ram_action}, resource: {resource}", 401
    )
