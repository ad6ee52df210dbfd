"""The shared state of a flow run: tokens, plans, background record saves."""

from __future__ import annotations

import contextvars
import logging
import threading
from pathlib import Path

import pytest

from blocks.credentials import AlibabaCloudCredentials
from flows.context import Run
from flows.spec import load_spec

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "resource-group.yaml"
_WHERE = contextvars.ContextVar("where", default="outside")


def _run(operation: str = "op-1", dry_run: bool = False) -> Run:
    return Run(load_spec(EXAMPLE), AlibabaCloudCredentials(), operation, dry_run)


def test_token_is_stable_per_operation_and_step() -> None:
    assert _run().token("private-zone") == _run().token("private-zone")
    assert _run().token("private-zone") != _run("op-2").token("private-zone")
    assert _run().token("private-zone") != _run().token("security-group")
    assert len(_run().token("x")) == 32


def test_mutate_in_a_plan_only_records_the_sentence() -> None:
    run = _run(dry_run=True)
    assert run.mutate(object(), "create security group eas-rg-demo") is None
    assert (run.planned, run.changes) == (["create security group eas-rg-demo"], [])


def test_save_soon_runs_in_the_background_with_the_runs_context() -> None:
    run, release, seen = _run(), threading.Event(), []
    _WHERE.set("in the flow")

    def save() -> None:
        release.wait(5)
        seen.append(_WHERE.get())

    run.save_soon(save)
    assert seen == []  # the caller went on
    release.set()
    run.wait_for_saves()
    assert seen == ["in the flow"]


def test_save_soon_failure_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    run = _run()

    def save() -> None:
        raise RuntimeError("API unreachable")

    with caplog.at_level(logging.WARNING, logger="eas-rg"):
        run.save_soon(save)
        run.wait_for_saves()
    assert "a save to the resource-group record failed" in caplog.text


def test_wait_for_save_raises_what_made_a_named_save_fail() -> None:
    run = _run()

    def save() -> None:
        raise RuntimeError("API unreachable")

    run.save_soon(save, name="intent")
    with pytest.raises(RuntimeError, match=r"could not be saved \(intent\)") as raised:
        run.wait_for_save("intent")
    assert str(raised.value.__cause__) == "API unreachable"


def test_wait_for_save_of_a_save_never_started_returns_at_once() -> None:
    _run().wait_for_save("intent")
