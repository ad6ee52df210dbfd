"""How one client-layer function becomes one Prefect task.

Every cloud action is a task built by :func:`cloud_task` from the ``alicloud`` function of the same
name, so that all of them share one set of rules instead of sixty copies of them:

* keyword-only parameters: the function's business parameters, then ``credentials`` (an
  ``AlibabaCloudCredentials`` block);
* a run name carrying the resource id; tags ``easrg`` and the product (so a concurrency limit
  can pace each API);
* ``cache_policy=NO_CACHE`` (mutations and polling reads must never be served from a cache);
* retries only for errors the client layer classified retryable (:func:`retry_transient`), with
  jittered delays; permission, parameter and quota errors fail after one attempt;
* a bounded run time without a Prefect ``timeout_seconds``: in a worker thread a Prefect timeout
  cannot interrupt a blocking call — it only marks the run TimedOut *after* the call returned,
  and a retry could then repeat an operation that happened.  The bounds are real instead: each
  SDK attempt is cut by the clients' connect and read timeouts (``EASRG_CONNECT_TIMEOUT_S``,
  ``EASRG_READ_TIMEOUT_S``), in-call retries stop at ``EASRG_RETRY_DEADLINE_S``, and every
  ``wait_for_*`` task has an explicit deadline.

The in-call layer (:mod:`alicloud.retry`) already retries throttling and busy answers with full
jitter inside its deadline; the task-level retry is the second, coarser line, spaced by Prefect's
``retry_jitter_factor`` on top of our own spread delays.
"""

from __future__ import annotations

import functools
import inspect
import random
import re
from collections.abc import Callable
from typing import Any, TypeVar

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import Task

from alicloud.errors import AlibabaCloudError, NotFoundError, WaitTimeoutError
from blocks.credentials import AlibabaCloudCredentials

R = TypeVar("R")

#: deadline of the waits the flows run (seconds)
WAIT_DEADLINE_S = 900.0


def retry_transient(task: Task[..., Any], task_run: Any, state: Any) -> bool:
    """Prefect ``retry_condition_fn``: retry only what may succeed when tried again."""
    try:
        state.result()
    except WaitTimeoutError:
        return False  # a waiter already spent its deadline: report where it is stuck instead
    except AlibabaCloudError as error:
        return bool(error.retryable)
    except TimeoutError:
        return True
    except Exception:
        return False
    return False


def spread_delays(retries: int, base: float = 2.0, cap: float = 30.0) -> list[float]:
    """Exponential delays with full jitter, drawn anew for every task definition."""
    return [random.uniform(base * 2**i / 2, min(cap, base * 2**i)) for i in range(retries)]


def _run_namer(template: str) -> Callable[..., str]:
    """``template`` formatted with the task's parameters; ``{a|b}`` takes the first of ``a``,
    ``b`` that is set (a list call filtered by name or else by VPC is named after what it has)."""

    def name(parameters: dict[str, Any]) -> str:
        def pick(match: re.Match[str]) -> str:
            for key in match.group(1).split("|"):
                if parameters.get(key) not in (None, ""):
                    return str(parameters[key])
            return "all"

        return re.sub(r"\{([\w|]+)\}", pick, template)

    return name


_UNDOING = ("delete_", "remove_", "unbind_", "detach_", "revoke_")


def _outcome(action: str, error: AlibabaCloudError) -> str:
    """A read's "not found" is an answer (the task returns None); a create's conflict or a
    delete's not-found means the work was done already."""
    if isinstance(error, NotFoundError) and not action.startswith(_UNDOING):
        return "not found"
    return "already done"


def cloud_task(
    function: Callable[..., R],
    *,
    product: str,
    run_name: str,
    rule: str,
    retries: int = 3,
    done_on: tuple[type[AlibabaCloudError], ...] = (),
) -> Task[..., R | None]:
    """A Prefect task calling ``function(clients, **kwargs)`` with clients from the credentials block.

    ``rule`` says how the action stays idempotent (it is appended to the task's docstring and
    shown in the UI); ``run_name`` is a ``str.format`` template over the parameters.  Errors of a
    class in ``done_on`` (``ConflictError`` for creates, ``NotFoundError`` for deletes) mean the
    work is already done: they are logged and the task returns None.
    """
    signature = inspect.signature(function)
    business = [p for name, p in signature.parameters.items() if name != "clients"]
    credentials = inspect.Parameter(
        "credentials", inspect.Parameter.KEYWORD_ONLY, annotation=AlibabaCloudCredentials
    )
    action = function.__name__

    @functools.wraps(function)
    def run(**kwargs: Any) -> R | None:
        block: AlibabaCloudCredentials = kwargs.pop("credentials")
        logger = get_run_logger()
        logger.info("%s", f"{action} {_describe(kwargs)}".rstrip())
        try:
            return function(block.get_clients(), **kwargs)
        except done_on as error:
            logger.info("%s answered %s: %s", action, error.code, _outcome(action, error))
            return None

    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in business), credentials]
    )
    run.__doc__ = f"{(function.__doc__ or action).strip()}\n\nIdempotency: {rule}"
    del run.__wrapped__  # Prefect must see the new signature, not the client-layer one
    return task(
        run,
        name=action.replace("_", "-"),
        task_run_name=_run_namer(run_name),
        retries=retries,
        retry_delay_seconds=spread_delays(retries),
        retry_jitter_factor=0.5,
        retry_condition_fn=retry_transient,
        cache_policy=NO_CACHE,
        tags=["easrg", product],
        log_prints=False,
    )


def _describe(kwargs: dict[str, Any]) -> str:
    """Ids and names only: never bodies that could carry secrets."""
    shown = {k: v for k, v in kwargs.items() if isinstance(v, (str, int, bool)) and "token" not in k}
    return " ".join(f"{k}={v}" for k, v in shown.items())
