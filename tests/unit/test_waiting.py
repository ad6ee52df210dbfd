"""wait_for: polls with backoff, stops at the target, and says what blocked it."""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable, Iterator

import pytest

from alicloud.errors import NotFoundError, WaitTimeoutError
from alicloud.waiting import Poll, wait_for

START = calendar.timegm(time.strptime("2026-12-03T18:00:00Z", "%Y-%m-%dT%H:%M:%SZ"))


class FakeTime:
    def __init__(self) -> None:
        self.elapsed = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.elapsed

    def wall(self) -> float:
        return START + self.elapsed

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.elapsed += seconds


def _reader(states: list[str]) -> Callable[[], str]:
    """Return the states in turn, then keep returning the last one."""
    feed: Iterator[str] = iter(states)
    last = states[-1]

    def read() -> str:
        return next(feed, last)

    return read


def _wait(read: Callable[[], str], clock: FakeTime, timeout_s: float = 60.0, target: str = "Active") -> str:
    return wait_for(
        read,
        done=lambda s: s == target,
        state_of=lambda s: s,
        resource="ep-xxx",
        target=target,
        timeout_s=timeout_s,
        clock=clock.clock,
        wall=clock.wall,
        sleep=clock.sleep,
    )


def test_wait_for_returns_the_value_once_done() -> None:
    clock = FakeTime()

    assert _wait(_reader(["Creating", "Creating", "Active"]), clock) == "Active"
    assert len(clock.sleeps) == 2


def test_wait_for_does_not_sleep_when_already_done() -> None:
    clock = FakeTime()

    _wait(_reader(["Active"]), clock)

    assert clock.sleeps == []


def test_wait_for_backs_off_from_small_delays_to_the_cap() -> None:
    clock = FakeTime()
    poll = Poll(first_delay_s=0.25, factor=2.0, max_delay_s=5.0)

    with pytest.raises(WaitTimeoutError):
        wait_for(
            _reader(["Creating"]),
            done=lambda s: False,
            state_of=lambda s: s,
            resource="ep-xxx",
            target="Active",
            timeout_s=40.0,
            poll=poll,
            clock=clock.clock,
            wall=clock.wall,
            sleep=clock.sleep,
        )

    assert clock.sleeps[:6] == [0.25, 0.5, 1.0, 2.0, 4.0, 5.0]
    assert max(clock.sleeps) == 5.0


def test_wait_for_timeout_says_which_resource_is_in_which_state_since_when() -> None:
    clock = FakeTime()

    with pytest.raises(WaitTimeoutError) as raised:
        _wait(_reader(["Deleting"]), clock, timeout_s=30.0, target="gone")

    error = raised.value
    assert str(error.message).startswith("blocked: ep-xxx in Deleting since 2026-12-03T18:00:00Z")
    assert (error.resource, error.state, error.since, error.code) == (
        "ep-xxx",
        "Deleting",
        "2026-12-03T18:00:00Z",
        "WaitTimeout",
    )


def test_wait_for_since_is_when_the_current_state_began() -> None:
    clock = FakeTime()
    states = ["Creating"] * 5 + ["Pending"]  # one-second polls: Pending is first seen 5 s in

    with pytest.raises(WaitTimeoutError) as raised:
        wait_for(
            _reader(states),
            done=lambda s: False,
            state_of=lambda s: s,
            resource="ep-xxx",
            target="Active",
            timeout_s=60.0,
            poll=Poll(first_delay_s=1.0, factor=1.0),
            clock=clock.clock,
            wall=clock.wall,
            sleep=clock.sleep,
        )

    assert (raised.value.state, raised.value.since) == ("Pending", "2026-12-03T18:00:05Z")


def test_wait_for_never_sleeps_past_the_deadline() -> None:
    clock = FakeTime()

    with pytest.raises(WaitTimeoutError):
        _wait(_reader(["Creating"]), clock, timeout_s=7.0)

    assert clock.elapsed == pytest.approx(7.0)


def test_wait_for_lets_read_errors_through() -> None:
    def read() -> str:
        raise NotFoundError("gone", code="EndpointNotFound")

    with pytest.raises(NotFoundError):
        _wait(read, FakeTime())


def test_wait_for_rejects_a_non_positive_timeout() -> None:
    with pytest.raises(ValueError, match="timeout_s"):
        _wait(_reader(["Active"]), FakeTime(), timeout_s=0)


def test_wait_for_with_share_ends_at_most_a_share_late() -> None:
    from alicloud.waiting import Poll, wait_for

    now = [0.0]
    ready_at = 20.0

    def sleep(seconds: float) -> None:
        now[0] += seconds

    wait_for(lambda: now[0] >= ready_at, done=bool, state_of=str, resource="r", target="True", timeout_s=300,
             poll=Poll(first_delay_s=0.25, factor=1.5, max_delay_s=5.0, share=0.1),
             clock=lambda: now[0], wall=lambda: now[0], sleep=sleep)
    assert ready_at <= now[0] <= ready_at * 1.1 + 0.25


def test_poll_next_delay_without_share_grows_to_the_cap() -> None:
    from alicloud.waiting import Poll

    poll = Poll(first_delay_s=1.0, factor=2.0, max_delay_s=3.0)
    assert [poll.next_delay(d, 100.0) for d in (1.0, 2.0, 3.0)] == [2.0, 3.0, 3.0]
