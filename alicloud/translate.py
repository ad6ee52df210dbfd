"""The one place where SDK exceptions become :mod:`alicloud.errors` (callers chain the original).

What each SDK raises, and what is read from it:

* Tea (``alibabacloud_tea_openapi``): ``ClientException`` / ``ServerException`` /
  ``ThrottlingException`` carry ``code``, ``status_code``, ``request_id``, ``data`` (the error
  body) and, for throttling, ``retry_after`` in **milliseconds**.  A missing code or request id
  is the string ``'None'``.  ``.message`` is prefixed (``code: 400, ... request id: ...``), so the
  message is read from the body.
* Tea transport failures: ``darabonba.exceptions.UnretryableException`` whose
  ``inner_exception`` is a ``RetryError`` (connection refused, DNS, timeouts) or a
  ``RuntimeError`` (unparsable body); credential-chain failures arrive the same way, wrapping a
  ``CredentialException``.
* SLS: ``LogException`` with ``get_error_code()``...; its transport failures are code
  ``LogRequestError`` with status **200**.  Our SLS session raises :class:`TransportFailure`
  instead of the ``requests`` error (see :mod:`alicloud.clients`), which the SDK wraps; it is
  found again as the ``LogException``'s ``__context__``.  The SLS SDK has already retried 5xx,
  ``InternalServerError`` and ``RequestTimeout`` ten times when we see them, so those are
  translated as not retryable: our retry must not multiply its ten.
* SLS ``Get*`` response constructors raise ``KeyError``/``TypeError`` on incomplete bodies.

Anything else is not an SDK failure (a bug of ours): :func:`translate` returns None and the
caller lets it propagate unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests
from alibabacloud_credentials.exceptions import CredentialException
from aliyun.log.logexception import LogException
from darabonba.exceptions import RetryError
from darabonba.exceptions import ValidateException as DaraValidateException
from Tea.exceptions import TeaException, UnretryableException, ValidateException

from alicloud.error_codes import classify
from alicloud.errors import AlibabaCloudError

_SLS_SDK_RETRIED = ("InternalServerError", "RequestTimeout")


class TransportFailure(Exception):
    """A request that never got an HTTP answer (timeout, refused connection, DNS).

    Its text deliberately omits the ``requests`` message: the SLS SDK retries ten times, one
    second apart, any error whose text mentions ``HTTPConnectionPool``; our own retry (jittered,
    within the deadline) handles these instead.
    """

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"transport {kind}: {detail}")
        self.kind = kind


@dataclass
class _Facts:
    code: str
    message: str
    request_id: str = ""
    status: int | None = None
    retry_after: float | None = None
    sdk_retried: bool = False


def translate(exc: BaseException, *, product: str, action: str) -> AlibabaCloudError | None:
    """The :class:`AlibabaCloudError` for an SDK exception; None if ``exc`` is not one."""
    if isinstance(exc, AlibabaCloudError):
        return exc
    facts = _facts(exc)
    if facts is None:
        return None
    rule = classify(facts.code, action)
    error_class = rule.error if rule else AlibabaCloudError
    retryable = bool(rule and rule.retryable) and not facts.sdk_retried
    return error_class(
        facts.message or facts.code,
        code=facts.code,
        request_id=facts.request_id,
        status=facts.status,
        product=product,
        action=action,
        retry_after=facts.retry_after,
        retryable=retryable,
    )


def _facts(exc: BaseException) -> _Facts | None:
    if isinstance(exc, LogException):
        return _sls_facts(exc)
    if isinstance(exc, UnretryableException):
        return _inner_facts(exc.inner_exception)
    if isinstance(exc, TeaException):
        return _tea_facts(exc)
    if isinstance(exc, (ValidateException, DaraValidateException)):
        return _Facts("ValidationFailed", str(exc))
    return _inner_facts(exc)


def _inner_facts(exc: BaseException | None) -> _Facts | None:
    if isinstance(exc, TransportFailure):
        return _Facts(_transport_code(exc.kind), str(exc))
    if isinstance(exc, RetryError):
        return _Facts(_transport_code(_kind_of(exc.message)), f"transport error: {exc.message}")
    if isinstance(exc, requests.RequestException):
        return _Facts(_transport_code(_kind_of(str(exc))), f"transport error: {exc}")
    if isinstance(exc, CredentialException):
        return _Facts("CredentialsUnavailable", f"no usable credentials: {exc.message}")
    if isinstance(exc, TeaException):
        return _tea_facts(exc)
    if isinstance(exc, (RuntimeError, KeyError, TypeError)):
        return _Facts("BadResponse", f"unreadable response: {exc!r}")
    return None


def _tea_facts(exc: TeaException) -> _Facts:
    data = exc.data if isinstance(exc.data, dict) else {}
    status = getattr(exc, "status_code", None) or getattr(exc, "statusCode", None)
    retry_after_ms = getattr(exc, "retry_after", None)
    message = data.get("Message") or data.get("message") or exc.message or ""
    return _Facts(
        code=_clean(exc.code),
        message=str(message),
        request_id=_clean(getattr(exc, "request_id", None) or data.get("RequestId") or data.get("requestId")),
        status=int(status) if status else None,
        retry_after=retry_after_ms / 1000.0
        if isinstance(retry_after_ms, int) and retry_after_ms > 0
        else None,
    )


def _sls_facts(exc: LogException) -> _Facts:
    code = exc.get_error_code() or ""
    cause = exc.__context__
    if code == "LogRequestError" and isinstance(cause, TransportFailure):
        return _Facts(_transport_code(cause.kind), str(cause))
    raw_status = exc.get_resp_status()
    status = raw_status if isinstance(raw_status, int) and raw_status != 200 else None
    return _Facts(
        code=code,
        message=exc.get_error_message() or "",
        request_id=exc.get_request_id() or "",
        status=status,
        sdk_retried=code in _SLS_SDK_RETRIED or (status is not None and status >= 500),
    )


def _clean(value: object) -> str:
    text = "" if value is None else str(value)
    return "" if text == "None" else text


def _kind_of(text: str) -> str:
    lowered = text.lower()
    return "timeout" if "timed out" in lowered or "timeout" in lowered else "connection"


def _transport_code(kind: str) -> str:
    return "Transport.Timeout" if kind == "timeout" else "Transport.Connection"
