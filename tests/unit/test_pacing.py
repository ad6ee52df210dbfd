"""Client-side pacing per API action: burst, steady rate, holds after throttling, easing back."""

from __future__ import annotations

import pytest

from alicloud.pacing import Pacer, is_throttle, shared_pacer
from alicloud.settings import Settings


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def pacer(qps: float) -> tuple[Pacer, FakeTime]:
    fake = FakeTime()
    return Pacer(qps, clock=fake.clock, sleep=fake.sleep), fake


def test_reserve_allows_a_burst_of_qps_then_one_per_interval() -> None:
    paced, _ = pacer(5)
    waits = [paced.reserve("vpc:DescribeVpcs") for _ in range(8)]
    assert waits[:5] == [0.0] * 5
    assert waits[5:] == pytest.approx([0.2, 0.4, 0.6])


def test_reserve_keeps_actions_apart() -> None:
    paced, _ = pacer(1)
    assert paced.reserve("ecs:CreateSecurityGroup") == 0.0
    assert paced.reserve("ecs:DescribeSecurityGroups") == 0.0
    assert paced.reserve("ecs:CreateSecurityGroup") == pytest.approx(1.0)


def test_acquire_sleeps_until_the_slot_and_an_idle_action_gets_its_burst_back() -> None:
    paced, fake = pacer(2)
    for _ in range(3):
        paced.acquire("pvtz:AddZone")
    assert fake.slept == pytest.approx([0.5])
    fake.now += 10
    assert [paced.acquire("pvtz:AddZone") for _ in range(2)] == [0.0, 0.0]


def test_hold_pauses_every_caller_for_the_time_asked_and_slows_the_action() -> None:
    paced, _ = pacer(4)
    paced.hold("privatelink:ListVpcEndpointZones", 1.5)
    assert paced.rate("privatelink:ListVpcEndpointZones") == pytest.approx(3.0)
    first, second = (paced.reserve("privatelink:ListVpcEndpointZones") for _ in range(2))
    assert first == pytest.approx(1.5)
    assert second == pytest.approx(1.5 + 1 / 3)


def test_hold_without_a_retry_after_pauses_one_interval() -> None:
    paced, _ = pacer(5)
    paced.hold("sls:CreateLogStore", None)
    assert paced.reserve("sls:CreateLogStore") == pytest.approx(1 / 3.75)


def test_hold_never_slows_below_a_sixteenth_of_the_budget() -> None:
    paced, _ = pacer(16)
    for _ in range(50):
        paced.hold("log:GetProject", 0.1)
    assert paced.rate("log:GetProject") == pytest.approx(1.0)


def test_ease_wins_the_rate_back_up_to_the_budget() -> None:
    paced, _ = pacer(10)
    paced.hold("vpc:DescribeVpcAttribute", 0.1)
    for _ in range(4):
        paced.ease("vpc:DescribeVpcAttribute")
    assert paced.rate("vpc:DescribeVpcAttribute") == pytest.approx(9.5)
    paced.ease("vpc:DescribeVpcAttribute")
    assert paced.rate("vpc:DescribeVpcAttribute") == 10.0


def test_zero_qps_turns_pacing_off() -> None:
    paced, fake = pacer(0)
    paced.hold("x:Y", 5)
    assert [paced.acquire("x:Y") for _ in range(100)] == [0.0] * 100
    assert fake.slept == []


def test_negative_qps_is_refused() -> None:
    with pytest.raises(ValueError, match="0 \\(no pacing\\) or positive"):
        Pacer(-1)


def test_shared_pacer_is_one_per_budget() -> None:
    assert shared_pacer(7.5) is shared_pacer(7.5)
    assert shared_pacer(7.5) is not shared_pacer(8.5)


@pytest.mark.parametrize(
    ("code", "throttle"),
    [
        ("Throttling.User", True),
        ("Throttling", True),
        ("WriteQuotaExceed", True),
        ("ReadQuotaExceed", True),
        ("ServiceUnavailable", False),
        ("ProjectQuotaExceed", False),
    ],
)
def test_is_throttle_knows_the_codes_of_every_product(code: str, throttle: bool) -> None:
    assert is_throttle(code) is throttle


def test_settings_api_qps_defaults_to_ten_and_refuses_negatives(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().api_qps == 10.0
    monkeypatch.setenv("EASRG_API_QPS", "-2")
    with pytest.raises(ValueError, match="api_qps must be 0"):
        Settings()
