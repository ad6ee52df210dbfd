"""Signature verification for the OpenAPI gateway: ACS3-HMAC-SHA256, RPC v1 and ROA v1.

Every request is verified against the secret stored for its access key, the way the gateway
does: a tampered byte, a wrong secret, a stale timestamp or a replayed nonce is refused with
the gateway's code and HTTP status.  The pure ``*_string_to_sign`` / ``*_canonical_request``
functions are exposed for the unit tests' published vectors.  Simple Log Service signatures
live in :mod:`emulator.core.signing_sls`.

Gateway codes (the public references list them without statuses; these are the ones the SDKs
and terraform report):

=================================  ======  =================================================
``InvalidAccessKeyId.NotFound``    404     unknown access key
``SignatureDoesNotMatch``          400     wrong signature, or body hash differs from header
``IncompleteSignature``            400     malformed Authorization, a core header not signed
``InvalidTimeStamp.Expired``       400     date more than 15 minutes from server time
``SignatureNonceUsed``             400     nonce seen before within the 15-minute window
``InvalidSecurityToken.MismatchWithAccessKey``  400  STS key with another token
``MissingSecurityToken``           400     STS key without a token
=================================  ======  =================================================
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
import urllib.parse
from calendar import timegm
from email.utils import parsedate_to_datetime

from emulator.core.api import ApiError
from emulator.core.http import HttpRequest
from emulator.core.principals import KeyRecord, Principals

SKEW_SECONDS = 15 * 60
ACS3_ALGORITHM = "ACS3-HMAC-SHA256"
ACS3_REQUIRED_HEADERS = (
    "host",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
)


class SignatureError(ApiError):
    """A request refused by signature verification."""


def _unknown_key() -> SignatureError:
    return SignatureError("InvalidAccessKeyId.NotFound", "Specified access key is not found.", 404)


def _mismatch(detail: str = "") -> SignatureError:
    message = "Specified signature is not matched with our calculation."
    return SignatureError("SignatureDoesNotMatch", message + (f" {detail}" if detail else ""), 400)


def _incomplete(detail: str) -> SignatureError:
    return SignatureError(
        "IncompleteSignature", f"The request signature does not conform to Aliyun standards. {detail}", 400
    )


def rfc3986(text: str) -> str:
    """Percent-encode everything but ``A-Za-z0-9-_.~`` (UTF-8, uppercase hex; space is %20)."""
    return urllib.parse.quote(text, safe="-_.~")


class NonceCache:
    """Nonces seen per access key within the freshness window (replay protection)."""

    def __init__(self, window: float = SKEW_SECONDS):
        self._window = window
        self._seen: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def use(self, access_key_id: str, nonce: str, now: float) -> None:
        with self._lock:
            if len(self._seen) > 10000:
                self._seen = {k: t for k, t in self._seen.items() if t > now - self._window}
            key = (access_key_id, nonce)
            seen_at = self._seen.get(key)
            if seen_at is not None and seen_at > now - self._window:
                raise SignatureError("SignatureNonceUsed", "Specified signature nonce was used already.", 400)
            self._seen[key] = now

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()


def check_fresh(moment: float | None, now: float) -> None:
    if moment is None or abs(now - moment) > SKEW_SECONDS:
        raise SignatureError(
            "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.", 400
        )


def parse_iso(text: str | None) -> float | None:
    """``2026-12-03T18:06:12Z`` -> epoch seconds."""
    if not text:
        return None
    try:
        return float(timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ")))
    except ValueError:
        return None


def parse_http_date(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError):
        return None


def check_security_token(record: KeyRecord, token: str | None) -> None:
    if record.security_token is None:
        return
    if not token:
        raise SignatureError("MissingSecurityToken", "SecurityToken is mandatory for this action.", 400)
    if not hmac.compare_digest(token, record.security_token):
        raise SignatureError(
            "InvalidSecurityToken.MismatchWithAccessKey",
            "Specified SecurityToken mismatch with the AccessKey.",
            400,
        )


def _lookup(keys: Principals, access_key_id: str) -> KeyRecord:
    record = keys.lookup(access_key_id)
    if record is None:
        raise _unknown_key()
    return record


# --------------------------------------------------------------------------------------------
# ACS3-HMAC-SHA256
# --------------------------------------------------------------------------------------------


def acs3_canonical_query(raw_query: str) -> str:
    """Form-decode each pair, sort by key, RFC3986-encode the values (keys stay as decoded)."""
    pairs = urllib.parse.parse_qsl(raw_query, keep_blank_values=True)
    return "&".join(f"{key}={rfc3986(value)}" for key, value in sorted(pairs, key=lambda kv: kv[0]))


def acs3_canonical_request(
    method: str,
    raw_path: str,
    raw_query: str,
    header_values: dict[str, list[str]],
    signed_headers: list[str],
    payload_hash: str,
) -> str:
    lines = []
    for name in signed_headers:
        values = sorted(value.strip() for value in header_values.get(name, []))
        lines.append(f"{name}:{','.join(values)}\n")
    return "\n".join(
        [
            method.upper(),
            raw_path or "/",
            acs3_canonical_query(raw_query),
            "".join(lines),
            ";".join(signed_headers),
            payload_hash,
        ]
    )


def acs3_string_to_sign(canonical_request: str) -> str:
    return ACS3_ALGORITHM + "\n" + hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()


def acs3_signature(secret: str, string_to_sign: str) -> str:
    return hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_acs3_authorization(value: str) -> tuple[str, str, list[str], str]:
    """``ALGO Credential=ak,SignedHeaders=a;b,Signature=hex`` -> (algo, ak, headers, signature)."""
    algorithm, _, rest = value.strip().partition(" ")
    fields: dict[str, str] = {}
    for part in rest.split(","):
        name, _, content = part.strip().partition("=")
        fields[name] = content
    try:
        return algorithm, fields["Credential"], fields["SignedHeaders"].split(";"), fields["Signature"]
    except KeyError:
        raise _incomplete("Authorization must carry Credential, SignedHeaders and Signature.") from None


def verify_acs3(request: HttpRequest, keys: Principals, nonces: NonceCache, now: float) -> KeyRecord:
    algorithm, access_key_id, signed, signature = parse_acs3_authorization(
        request.header("authorization") or ""
    )
    if algorithm != ACS3_ALGORITHM:
        raise _incomplete(f"Unsupported signature algorithm {algorithm!r}.")
    record = _lookup(keys, access_key_id)
    present = {name.lower() for name, _ in request.headers}
    required = set(ACS3_REQUIRED_HEADERS) | {name for name in present if name.startswith("x-acs-")}
    missing = sorted(required - set(signed))
    if missing:
        raise _incomplete(f"Headers {', '.join(missing)} must be signed.")
    values: dict[str, list[str]] = {}
    for name, value in request.headers:
        values.setdefault(name.lower(), []).append(value)
    if any(name not in values for name in signed):
        raise _mismatch("A signed header is missing from the request.")
    payload_hash = hashlib.sha256(request.body).hexdigest()
    if (request.header("x-acs-content-sha256") or "").lower() != payload_hash:
        raise _mismatch("The x-acs-content-sha256 header does not match the request body.")
    canonical = acs3_canonical_request(
        request.method, request.path, request.query, values, signed, payload_hash
    )
    expected = acs3_signature(record.secret, acs3_string_to_sign(canonical))
    if not hmac.compare_digest(expected, signature.lower()):
        raise _mismatch()
    check_fresh(parse_iso(request.header("x-acs-date")), now)
    check_security_token(record, request.header("x-acs-security-token"))
    named = request.header("x-acs-accesskey-id")
    if named is not None and named != access_key_id:
        raise _mismatch("The x-acs-accesskey-id header names another access key.")
    nonces.use(access_key_id, request.header("x-acs-signature-nonce") or "", now)
    return record


# --------------------------------------------------------------------------------------------
# Legacy RPC (HMAC-SHA1 in the query)
# --------------------------------------------------------------------------------------------


def rpc_v1_string_to_sign(method: str, params: dict[str, str]) -> str:
    canonical = "&".join(
        f"{urllib.parse.quote(k, safe='~')}={urllib.parse.quote(v, safe='~')}"
        for k, v in sorted(params.items())
        if k != "Signature"
    )
    return f"{method.upper()}&%2F&{urllib.parse.quote(canonical, safe='~')}"


def rpc_v1_signature(secret: str, string_to_sign: str) -> str:
    digest = hmac.new((secret + "&").encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_rpc_v1(request: HttpRequest, keys: Principals, nonces: NonceCache, now: float) -> KeyRecord:
    params = dict(request.query_pairs())
    params.update(request.form_pairs())
    signature = params.get("Signature", "")
    record = _lookup(keys, params.get("AccessKeyId", ""))
    if params.get("SignatureMethod", "HMAC-SHA1") != "HMAC-SHA1":
        raise _incomplete("SignatureMethod must be HMAC-SHA1.")
    expected = rpc_v1_signature(record.secret, rpc_v1_string_to_sign(request.method, params))
    if not hmac.compare_digest(expected, signature):
        raise _mismatch()
    check_fresh(parse_iso(params.get("Timestamp")), now)
    check_security_token(record, params.get("SecurityToken"))
    nonces.use(record.principal.access_key_id, params.get("SignatureNonce", ""), now)
    return record


# --------------------------------------------------------------------------------------------
# Legacy ROA ("acs ak:signature", HMAC-SHA1)
# --------------------------------------------------------------------------------------------


def roa_v1_string_to_sign(
    method: str, headers: dict[str, str], raw_path: str, query: list[tuple[str, str]]
) -> str:
    """Headers by lower-cased name; query decoded; the path as sent (still encoded)."""
    head = (
        "\n".join(
            [
                method.upper(),
                headers.get("accept", ""),
                headers.get("content-md5", ""),
                headers.get("content-type", ""),
                headers.get("date", ""),
            ]
        )
        + "\n"
    )
    canonical_headers = "".join(f"{k}:{headers[k]}\n" for k in sorted(headers) if k.startswith("x-acs-"))
    resource = raw_path
    if query:
        resource += "?" + "&".join(k if v == "" else f"{k}={v}" for k, v in sorted(query))
    return head + canonical_headers + resource


def roa_v1_signature(secret: str, string_to_sign: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_roa_v1(request: HttpRequest, keys: Principals, nonces: NonceCache, now: float) -> KeyRecord:
    credential = (request.header("authorization") or "").strip()[len("acs ") :]
    access_key_id, _, signature = credential.rpartition(":")
    record = _lookup(keys, access_key_id)
    headers = request.lower_headers()
    expected = roa_v1_signature(
        record.secret, roa_v1_string_to_sign(request.method, headers, request.path, request.query_pairs())
    )
    if not hmac.compare_digest(expected, signature):
        raise _mismatch()
    check_fresh(parse_http_date(headers.get("date")), now)
    check_security_token(record, headers.get("x-acs-security-token"))
    nonces.use(access_key_id, headers.get("x-acs-signature-nonce", ""), now)
    return record


def verify_openapi(request: HttpRequest, keys: Principals, nonces: NonceCache, now: float) -> KeyRecord:
    """Pick the scheme from the request and verify it."""
    authorization = (request.header("authorization") or "").strip()
    if authorization.startswith("ACS3-"):
        return verify_acs3(request, keys, nonces, now)
    if authorization.startswith("acs "):
        return verify_roa_v1(request, keys, nonces, now)
    names = {key for key, _ in request.query_pairs()} | {key for key, _ in request.form_pairs()}
    if "Signature" in names:
        return verify_rpc_v1(request, keys, nonces, now)
    raise SignatureError(
        "MissingParameter",
        'The input parameter "AccessKeyId" that is mandatory for processing this request is not supplied.',
        400,
    )
