"""The client layer's errors: the only exceptions tasks and flows ever see from a cloud call.

::

    AlibabaCloudError                 code, message, request_id, status, product, action, retry_after
    ├── TransientError                throttling, busy, 5xx, transport timeouts: retry soon
    ├── NotFoundError                 the resource does not exist (or is not visible yet)
    ├── ConflictError                 it already exists / was already done
    ├── DependencyViolationError      something still uses it (retry only while it drains)
    │   └── ForeignHolderError        what uses it is not ours: waiting would not help
    ├── InvalidParameterError         the request is wrong: fix the input
    ├── AuthError                     credentials or permissions
    │   └── PolicyDeniedError         refused locally by the policy guard, never sent
    ├── QuotaExceededError            a quota or limit is reached
    └── WaitTimeoutError              a waiter gave up: which resource, in which state, since when

The class says what happened; ``retryable`` says whether the in-call retry layer may try the
same call again (decided by :mod:`alicloud.error_codes`, e.g. ``Zone.NotExists`` is a
``NotFoundError`` that is retryable right after ``AddZone`` but not on ``DeleteZone``).  SDK
exceptions are translated into these in exactly one place, :func:`alicloud.translate.translate`.
"""

from __future__ import annotations


class AlibabaCloudError(Exception):
    """A failed Alibaba Cloud call, with everything needed to act on it and to report it."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "",
        request_id: str = "",
        status: int | None = None,
        product: str = "",
        action: str = "",
        retry_after: float | None = None,
        retryable: bool = False,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.request_id = request_id
        self.status = status
        self.product = product
        self.action = action
        #: seconds the server asked us to wait before retrying, when it said so
        self.retry_after = retry_after
        #: whether retrying the same call soon may succeed
        self.retryable = retryable

    def __str__(self) -> str:
        where = f"{self.product}:{self.action}" if self.action else self.product
        parts = [f"{where}: {self.code}" if where else self.code, self.message]
        text = " - ".join(p for p in parts if p)
        if self.request_id:
            text += f" (request id {self.request_id})"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, status={self.status!r}, product={self.product!r}, "
            f"action={self.action!r}, request_id={self.request_id!r}, retryable={self.retryable!r})"
        )

    def __reduce__(self) -> tuple[object, ...]:
        # Keep keyword attributes across pickling (Prefect persists task exceptions).
        return (_rebuild, (type(self), self.message, self.__dict__.copy()))


def _rebuild(cls: type[AlibabaCloudError], message: str, state: dict[str, object]) -> AlibabaCloudError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class TransientError(AlibabaCloudError):
    """Throttled, busy or briefly unavailable: the same call should succeed later."""


class NotFoundError(AlibabaCloudError):
    """The resource does not exist (on a delete: already done)."""


class ConflictError(AlibabaCloudError):
    """The resource already exists or the operation was already done (on a create: adopt it)."""


class DependencyViolationError(AlibabaCloudError):
    """Another resource still depends on this one; retryable only while it drains."""


class ForeignHolderError(DependencyViolationError):
    """Something eas-rg did not create holds the resource (an interface, another group's rule)."""


class InvalidParameterError(AlibabaCloudError):
    """The request itself is wrong; retrying cannot help."""


class AuthError(AlibabaCloudError):
    """Credentials are missing or invalid, or the caller lacks the permission."""


class PolicyDeniedError(AuthError):
    """The policy guard refused the call before sending it (running as the EAS role)."""


class QuotaExceededError(AlibabaCloudError):
    """A quota or limit is reached; raise the quota or free resources."""


class WaitTimeoutError(AlibabaCloudError):
    """A waiter's deadline passed before the resource reached the target state."""

    def __init__(
        self, message: str, *, resource: str, state: str, since: str, product: str = "", action: str = ""
    ) -> None:
        super().__init__(message, code="WaitTimeout", product=product, action=action)
        self.resource = resource
        self.state = state
        self.since = since
