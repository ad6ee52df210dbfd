"""Reading answer bodies: tolerant getters, so a missing optional field is a default, not a crash."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def text(body: Mapping[str, Any], key: str, default: str = "") -> str:
    value = body.get(key)
    return default if value is None else str(value)


def number(body: Mapping[str, Any], key: str, default: int = 0) -> int:
    value = body.get(key)
    try:
        return int(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default


def flag(body: Mapping[str, Any], key: str, default: bool = False) -> bool:
    value = body.get(key)
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return default


def items(body: Mapping[str, Any], key: str, inner: str | None = None) -> list[Any]:
    """A list at ``key``, or at ``key.inner`` for the XML-style wrappers (``Vpcs.Vpc``)."""
    value = body.get(key)
    if inner is not None and isinstance(value, Mapping):
        value = value.get(inner)
    return list(value) if isinstance(value, list) else []


def texts(body: Mapping[str, Any], key: str, inner: str | None = None) -> tuple[str, ...]:
    return tuple(str(v) for v in items(body, key, inner) if v is not None)


def tags(body: Mapping[str, Any], *, key_field: str = "Key", value_field: str = "Value") -> dict[str, str]:
    """Tags from ``Tags.Tag[]`` or ``Tags[]`` (ECS spells the fields ``TagKey``/``TagValue``)."""
    found = items(body, "Tags", "Tag") or items(body, "Tags")
    return {str(t.get(key_field)): str(t.get(value_field, "")) for t in found if isinstance(t, Mapping)}
