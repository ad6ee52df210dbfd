"""The error-code table: every entry classifies its own example (so no earlier entry shadows it)."""

from __future__ import annotations

import pytest

from alicloud.error_codes import RULES, Rule, classify
from alicloud.errors import (
    AlibabaCloudError,
    AuthError,
    ConflictError,
    DependencyViolationError,
    InvalidParameterError,
    NotFoundError,
    TransientError,
)


def _action_for(rule: Rule) -> str:
    return sorted(rule.actions)[0] if rule.actions else "SomeOtherAction"


@pytest.mark.parametrize("rule", RULES, ids=[f"{i:03d}-{r.pattern}" for i, r in enumerate(RULES)])
def test_classify_every_rule_claims_its_example(rule: Rule) -> None:
    found = classify(rule.sample, _action_for(rule))

    assert found is rule, f"{rule.sample!r} was classified by {found!r}"


@pytest.mark.parametrize("rule", RULES, ids=[f"{i:03d}-{r.pattern}" for i, r in enumerate(RULES)])
def test_classify_every_rule_is_retryable_only_when_transient_or_action_specific(rule: Rule) -> None:
    # A retryable rule is either a transient error or a not-yet-visible resource on a named action.
    if rule.retryable:
        assert issubclass(rule.error, TransientError) or (rule.actions and rule.error is NotFoundError)
    if issubclass(rule.error, TransientError):
        assert rule.retryable


def test_classify_zone_not_exists_right_after_add_zone_is_retryable() -> None:
    rule = classify("Zone.NotExists", "BindZoneVpc")

    assert rule is not None and rule.error is NotFoundError and rule.retryable


def test_classify_zone_not_exists_on_delete_is_final() -> None:
    rule = classify("Zone.NotExists", "DeleteZone")

    assert rule is not None and rule.error is NotFoundError and not rule.retryable


def test_classify_project_not_exist_on_get_project_is_final() -> None:
    rule = classify("ProjectNotExist", "GetProject")

    assert rule is not None and rule.error is NotFoundError and not rule.retryable


def test_classify_dependency_violation_is_not_retryable_by_itself() -> None:
    rule = classify("DependencyViolation", "DeleteSecurityGroup")

    assert rule is not None and rule.error is DependencyViolationError and not rule.retryable


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("InvalidAccessKeyId.NotFound", AuthError),
        ("Forbidden.VpcNotFound", NotFoundError),
        ("InvalidSecurityGroupId.NotFound", NotFoundError),
        ("EntityAlreadyExists.Role", ConflictError),
        ("OperationDenied.EndpointProtected", AuthError),
        ("InvalidStatus.ClusterUpdating", TransientError),
        ("Throttling", TransientError),
        ("IndexConfigNotExist", NotFoundError),
        ("SignatureNotMatch", AuthError),
        ("InvalidVpcIdNumber.NotSupported", InvalidParameterError),
    ],
)
def test_classify_code_that_two_patterns_match_gets_the_intended_class(
    code: str, error: type[AlibabaCloudError]
) -> None:
    rule = classify(code, "AnyAction")

    assert rule is not None and rule.error is error


def test_classify_unknown_code_is_none() -> None:
    assert classify("SomethingNobodyDocumented", "CreateVpcEndpoint") is None
