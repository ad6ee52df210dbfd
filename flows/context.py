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

import contextvars
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

from blocks.credentials import AlibabaCloudCredentials
from flows.spec import ResourceGroupSpec

_log = logging.getLogger("eas-rg")
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
        recorded: dict[str, dict[str, Any]] | None = None,
    ):
        self.spec = spec
        self.credentials = credentials
        self.operation_id = operation_id
        self.dry_run = dry_run
        settings = credentials.settings()
        self.as_role = settings.as_role
        self.task_tags = settings.task_tags
        self._untagged: dict[int, Any] = {}
        self._lock = threading.Lock()
        self.changes: list[str] = []
        self.planned: list[str] = []
        self.kept: list[str] = []
        self.memo: dict[str, dict[str, Any]] = {}
        #: the resource-group record as it was when the run started (read once)
        self.recorded: dict[str, dict[str, Any]] = recorded or {}
        self._saves: list[threading.Thread] = []
        self._named_saves: dict[str, threading.Thread] = {}
        self._save_failures: dict[str, BaseException] = {}

    def __repr__(self) -> str:  # shown in task-run parameters: never the credentials
        return f"Run({self.spec.name}, op={self.operation_id}, dry_run={self.dry_run})"

    def token(self, step: str) -> str:
        """A ClientToken for ``step`` of this operation (32 hex characters, ASCII, stable)."""
        return uuid.uuid5(_TOKENS, f"{self.operation_id}:{self.spec.region}:{self.spec.name}:{step}").hex

    def task(self, task: Any) -> Any:
        """``task`` as this run should call it: without its tags when tags are turned off."""
        if self.task_tags:
            return task
        with self._lock:
            if id(task) not in self._untagged:
                self._untagged[id(task)] = task.with_options(tags=set())
            return self._untagged[id(task)]

    def submit(self, task: Any, **kwargs: Any) -> Any:
        """Submit a task to the flow's task runner with the run's credentials."""
        return self.task(task).submit(**kwargs, credentials=self.credentials)

    def mutate(self, task: Any, what: str, **kwargs: Any) -> Any:
        """Call a mutating task (or only plan it); ``what`` is a human sentence for the summary."""
        if self.dry_run:
            with self._lock:
                self.planned.append(what)
            return None
        with self._lock:
            self.changes.append(what)
        return self.task(task)(**kwargs, credentials=self.credentials)

    def read(self, task: Any, **kwargs: Any) -> Any:
        """Call a read-only task with the run's credentials."""
        return self.task(task)(**kwargs, credentials=self.credentials)

    def remember(self, key: str, **fields: Any) -> None:
        """Note facts for the resource-group record; the flow saves them once, at its end."""
        if self.dry_run:
            return
        with self._lock:
            self.memo.setdefault(key, {}).update(fields)

    def keep(self, what: str) -> None:
        """Note something deliberately left in place (reported in the summary)."""
        with self._lock:
            self.kept.append(what)

    def save_soon(self, save: Callable[[], object], name: str = "") -> None:
        """Start ``save`` (a record write) in the background; :meth:`wait_for_saves` joins them.

        A block save takes seconds while dozens of task runs report their states: a fact worth
        saving before the run ends need not hold its branch up meanwhile.  A ``name``d save can
        be awaited alone (:meth:`wait_for_save`), and its failure is raised there.
        """
        failures = self._save_failures

        def run() -> None:
            try:
                save()
            except Exception as error:  # noqa: BLE001 - raised by wait_for_save, else only logged
                failures[name] = error
                _log.warning("a save to the resource-group record failed", exc_info=True)

        # The run's context (Prefect settings: which API to save to) goes along with the thread.
        thread = threading.Thread(
            target=contextvars.copy_context().run, args=(run,), name="record-save", daemon=True
        )
        with self._lock:
            self._saves.append(thread)
            if name:
                self._named_saves[name] = thread
        thread.start()

    def wait_for_save(self, name: str, timeout_s: float = 120.0) -> None:
        """Wait for the save started as ``name`` (if any); raise what made it fail."""
        with self._lock:
            thread = self._named_saves.get(name)
        if thread is None:
            return
        thread.join(timeout_s)
        if thread.is_alive():
            raise TimeoutError(f"the resource-group record was not saved within {timeout_s:g} s ({name})")
        if name in self._save_failures:
            raise RuntimeError(
                f"the resource-group record could not be saved ({name})"
            ) from self._save_failures[name]

    def wait_for_saves(self, timeout_s: float = 60.0) -> None:
        """Wait for the background saves (before the run's final save, which must come last)."""
        with self._lock:
            saves = list(self._saves)
        for thread in saves:
            thread.join(timeout_s)


class AccountRun:
    """Shared state of a flow run that acts on the account rather than on one resource group
    (role deletion): the credentials, per-region copies of them, and the changes made."""

    def __init__(self, credentials: AlibabaCloudCredentials, operation_id: str):
        self.credentials = credentials
        self.operation_id = operation_id
        settings = credentials.settings()
        self.region = settings.region
        self.task_tags = settings.task_tags
        self._untagged: dict[int, Any] = {}
        self._lock = threading.Lock()
        self.changes: list[str] = []

    def __repr__(self) -> str:  # shown in task-run parameters: never the credentials
        return f"AccountRun({self.region}, op={self.operation_id})"

    def in_region(self, region: str | None) -> AlibabaCloudCredentials:
        """The credentials, pointed at ``region`` (the block's own region when None or the same)."""
        if not region or region == self.region:
            return self.credentials
        return self.credentials.model_copy(update={"region_id": region})

    def task(self, task: Any) -> Any:
        """``task`` as this run should call it: without its tags when tags are turned off."""
        if self.task_tags:
            return task
        with self._lock:
            if id(task) not in self._untagged:
                self._untagged[id(task)] = task.with_options(tags=set())
            return self._untagged[id(task)]

    def read(self, task: Any, region: str | None = None, **kwargs: Any) -> Any:
        """Call a read-only task in ``region`` (default: the credentials' region)."""
        return self.task(task)(**kwargs, credentials=self.in_region(region))

    def mutate(self, task: Any, what: str, **kwargs: Any) -> Any:
        """Call a mutating task; ``what`` is a human sentence for the summary."""
        with self._lock:
            self.changes.append(what)
        return self.task(task)(**kwargs, credentials=self.credentials)


def load_credentials(block_name: str | None) -> AlibabaCloudCredentials:
    """The named credentials block, or an empty one (standard chain + ``EASRG_*`` settings).

    The credentials are resolved once here: when none can be had, the run stops with one error
    saying where credentials come from, instead of every first call failing on its own.
    """
    if block_name:
        loaded = AlibabaCloudCredentials.load(block_name)
        assert isinstance(loaded, AlibabaCloudCredentials)
        credentials = loaded
    else:
        credentials = AlibabaCloudCredentials()
    credentials.get_clients().check_credentials()
    return credentials
