"""What every step of a flow run shares: the spec, the credentials, the run's identity and its changes.

``Run.mutate`` is the single door for every mutating task call in onboarding and teardown:

* in a plan (``dry_run``) it records what *would* be done and sends nothing;
* otherwise it records the change (so a run that changed nothing reports "in sync") and calls
  the task with the run's credentials.

Client tokens come from :meth:`Run.token`: a UUID derived from the operation id and the step, so
a retried task re-sends the same token (the API answers with the first result) while a new
operation gets fresh ones.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

from blocks.credentials import AlibabaCloudCredentials
from flows.spec import ResourceGroupSpec

_TOKENS = uuid.UUID("6f1c3c52-5b7e-4a59-9a43-9f7a3d1e0c11")


class Run:
    """Shared, thread-safe state of one flow run (deliberately not a dataclass or model: Prefect
    leaves plain objects passed to tasks alone)."""

    def __init__(
        self,
        spec: ResourceGroupSpec,
        credentials: AlibabaCloudCredentials,
        operation_id: str,
        dry_run: bool = False,
    ):
        self.spec = spec
        self.credentials = credentials
        self.operation_id = operation_id
        self.dry_run = dry_run
        self.as_role = credentials.settings().as_role
        self._lock = threading.Lock()
        self.changes: list[str] = []
        self.planned: list[str] = []
        self.kept: list[str] = []

    def __repr__(self) -> str:  # shown in task-run parameters: never the credentials
        return f"Run({self.spec.name}, op={self.operation_id}, dry_run={self.dry_run})"

    def token(self, step: str) -> str:
        """A ClientToken for ``step`` of this operation (32 hex characters, ASCII, stable)."""
        return uuid.uuid5(_TOKENS, f"{self.operation_id}:{self.spec.region}:{self.spec.name}:{step}").hex

    def mutate(self, task: Any, what: str, **kwargs: Any) -> Any:
        """Call a mutating task (or only plan it); ``what`` is a human sentence for the summary."""
        if self.dry_run:
            with self._lock:
                self.planned.append(what)
            return None
        with self._lock:
            self.changes.append(what)
        return task(**kwargs, credentials=self.credentials)

    def read(self, task: Any, **kwargs: Any) -> Any:
        """Call a read-only task with the run's credentials."""
        return task(**kwargs, credentials=self.credentials)

    def keep(self, what: str) -> None:
        """Note something deliberately left in place (reported in the summary)."""
        with self._lock:
            self.kept.append(what)


def load_credentials(block_name: str | None) -> AlibabaCloudCredentials:
    """The named credentials block, or an empty one (standard chain + ``EASRG_*`` settings)."""
    if block_name:
        loaded = AlibabaCloudCredentials.load(block_name)
        assert isinstance(loaded, AlibabaCloudCredentials)
        return loaded
    return AlibabaCloudCredentials()
