"""PrivateZone (pvtz 2018-01-01) errors with their codes and HTTP statuses.

The API metadata lists its error codes under HTTP 400 and the live service has not been seen to
answer 404 for a missing zone, so every client error here is 400 (``Zone.NotExists`` included).
Codes the metadata does not publish (the ``Record.Invalid.*`` family other than ``Conflict``,
``ZoneVpc.NotExists.VpcId`` for an unknown VPC, ``IdempotentParameterMismatch``) follow the
product's dotted naming and are recorded in docs/design.md as decisions.
"""

from __future__ import annotations

from emulator.core.api import ApiError


class ZoneNotExistsError(ApiError):
    def __init__(self, zone_id: str):
        super().__init__("Zone.NotExists", f"Zone is not exists: {zone_id}", 400)


class ZoneVpcExistsError(ApiError):
    def __init__(self, zone_id: str):
        super().__init__("Zone.VpcExists", f"Zone have vpc bound: {zone_id}", 400)


class ZoneInvalidNameError(ApiError):
    def __init__(self, name: str):
        super().__init__("Zone.Invalid.Name", f"The zone name is invalid: {name}", 400)


class ZoneRepeatedError(ApiError):
    """The VPC already resolves a zone of the same name through another zone."""

    def __init__(self, vpc_id: str, zone_name: str):
        super().__init__("ZoneVpc.Zone.Repeated", f"Vpc is bind to same zone name. vpc: {vpc_id}, "
                         f"zone: {zone_name}", 400)


class VpcNotExistsError(ApiError):
    def __init__(self, vpc_id: str, region: str):
        super().__init__("ZoneVpc.NotExists.VpcId", f"The VPC {vpc_id} does not exist in {region}.", 400)


class RecordConflictError(ApiError):
    def __init__(self, rr: str, rtype: str, value: str):
        super().__init__("Record.Invalid.Conflict", f"The record conflicts with an existing record: "
                         f"{rr} {rtype} {value}", 400)


class RecordInvalidError(ApiError):
    """An invalid record field: ``Record.Invalid.Rr``, ``.Type``, ``.Ttl``, ``.Value``, ``.Priority``."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"Record.Invalid.{field_name}", message, 400)


class RecordNotExistsError(ApiError):
    def __init__(self, record_id: object):
        super().__init__("Record.NotExists", f"The record does not exist: {record_id}", 400)


class InvalidParameterError(ApiError):
    def __init__(self, message: str):
        super().__init__("InvalidParameter", message, 400)


class MissingParameterError(ApiError):
    def __init__(self, name: str):
        super().__init__("MissingParameter", f"The input parameter \"{name}\" that is mandatory for "
                         "processing this request is not supplied.", 400)


class IdempotentMismatchError(ApiError):
    def __init__(self) -> None:
        super().__init__("IdempotentParameterMismatch", "The request uses the same client token as a "
                         "previous, but non-identical request.", 400)
