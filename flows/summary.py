"""What a flow returns and publishes: every resource with its id and state, and what changed."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from prefect.artifacts import create_markdown_artifact
from pydantic import BaseModel, Field


class Resource(BaseModel):
    kind: str
    id: str
    name: str
    state: str
    detail: str = ""


class Summary(BaseModel):
    """The outcome of onboarding, teardown, a plan or a health check."""

    name: str
    region: str
    action: str  # onboarding | teardown | health check | role deletion
    status: str  # onboarded | in sync | planned | torn down | blocked | healthy | drifted | failed ...
    resources: list[Resource] = Field(default_factory=list)
    changes: list[str] = Field(default_factory=list)
    planned: list[str] = Field(default_factory=list)
    kept: list[str] = Field(default_factory=list)
    failures: list[str] = Field(default_factory=list)
    wall_time_s: float = 0.0

    def __init__(self, **data: Any):
        data["resources"] = [
            asdict(r) if hasattr(r, "__dataclass_fields__") else r for r in data.get("resources", [])
        ]
        super().__init__(**data)


def table(resources: list[Resource]) -> list[str]:
    """A plain-text table (for the CLI)."""
    rows = [("KIND", "ID", "NAME", "STATE", "DETAIL")] + [
        (r.kind, r.id, r.name, r.state, r.detail) for r in resources
    ]
    widths = [min(60, max(len(row[i]) for row in rows)) for i in range(4)]
    # The last column (the detail: a CNAME's target, a holder's id) is never cut.
    return [
        "  ".join([*(cell[:60].ljust(widths[i]) for i, cell in enumerate(row[:4])), row[4]]).rstrip()
        for row in rows
    ]


def markdown(summary: Summary) -> str:
    lines = [
        f"# {summary.action.capitalize()} of `{summary.name}` ({summary.region}): **{summary.status}**",
        "",
        f"Wall time: {summary.wall_time_s:.1f} s",
        "",
        "| kind | id | name | state | detail |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {r.kind} | `{r.id}` | {r.name} | {r.state} | {r.detail} |" for r in summary.resources]
    for title, items in (
        ("Changes", summary.changes),
        ("Planned", summary.planned),
        ("Kept", summary.kept),
        ("Failures", summary.failures),
    ):
        if items:
            lines += ["", f"## {title}", ""] + [f"- {item}" for item in items]
    return "\n".join(lines)


def publish_summary(summary: Summary) -> None:
    """A markdown artifact keyed by the resource group (lowercase, digits, dashes)."""
    key = f"{summary.action.replace(' ', '-')}-{summary.region}-{summary.name}".lower()
    create_markdown_artifact(
        key=key, markdown=markdown(summary), description=f"{summary.action} {summary.status}"
    )
