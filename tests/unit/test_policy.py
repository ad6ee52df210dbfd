"""RAM policy evaluation (emulator/core/policy.py)."""

from __future__ import annotations

import json
from pathlib import Path

from emulator.core.policy import evaluate

EAS_POLICY = json.loads(
    (Path(__file__).resolve().parents[2] / "emulator/world/eas_role_policy.json").read_text()
)
ACCOUNT = "1748290035126730"


def _log(resource: str) -> str:
    return f"acs:log:cn-hangzhou:{ACCOUNT}:{resource}"


def test_evaluate_owner_allows_everything() -> None:
    assert evaluate(None, "ram:CreateServiceLinkedRole", "*").allowed


def test_evaluate_listed_action_allowed() -> None:
    assert evaluate(EAS_POLICY, "privatelink:CreateVpcEndpoint", "*").allowed


def test_evaluate_unlisted_action_implicitly_denied() -> None:
    decision = evaluate(EAS_POLICY, "ecs:DescribeSecurityGroupAttribute", "*")
    assert (decision.allowed, decision.explicit) == (False, False)


def test_evaluate_action_matches_case_insensitively() -> None:
    assert evaluate(EAS_POLICY, "vpc:describevpcs", "*").allowed


def test_evaluate_log_project_in_scope_allowed() -> None:
    assert evaluate(EAS_POLICY, "log:CreateProject", _log("project/eas-demo")).allowed


def test_evaluate_log_project_out_of_scope_denied() -> None:
    assert not evaluate(EAS_POLICY, "log:CreateProject", _log("project/other-demo")).allowed


def test_evaluate_resource_star_spans_slashes() -> None:
    assert evaluate(EAS_POLICY, "log:CreateLogStore", _log("project/eas-demo/logstore/anything")).allowed


def test_evaluate_logstore_glob_spans_projects() -> None:
    assert evaluate(EAS_POLICY, "log:GetLogStore", _log("project/other/logstore/eas-ls")).allowed


def test_evaluate_explicit_deny_wins() -> None:
    policy = {
        "Statement": [
            {"Effect": "Allow", "Action": "ecs:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "ecs:Delete*", "Resource": "*"},
        ]
    }
    decision = evaluate(policy, "ecs:DeleteSecurityGroup", "*")
    assert (decision.allowed, decision.explicit) == (False, True)


def test_evaluate_not_action_excludes_listed_actions() -> None:
    policy = {"Statement": [{"Effect": "Allow", "NotAction": "ram:*", "Resource": "*"}]}
    assert not evaluate(policy, "ram:GetRole", "*").allowed


def test_evaluate_statement_with_condition_does_not_match() -> None:
    policy = {
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "*",
                "Resource": "*",
                "Condition": {"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}},
            }
        ]
    }
    assert not evaluate(policy, "vpc:DescribeVpcs", "*").allowed
