"""Checks on names, descriptions and tags of ECS requests, with the real error codes."""

from __future__ import annotations

import re
from typing import Any

from emulator.core.api import ApiError
from emulator.services.ecs import errors

# 2-128 characters, starting with a letter or a CJK character; letters, digits, ":", "_", ".", "-".
_NAME = re.compile(r"^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5:_.\-]{1,127}$")
MAX_TAGS = 20


def group_name(value: str | None) -> str:
    if not value:
        return ""
    if value.startswith(("http://", "https://")) or not _NAME.match(value):
        raise errors.malformed("InvalidSecurityGroupName.Malformed", "SecurityGroupName")
    return value


def group_description(value: str | None) -> str:
    if not value:
        return ""
    if not 2 <= len(value) <= 256 or value.startswith(("http://", "https://")):
        raise errors.malformed("InvalidDescription.Malformed", "Description")
    return value


def group_type(value: str | None) -> str:
    text = (value or "normal").strip().lower()
    if text not in ("normal", "enterprise"):
        raise errors.invalid("The specified SecurityGroupType must be normal or enterprise.")
    return text


def tags(raw: list[Any]) -> list[dict[str, str]]:
    """``Tag.N.Key`` / ``Tag.N.Value`` of a create call."""
    found: list[dict[str, str]] = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        key_text = str(item.get("Key") or "")
        value_text = str(item.get("Value") or "")
        if not key_text or len(key_text) > 128 or _reserved(key_text):
            raise errors.malformed("InvalidTagKey.Malformed", "Tag.N.Key")
        if len(value_text) > 128 or _reserved(value_text):
            raise errors.malformed("InvalidTagValue.Malformed", "Tag.N.Value")
        if any(t["Key"] == key_text for t in found):
            raise ApiError("Duplicate.TagKey", f"The tag key {key_text} is given more than once.", 400)
        found.append({"Key": key_text, "Value": value_text})
    if len(found) > MAX_TAGS:
        raise errors.invalid(f"At most {MAX_TAGS} tags may be given.")
    return found


def tags_match(stored: list[dict[str, str]], wanted: list[Any]) -> bool:
    """Every ``Tag.N`` filter matches (a filter without Value matches any value of that key)."""
    for item in wanted:
        if not isinstance(item, dict) or not item.get("Key"):
            continue
        values = [t.get("Value", "") for t in stored if t["Key"] == item["Key"]]
        if not values or ("Value" in item and item["Value"] not in values):
            return False
    return True


def _reserved(text: str) -> bool:
    return text.startswith(("aliyun", "acs:")) or "http://" in text or "https://" in text
