"""Stored logs of a logstore and the GetLogs (v2) query over them.

The emulator has no ingestion path other than the admin helper ``admin_put_logs``; a query is
answered complete at once (``meta.progress: "Complete"``, so the SDK does not re-query).

Queries understood: empty or ``*`` (everything), ``key: value`` / ``key:value`` (exact value of
one field), or one bare term (any field containing it, case-insensitive).  Anything else,
SQL analytics (``... | select``) included, is refused with ``InvalidQueryString`` rather than
answered wrongly.
"""

from __future__ import annotations

import re
from typing import Any

from emulator.services.sls import naming
from emulator.services.sls.errors import (
    IndexConfigNotExistError,
    InvalidLineError,
    InvalidOffsetError,
    InvalidQueryStringError,
    InvalidTimeRangeError,
)
from emulator.services.sls.models import LogStore

_FIELD_QUERY = re.compile(r'^\s*([A-Za-z0-9_.\-]+)\s*:\s*"?([^"]*?)"?\s*$')
_TERM_QUERY = re.compile(r'^\s*"?([^\s"|:*]+)"?\s*$')


def _matcher(query: str) -> Any:
    text = query.strip()
    if text in ("", "*"):
        return lambda log: True
    found = _FIELD_QUERY.match(text)
    if found:
        key, value = found.group(1), found.group(2)
        return lambda log: log.get(key) == value
    found = _TERM_QUERY.match(text)
    if found:
        term = found.group(1).lower()
        return lambda log: any(term in v.lower() for k, v in log.items() if not k.startswith("__"))
    raise InvalidQueryStringError(query)


def _int(body: dict[str, Any], name: str, default: int) -> int:
    value = body.get(name, default)
    if isinstance(value, bool):
        raise ValueError(name)
    return int(value)


def _window(body: dict[str, Any]) -> tuple[int, int, int, int]:
    """``from``, ``to``, ``line``, ``offset`` of a GetLogs body, each checked with its own code."""
    try:
        start, end = _int(body, "from", 0), _int(body, "to", 0)
    except (TypeError, ValueError):
        raise InvalidTimeRangeError("from and to must be epoch seconds") from None
    if start > end:
        raise InvalidTimeRangeError(f"from ({start}) must not be later than to ({end})")
    try:
        line = _int(body, "line", 100)
    except (TypeError, ValueError):
        raise InvalidLineError(body.get("line")) from None
    if not 0 <= line <= naming.MAX_LOG_LINES:
        raise InvalidLineError(line)
    try:
        offset = _int(body, "offset", 0)
    except (TypeError, ValueError):
        raise InvalidOffsetError(body.get("offset")) from None
    if offset < 0:
        raise InvalidOffsetError(offset)
    return start, end, line, offset


def query_logs(logstore: LogStore, body: Any) -> dict[str, Any]:
    """Answer a GetLogs v2 body: ``from``/``to`` (``to`` excluded), ``line``, ``offset``, ``reverse``,
    ``query`` and ``topic``."""
    if logstore.index is None:
        raise IndexConfigNotExistError()
    body = body if isinstance(body, dict) else {}
    start, end, line, offset = _window(body)
    query = str(body.get("query") or "")
    match = _matcher(query)
    topic = body.get("topic")
    hits = [log for log in logstore.logs
            if start <= int(log["__time__"]) < end and match(log)
            and (not topic or log.get("__topic__", "") == topic)]
    hits.sort(key=lambda log: int(log["__time__"]), reverse=_truthy(body.get("reverse")))
    page = hits[offset:offset + line]
    keys = sorted({k for log in page for k in log if not k.startswith("__")})
    meta = {"progress": "Complete", "count": len(page), "processedRows": len(logstore.logs),
            "elapsedMillisecond": 1, "hasSQL": False, "whereQuery": query, "aggQuery": "",
            "cpuSec": 0.0, "cpuCores": 0, "keys": keys, "isAccurate": True}
    return {"meta": meta, "data": [dict(log) for log in page]}


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)
