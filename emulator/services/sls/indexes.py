"""The CreateIndex body: a full-text ``line`` index and/or field ``keys``.

Checked as far as the SDK relies on it when reading the index back (``GetIndex``): a ``line``
section and every text/json key carry a ``token`` list, and key types are the documented four.
"""

from __future__ import annotations

from typing import Any

from emulator.services.sls import naming
from emulator.services.sls.errors import IndexInfoInvalidError


def _check_tokens(section: Any, where: str) -> None:
    if not isinstance(section, dict):
        raise IndexInfoInvalidError(f"{where} must be a JSON object")
    tokens = section.get("token")
    if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
        raise IndexInfoInvalidError(f"{where}.token must be a list of strings")


def validate_index(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise IndexInfoInvalidError("the index must be a JSON object")
    if "line" not in body and "keys" not in body:
        raise IndexInfoInvalidError("the index needs a line section, keys, or both")
    if "line" in body:
        _check_tokens(body["line"], "line")
    keys = body.get("keys", {})
    if not isinstance(keys, dict):
        raise IndexInfoInvalidError("keys must be a JSON object")
    for name, key in keys.items():
        # A key without a type is a text key (the SDK reads it back as one).
        kind = key.get("type", "text") if isinstance(key, dict) else None
        if kind not in naming.INDEX_KEY_TYPES:
            kinds = ", ".join(naming.INDEX_KEY_TYPES)
            raise IndexInfoInvalidError(f"keys.{name}.type must be one of {kinds}")
        if kind in ("text", "json"):
            _check_tokens(key, f"keys.{name}")
    return body
