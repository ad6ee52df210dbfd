"""Onboarding the example group on the emulator, checked in the emulator's state."""

from __future__ import annotations

from flows.onboarding import onboard_resource_group
from flows.spec import ResourceGroupSpec
from tests.support.emulator_control import EmulatorControl


def test_onboard_resource_group_reaches_onboarded(emulator: EmulatorControl, spec: ResourceGroupSpec,
                                                  credentials_block: str) -> None:
    summary = onboard_resource_group(spec, credentials_block=credentials_block)
    assert summary.status == "onboarded"
    kinds = {r.kind for r in summary.resources}
    assert {"security group", "endpoint", "private zone", "log project", "kubeconfig secret"} <= kinds
