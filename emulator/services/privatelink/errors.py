"""PrivateLink error answers.  Every documented PrivateLink error is HTTP 400, not-found ones included.

Codes marked *emulator choice* are not published; the reasons are in ``docs/design.md``.
"""

from __future__ import annotations

from emulator.core.api import ApiError

QUOTA_MESSAGE = "The quota of %s is exceeded, usage %s/%s."


def _error(code: str, message: str) -> ApiError:
    return ApiError(code, message, 400)


def not_activated() -> ApiError:
    return _error("NeedOpenProduct", "The PrivateLink service is not activated for this account.")


def already_activated() -> ApiError:
    # The code carries the real service's spelling.
    return _error("OrderOpend", "The PrivateLink service has already been activated.")


def service_not_found(what: str) -> ApiError:
    return _error("EndpointServiceNotFound", f"The specified endpoint service does not exist: {what}.")


def zone_not_supported(zone_id: str, service_id: str) -> ApiError:
    return _error(
        "EndpointServiceNotSupportedZone",
        f"The endpoint service {service_id} is not available in zone {zone_id}.",
    )


def endpoint_not_found(endpoint_id: str) -> ApiError:
    return _error("EndpointNotFound", f"The specified endpoint does not exist: {endpoint_id}.")


def endpoint_duplicated(service_id: str, vpc_id: str, endpoint_id: str) -> ApiError:
    # Emulator choice of scope: one endpoint per service and VPC.
    return _error(
        "EndpointDuplicated",
        f"An endpoint of service {service_id} already exists in VPC {vpc_id}: {endpoint_id}.",
    )


def operation_denied(endpoint_id: str, status: str) -> ApiError:
    return _error(
        "EndpointOperationDenied",
        f"The endpoint {endpoint_id} is {status}; the operation is denied until it is Active.",
    )


def locked(endpoint_id: str, zone_id: str, status: str) -> ApiError:
    return _error("EndpointLocked", f"The endpoint {endpoint_id} is locked: zone {zone_id} is {status}.")


def connecting(endpoint_id: str) -> ApiError:
    return _error("EndpointConnectionOperationDenied", f"The endpoint {endpoint_id} is being connected.")


def dependence(endpoint_id: str, zone_ids: list[str]) -> ApiError:
    return _error(
        "EndpointDependenceViolation",
        f"The endpoint {endpoint_id} has dependent zone(s): {', '.join(zone_ids)}.",
    )


def zone_duplicated(zone_id: str) -> ApiError:
    return _error("EndpointZoneDuplicated", f"The zone {zone_id} is given more than once or already added.")


def zone_not_found(zone_id: str) -> ApiError:
    return _error("EndpointZoneNotFound", f"The endpoint has no zone {zone_id}.")


def vpc_not_found(vpc_id: str) -> ApiError:
    return _error("VpcNotFound", f"The specified VPC does not exist: {vpc_id}.")


def vswitch_not_found(vswitch_id: str, vpc_id: str) -> ApiError:
    return _error("VSwitchNotFound", f"The specified vSwitch {vswitch_id} does not exist in VPC {vpc_id}.")


def vswitch_zone_mismatch(vswitch_id: str, zone_id: str) -> ApiError:
    # Emulator choice.
    return _error("IllegalParam.ZoneId", f"The vSwitch {vswitch_id} is not in zone {zone_id}.")


def vswitch_status(vswitch_id: str, status: str) -> ApiError:
    return _error("VSwitchStatusNotAllowed", f"The vSwitch {vswitch_id} is {status}.")


def no_free_ip(vswitch_id: str) -> ApiError:
    return _error("ResourceNotEnough.VSwitchIp", f"The vSwitch {vswitch_id} has no free IP address.")


def ip_unavailable(ip: str, vswitch_id: str) -> ApiError:
    return _error("EniIpUnavailable", f"The IP address {ip} is not available in vSwitch {vswitch_id}.")


def security_group_not_found(group_id: str) -> ApiError:
    return _error(
        "SecurityGroupNotFound",
        f"The specified security group does not exist in the endpoint's VPC: {group_id}.",
    )


def security_group_not_attached(group_id: str, endpoint_id: str) -> ApiError:
    return _error("SecurityGroupNotFound", f"The security group {group_id} is not attached to {endpoint_id}.")


def security_group_types() -> ApiError:
    # The code carries the real service's spelling.
    return _error(
        "SecurityGroupTypeOnlySingleTypeSupporteded",
        "All security groups of an endpoint must be of one type (basic or advanced).",
    )


def security_group_required() -> ApiError:
    return _error("EndpointMustContainSecurityGroup", "An endpoint must keep at least one security group.")


def security_group_exists(group_id: str) -> ApiError:
    return _error("SecurityGroupExist", f"The security group {group_id} is already attached.")


def quota(name: str, usage: int, limit: int) -> ApiError:
    return _error(f"QuotaExceeded.{name}", QUOTA_MESSAGE % (name, usage, limit))


def endpoint_type(value: str) -> ApiError:
    return _error(
        "Mismatch.EndpointType", f"The endpoint type {value} does not match the service (Interface)."
    )


def illegal(name: str, rule: str) -> ApiError:
    return _error(f"IllegalParam.{name}", f"The parameter {name} is illegal: {rule}.")


def missing(name: str) -> ApiError:
    return ApiError(
        "MissingParameter",
        f'The input parameter "{name}" that is mandatory for processing this request is not supplied.',
        400,
    )


def dry_run_passed() -> ApiError:
    return _error("DryRunOperation", "Request validation has been passed with DryRun flag set.")
