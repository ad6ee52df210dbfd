"""Poll a read until the resource reaches a target state, within a deadline.

Polling starts small (asynchronous PrivateLink steps take seconds in the emulator and tens of
seconds in the cloud) and backs off to a cap, never sleeping past the deadline.  On timeout,
:class:`~alicloud.errors.WaitTimeoutError` says which resource is stuck in which state and since
when, e.g. ``blocked: ep-xxx in Deleting since 2026-12-03T18:00:00Z``: enough for an operator
to decide between waiting longer and opening a ticket.  Clock and sleep are injectable for
unit tests.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from alicloud.errors import WaitTimeoutError

S = TypeVar("S")

log = logging.getLogger("alicloud")


@dataclass(frozen=True)
class Poll:
    """How to poll: first delay, growth factor and cap, in seconds.

    ``share`` (0 to 1) also caps each delay at that share of the time waited so far (never below
    ``first_delay_s``): the wait then ends at most that share late, whatever the resource's pace,
    while the number of reads stays logarithmic in the wait.
    """

    first_delay_s: float = 0.25
    factor: float = 1.6
    max_delay_s: float = 5.0
    share: float = 0.0

    def next_delay(self, delay: float, waited_s: float) -> float:
        grown = min(delay * self.factor, self.max_delay_s)
        if self.share > 0:
            grown = min(grown, max(self.first_delay_s, self.share * waited_s))
        return grown


#: The polling every waiter uses unless told otherwise.
DEFAULT_POLL = Poll()


def wait_for(
    read: Callable[[], S],
    *,
    done: Callable[[S], bool],
    state_of: Callable[[S], str],
    resource: str,
    target: str,
    timeout_s: float,
    poll: Poll = DEFAULT_POLL,
    clock: Callable[[], float] = time.monotonic,
    wall: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> S:
    """Call ``read`` until ``done`` holds for its result; return that result.

    ``state_of`` names the observed state for logs and for the timeout message; ``target``
    names what was awaited.  Errors raised by ``read`` propagate (reads retry transient errors
    themselves).
    """
    if timeout_s <= 0:
        raise ValueError(f"timeout_s must be positive, not {timeout_s}")
    started = clock()
    deadline = started + timeout_s
    delay = poll.first_delay_s
    last_state: str | None = None
    since = wall()
    while True:
        value = read()
        state = state_of(value)
        if state != last_state:
            since = wall()
            log.info("%s is %s (waiting for %s)", resource, state, target)
            last_state = state
        if done(value):
            return value
        remaining = deadline - clock()
        if remaining <= 0:
            raise WaitTimeoutError(
                f"blocked: {resource} in {state} since {_iso(since)} (waited {timeout_s:g} s for {target})",
                resource=resource,
                state=state,
                since=_iso(since),
            )
        sleep(min(delay, remaining))
        delay = poll.next_delay(delay, clock() - started)


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
