"""The health check's verdict and its wording, without a flow run."""

from __future__ import annotations

from flows.health_check import HealthCheckError, health_markdown, status_of
from flows.health_steps import Finding
from flows.summary import Summary

DRIFT = Finding("endpoint", "eas-rg-demo-log", "ep-1", "is Pending, not Active", "wait")


def test_status_of_nothing_found_is_healthy() -> None:
    assert status_of([], []) == "healthy"


def test_status_of_unreadable_part_is_unreadable() -> None:
    assert status_of([], ["logs: Unauthorized"]) == "unreadable"


def test_status_of_drift_wins_over_unreadable_parts() -> None:
    assert status_of([DRIFT], ["logs: Unauthorized"]) == "drifted"


def test_finding_sentence_names_resource_id_and_fix() -> None:
    assert DRIFT.sentence() == "endpoint eas-rg-demo-log (ep-1): is Pending, not Active. Fix: wait"


def test_health_markdown_lists_findings_with_what_to_do() -> None:
    summary = Summary(
        name="demo",
        region="cn-hangzhou",
        action="health check",
        status="drifted",
        failures=[DRIFT.sentence()],
    )
    text = health_markdown(summary, [DRIFT], ["logs: Unauthorized"])
    assert "| endpoint eas-rg-demo-log | `ep-1` | is Pending, not Active | wait |" in text
    assert "- logs: Unauthorized: check the credentials block, the endpoint and the network" in text
    assert "## Failures" not in text


def test_health_check_error_keeps_summary_when_pickled() -> None:
    import pickle

    summary = Summary(
        name="demo",
        region="cn-hangzhou",
        action="health check",
        status="unreadable",
        failures=["could not read logs: Unauthorized"],
    )
    error = pickle.loads(pickle.dumps(HealthCheckError(summary)))
    assert error.summary == summary
    assert str(error) == "demo (cn-hangzhou) is unreadable:\n  - could not read logs: Unauthorized"
