"""The request and response as the gateway sees them, independent of the HTTP server.

The request keeps the raw request-target, path and query exactly as received: signature schemes
disagree on whether they sign the encoded or the decoded form, so decoding is left to them.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any


@dataclass
class HttpRequest:
    method: str
    target: str  # the request-target as received (origin-form or absolute-form)
    headers: list[tuple[str, str]]
    body: bytes = b""
    path: str = field(init=False)  # raw, still percent-encoded; scheme://authority removed
    query: str = field(init=False)  # raw query string without "?"

    def __post_init__(self) -> None:
        self.method = self.method.upper()
        self.path, self.query = split_target(self.target)

    def header(self, name: str) -> str | None:
        """The first value of a header, case-insensitively."""
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None

    def header_values(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]

    def lower_headers(self) -> dict[str, str]:
        """Headers by lower-cased name; repeated names are joined with ``,`` (as signers do)."""
        merged: dict[str, list[str]] = {}
        for key, value in self.headers:
            merged.setdefault(key.lower(), []).append(value)
        return {key: ",".join(values) for key, values in merged.items()}

    def query_pairs(self) -> list[tuple[str, str]]:
        """The query, form-decoded (``+`` is a space), empty values kept."""
        return urllib.parse.parse_qsl(self.query, keep_blank_values=True)

    def form_pairs(self) -> list[tuple[str, str]]:
        """The body as form parameters when it is ``application/x-www-form-urlencoded``."""
        content_type = (self.header("content-type") or "").lower()
        if not self.body or "application/x-www-form-urlencoded" not in content_type:
            return []
        return urllib.parse.parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True)

    def host(self) -> str:
        """The ``Host`` header (or the absolute-form authority) without its port."""
        host = self.header("host") or ""
        if not host and "://" in self.target:
            host = urllib.parse.urlsplit(self.target).netloc
        return strip_port(host)


def split_target(target: str) -> tuple[str, str]:
    """``http://p.host:80/a/b?x=1`` or ``/a/b?x=1`` -> (``/a/b``, ``x=1``), nothing decoded."""
    rest = target
    if "://" in rest.split("?", 1)[0]:
        rest = rest.split("://", 1)[1]
        slash = rest.find("/")
        rest = rest[slash:] if slash >= 0 else "/"
    path, _, query = rest.partition("?")
    return (path or "/"), query


def strip_port(host: str) -> str:
    if host.startswith("["):  # IPv6 literal
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


@dataclass
class HttpResponse:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # "Commit then drop": the handler ran, but the connection is closed without an answer.
    drop: bool = False


def json_response(
    status: int,
    payload: Any,
    headers: dict[str, str] | None = None,
    content_type: str = "application/json;charset=utf-8",
) -> HttpResponse:
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return HttpResponse(status, body, {"Content-Type": content_type, **(headers or {})})
