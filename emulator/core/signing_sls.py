"""Simple Log Service signatures: v1 (``LOG ak:sig``, HMAC-SHA1) and v4 (``SLS4-HMAC-SHA256``).

SLS answers authentication failures with its own codes:

=======================  ======  ==========================================================
``Unauthorized``         401     unknown access key (``AccessKeyId not found: <ak>``), or an
                                 STS key with a missing or different security token
``SignatureNotMatch``    401     wrong signature, or a body that differs from its
                                 ``Content-MD5`` / ``x-log-content-sha256`` header
``RequestTimeExpired``   400     ``Date`` / ``x-log-date`` more than 15 minutes off
``MissingDate`` etc.     400     a mandatory header is missing
=======================  ======  ==========================================================
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse
from calendar import timegm

from emulator.core.api import ApiError
from emulator.core.http import HttpRequest
from emulator.core.principals import KeyRecord, Principals
from emulator.core.signing import SKEW_SECONDS, SignatureError, parse_http_date, rfc3986

V4_ALGORITHM = "SLS4-HMAC-SHA256"


def _not_match(signature: str) -> SignatureError:
    return SignatureError("SignatureNotMatch", f"Signature {signature} not matched.", 401)


def _lookup(keys: Principals, access_key_id: str) -> KeyRecord:
    record = keys.lookup(access_key_id)
    if record is None:
        raise SignatureError("Unauthorized", f"AccessKeyId not found: {access_key_id}", 401)
    return record


def _check_token(record: KeyRecord, token: str | None) -> None:
    if record.security_token is not None and not hmac.compare_digest(token or "", record.security_token):
        raise SignatureError("Unauthorized", "The security token you provided is invalid.", 401)


def _check_time(moment: float | None, text: str, now: float) -> None:
    if moment is None:
        raise SignatureError("InvalidDateFormat", f"The request date {text} is not a valid format.", 400)
    if abs(now - moment) > SKEW_SECONDS:
        server = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now))
        raise SignatureError(
            "RequestTimeExpired", f"Request time {text} has been expired while server time is {server}.", 400
        )


def _decoded_query(request: HttpRequest) -> list[tuple[str, str]]:
    return sorted(request.query_pairs())


# --------------------------------------------------------------------------------------------
# v1
# --------------------------------------------------------------------------------------------


def sls_v1_string_to_sign(
    method: str, headers: dict[str, str], decoded_path: str, query: list[tuple[str, str]]
) -> str:
    """Headers by lower-cased name.  ``x-log-date`` is added after signing, so it is left out."""
    head = (
        "\n".join(
            [
                method.upper(),
                headers.get("content-md5", ""),
                headers.get("content-type", ""),
                headers.get("date", ""),
            ]
        )
        + "\n"
    )
    names = sorted(
        k
        for k in headers
        if (k.startswith("x-log-") or k.startswith("x-acs-"))
        and not k.startswith("x-log-meta-")
        and k != "x-log-date"
    )
    resource = decoded_path
    if query:
        resource += "?" + "&".join(f"{k}={v}" for k, v in sorted(query))
    return head + "".join(f"{k}:{headers[k]}\n" for k in names) + resource


def sls_v1_signature(secret: str, string_to_sign: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_sls_v1(request: HttpRequest, keys: Principals, now: float) -> KeyRecord:
    credential = (request.header("authorization") or "").strip()[len("LOG ") :]
    access_key_id, _, signature = credential.rpartition(":")
    record = _lookup(keys, access_key_id)
    headers = request.lower_headers()
    for name, code in (
        ("date", "MissingDate"),
        ("x-log-apiversion", "MissingAPIVersion"),
        ("x-log-signaturemethod", "MissingSignatureMethod"),
    ):
        if not headers.get(name):
            raise ApiError(code, f"The {name} header is missing.", 400)
    if request.body:
        if not headers.get("content-type"):
            raise ApiError("MissingContentType", "Content-Type is required when the request has a body.", 400)
        md5 = hashlib.md5(request.body).hexdigest().upper()
        if headers.get("content-md5", "").upper() != md5:
            raise _not_match(signature)
    path = urllib.parse.unquote(request.path)
    expected = sls_v1_signature(
        record.secret, sls_v1_string_to_sign(request.method, headers, path, _decoded_query(request))
    )
    if not hmac.compare_digest(expected, signature):
        raise _not_match(signature)
    _check_time(parse_http_date(headers["date"]), headers["date"], now)
    _check_token(record, headers.get("x-acs-security-token"))
    return record


# --------------------------------------------------------------------------------------------
# v4
# --------------------------------------------------------------------------------------------


def sls_v4_canonical_request(
    method: str, headers: dict[str, str], decoded_path: str, query: list[tuple[str, str]]
) -> tuple[str, str]:
    """(canonical request, signed header list); headers by lower-cased name."""
    names = sorted(
        k
        for k in headers
        if k in ("content-type", "host")
        or ((k.startswith("x-log-") or k.startswith("x-acs-")) and not k.startswith("x-log-meta-"))
    )
    canonical_query = "&".join(k if v == "" else f"{k}={rfc3986(v)}" for k, v in sorted(query))
    canonical_headers = "".join(f"{k}:{headers[k].strip()}\n" for k in names)
    signed = ";".join(names)
    payload = headers.get("x-log-content-sha256", "")
    return "\n".join(
        [method.upper(), decoded_path, canonical_query, canonical_headers, signed, payload]
    ), signed


def sls_v4_signature(secret: str, day: str, region: str, log_date: str, canonical_request: str) -> str:
    scope = f"{day}/{region}/sls/aliyun_v4_request"
    to_sign = "\n".join(
        [V4_ALGORITHM, log_date, scope, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()]
    )
    key = ("aliyun_v4" + secret).encode("utf-8")
    for part in (day, region, "sls", "aliyun_v4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_v4_authorization(value: str) -> tuple[str, str, str, str]:
    """-> (access key id, yyyymmdd, region, signature)."""
    _, _, rest = value.strip().partition(" ")
    fields = dict(part.strip().partition("=")[::2] for part in rest.split(","))
    scope = fields.get("Credential", "").split("/")
    if len(scope) != 5 or "Signature" not in fields:
        raise SignatureError("SignatureNotMatch", "The Authorization header is malformed.", 401)
    return scope[0], scope[1], scope[2], fields["Signature"]


def verify_sls_v4(request: HttpRequest, keys: Principals, now: float) -> tuple[KeyRecord, str]:
    """Returns the key and the region named in the credential scope."""
    access_key_id, day, region, signature = parse_v4_authorization(request.header("authorization") or "")
    record = _lookup(keys, access_key_id)
    headers = request.lower_headers()
    if headers.get("x-log-content-sha256", "").lower() != hashlib.sha256(request.body).hexdigest():
        raise _not_match(signature)
    canonical, _ = sls_v4_canonical_request(
        request.method, headers, urllib.parse.unquote(request.path), _decoded_query(request)
    )
    log_date = headers.get("x-log-date", "")
    expected = sls_v4_signature(record.secret, day, region, log_date, canonical)
    if not hmac.compare_digest(expected, signature.lower()):
        raise _not_match(signature)
    _check_time(_parse_v4_date(log_date), log_date, now)
    _check_token(record, headers.get("x-acs-security-token"))
    return record, region


def _parse_v4_date(text: str) -> float | None:
    try:
        return float(timegm(time.strptime(text, "%Y%m%dT%H%M%SZ")))
    except ValueError:
        return None


def verify_sls(request: HttpRequest, keys: Principals, now: float) -> tuple[KeyRecord, str | None]:
    """Verify either SLS scheme; the region is known only from a v4 credential."""
    authorization = (request.header("authorization") or "").strip()
    if authorization.startswith("LOG "):
        return verify_sls_v1(request, keys, now), None
    if authorization.startswith(V4_ALGORITHM):
        return verify_sls_v4(request, keys, now)
    raise SignatureError("Unauthorized", "The request carries no valid Authorization header.", 401)
