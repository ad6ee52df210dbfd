"""VPC error answers, with the codes and HTTP statuses of the real API (reference network §3)."""

from __future__ import annotations

from emulator.core.api import ApiError


class VpcIdNumberError(ApiError):
    def __init__(self) -> None:
        super().__init__(
            "InvalidVpcIdNumber.NotSupported", "The number of specified VPC IDs exceeds 20.", 400
        )


class VpcNotFoundForVSwitchesError(ApiError):
    """DescribeVSwitches with a VpcId the account does not own."""

    def __init__(self, vpc_id: str) -> None:
        super().__init__("Forbidden.VpcNotFound", f"Specified VPC can not found: {vpc_id}.", 400)


class VSwitchNotFoundError(ApiError):
    def __init__(self, vswitch_id: str) -> None:
        super().__init__(
            "InvalidVSwitchId.NotFound", f"Specified virtual switch does not exist: {vswitch_id}.", 400
        )


class VSwitchIdNumberError(ApiError):
    def __init__(self) -> None:
        super().__init__(
            "InvalidVSwitchIdNumber.NotSupported", "The number of specified vSwitch IDs exceeds 20.", 404
        )


class MissingRegionOrVpcError(ApiError):
    def __init__(self) -> None:
        super().__init__("MissingParameter", "At least one of RegionId and VpcId must be specified.", 400)


class DryRunPassedError(ApiError):
    def __init__(self) -> None:
        super().__init__("DryRunOperation", "Request validation has been passed with DryRun flag set.", 400)
