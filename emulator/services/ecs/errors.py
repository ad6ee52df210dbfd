"""ECS error answers: the codes and HTTP statuses of the real API (reference network §4)."""

from __future__ import annotations

from emulator.core.api import ApiError


def security_group_not_found(group_id: str) -> ApiError:
    return ApiError(
        "InvalidSecurityGroupId.NotFound", f"The specified security group does not exist: {group_id}.", 404
    )


def vpc_not_found(vpc_id: str) -> ApiError:
    return ApiError("InvalidVpcId.NotFound", f"The specified VPC does not exist: {vpc_id}.", 404)


def vpc_id_missing() -> ApiError:
    # The real service answers this missing parameter with the not-found code and 403.
    return ApiError(
        "InvalidVpcId.NotFound", "The VpcId must not be empty: classic network is not supported.", 403
    )


def vpc_not_available(vpc_id: str) -> ApiError:
    return ApiError(
        "IncorrectVpcStatus", f"The current status of the VPC {vpc_id} does not support this operation.", 400
    )


def quota_exceeded(limit: int) -> ApiError:
    return ApiError(
        "QuotaExceed.SecurityGroup", f"The maximum number of security groups is reached ({limit}).", 403
    )


def malformed(code: str, what: str) -> ApiError:
    return ApiError(code, f"The specified parameter {what} is not valid.", 400)


def dependency_on_interfaces(group_id: str, interfaces: list[str]) -> ApiError:
    return ApiError(
        "DependencyViolation",
        f"There is still instance(s) in the specified security group "
        f"{group_id}: network interface(s) {', '.join(interfaces)}.",
        403,
    )


def dependency_on_references(group_id: str, referrers: list[str]) -> ApiError:
    return ApiError(
        "DependencyViolation",
        f"The specified security group {group_id} has been authorized in "
        f"another one: {', '.join(referrers)}.",
        403,
    )


def rule_limit(group_id: str, limit: int) -> ApiError:
    # 403 as documented for AuthorizeSecurityGroup (newer rule-editing APIs document 400).
    return ApiError(
        "AuthorizationLimitExceed",
        f"The limit of authorization records in the security group {group_id} reaches ({limit} rules).",
        403,
    )


def rule_not_found(rule_id: str) -> ApiError:
    return ApiError(
        "InvalidSecurityGroupRuleId.NotFound",
        f"The specified security group rule does not exist: {rule_id}.",
        404,
    )


def peer_group_not_found(code: str, group_id: str) -> ApiError:
    return ApiError(code, f"The specified security group does not exist: {group_id}.", 404)


def peer_group_mismatch(code: str, group_id: str) -> ApiError:
    return ApiError(code, f"The security group {group_id} is not in the same VPC as this one.", 400)


def conflict(message: str) -> ApiError:
    # The code carries the real service's spelling.
    return ApiError("InvalidParamter.Conflict", message, 403)


def operation_denied(message: str) -> ApiError:
    return ApiError("OperationDenied", message, 400)


def missing(name: str) -> ApiError:
    return ApiError(
        "MissingParameter",
        f'The input parameter "{name}" that is mandatory for processing this request is not supplied.',
        400,
    )


def invalid(message: str) -> ApiError:
    return ApiError("InvalidParameter", message, 400)


def dry_run_passed() -> ApiError:
    return ApiError("DryRunOperation", "Request validation has been passed with DryRun flag set.", 400)
