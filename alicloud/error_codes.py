"""Error classification as data: error code (or code pattern) -> error class, retryable flag.

The SDKs do not classify reliably (a ``Throttling`` 400 without ``x-acs-retry-after`` is a plain
``ClientException``; SLS transport errors report HTTP 200), so the client layer classifies on the
*code* only, with this table.

* ``pattern`` is an exact code or a glob where ``*`` matches any run of characters.
* Rules are tried in order and the **first match wins**: specific entries come before the globs
  that would also match them (``InvalidAccessKeyId.NotFound`` is an auth error, not a
  not-found).
* ``actions`` makes a rule apply only to those API actions.  That is how the table says that a
  code means different things depending on the call: ``Zone.NotExists`` right after ``AddZone``
  (on ``BindZoneVpc``/``AddZoneRecord``) is a *not-yet-visible* zone, retried within the
  deadline, while on ``DeleteZone`` or ``DescribeZoneInfo`` it is a plain, final not-found.
* ``DependencyViolation`` is never retryable here: only the caller knows that the dependants
  are draining (a deleted endpoint's ENIs) and says so with ``retry_also``.
* A code that matches no rule is an :class:`~alicloud.errors.AlibabaCloudError`, never retried.
* ``example`` is a concrete code the rule must classify; the unit tests check every entry with
  it (which also proves that no earlier rule shadows it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from alicloud.errors import (
    AlibabaCloudError,
    AuthError,
    ConflictError,
    DependencyViolationError,
    InvalidParameterError,
    NotFoundError,
    QuotaExceededError,
    TransientError,
)


@dataclass(frozen=True)
class Rule:
    pattern: str
    error: type[AlibabaCloudError]
    retryable: bool = False
    actions: frozenset[str] = field(default_factory=frozenset)
    example: str = ""
    note: str = ""

    @property
    def sample(self) -> str:
        """A code this rule must classify (the pattern itself when it has no ``*``)."""
        return self.example or self.pattern

    def matches(self, code: str, action: str) -> bool:
        if self.actions and action not in self.actions:
            return False
        return _compiled(self.pattern).fullmatch(code) is not None


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")))


def _r(
    pattern: str,
    error: type[AlibabaCloudError],
    retryable: bool = False,
    *,
    actions: tuple[str, ...] = (),
    example: str = "",
    note: str = "",
) -> Rule:
    return Rule(pattern, error, retryable, frozenset(actions), example, note)


_SLS_CHILD_CREATES = (
    "CreateLogStore",
    "CreateIndex",
    "CreateConfig",
    "CreateMachineGroup",
    "ApplyConfigToGroup",
)

RULES: tuple[Rule, ...] = (
    # ---- action-dependent meaning (eventual consistency right after a create) ------------
    _r(
        "Zone.NotExists",
        NotFoundError,
        True,
        actions=("BindZoneVpc", "AddZoneRecord"),
        note="a zone just added is not visible yet",
    ),
    _r("Zone.NotExists", NotFoundError, note="final on DeleteZone / DescribeZoneInfo"),
    _r(
        "ProjectNotExist",
        NotFoundError,
        True,
        actions=_SLS_CHILD_CREATES,
        note="a project just created is not visible yet",
    ),
    _r("ProjectNotExist", NotFoundError, note="final on Get/DeleteProject"),
    _r(
        "LogStoreNotExist",
        NotFoundError,
        True,
        actions=("CreateIndex", "CreateConfig", "GetLogStoreLogs"),
        note="a logstore just created is not usable yet",
    ),
    _r("LogStoreNotExist", NotFoundError),
    _r(
        "ParameterInvalid",
        NotFoundError,
        actions=("DeleteIndex",),
        note="'Log store index not created': the index is gone (a retried delete whose answer was lost)",
    ),
    # ---- transient: throttled, busy, server-side failures, transport -----------------------
    _r("Throttling*", TransientError, True, example="Throttling.User"),
    _r("QPS Limit Exceeded", TransientError, True),
    _r("ServiceUnavailable*", TransientError, True, example="ServiceUnavailable"),
    _r("System.Busy", TransientError, True),
    _r("ServerBusy", TransientError, True),
    _r("InternalError*", TransientError, True, example="InternalError"),
    _r("InternalServerError", TransientError, True),
    _r("RequestTimeout", TransientError, True),
    _r("GenerateResourceIdFailed", TransientError, True),
    _r("EndpointOperationDenied", TransientError, True, note="endpoint not Active (design.md)"),
    _r("EndpointLocked", TransientError, True, note="a zone of the endpoint is Creating/Deleting"),
    _r("ConcurrentCallNotSupported", TransientError, True),
    _r("EndpointConnectionOperationDenied", TransientError, True),
    _r("VpcNatServiceException", TransientError, True),
    _r("IncorrectStatus.VpcEndpointService", TransientError, True),
    _r("TaskConflict", TransientError, True),
    _r("OperationConflict", TransientError, True),
    _r("IdempotentProcessing", TransientError, True, note="the same ClientToken is still running"),
    _r(
        "InvalidStatus*",
        TransientError,
        True,
        example="InvalidStatus.ClusterUpdating",
        note="ACK: cluster busy (updating)",
    ),
    _r("WriteQuotaExceed", TransientError, True, note="SLS write rate"),
    _r("ReadQuotaExceed", TransientError, True, note="SLS read rate"),
    _r(
        "Transport*",
        TransientError,
        True,
        example="Transport.Timeout",
        note="our code for timeouts and refused connections",
    ),
    # ---- credentials and permissions --------------------------------------------------------
    _r("Forbidden.RAM", AuthError),
    _r("Forbidden", AuthError),
    _r("NoPermission*", AuthError, example="NoPermission"),
    _r("Unauthorized", AuthError),
    _r("InvalidAccessKeyId*", AuthError, example="InvalidAccessKeyId.NotFound"),
    _r("SignatureDoesNotMatch", AuthError),
    _r("SignatureNotMatch", AuthError),
    _r("IncompleteSignature", AuthError),
    _r("SignatureNonceUsed", AuthError),
    _r("InvalidSecurityToken*", AuthError, example="InvalidSecurityToken.Expired"),
    _r("SecurityToken*", AuthError, example="SecurityToken.Expired"),
    _r("InvalidTimeStamp*", AuthError, example="InvalidTimeStamp.Expired", note="clock skew"),
    _r("RequestTimeExpired", AuthError, note="clock skew"),
    _r("RequestTimeTooSkewed", AuthError, note="clock skew"),
    _r("InvalidRequestTime", AuthError),
    _r("InvalidCredentials", AuthError, note="Tea: no credentials at all"),
    _r("CredentialsUnavailable", AuthError, note="the credential chain found nothing usable"),
    _r("EndpointServiceNotAuthorized", AuthError, note="caller not on the service's whitelist"),
    _r("IllegalUser", AuthError),
    _r("EndpointProtected", AuthError, note="managed protection"),
    _r("OperationDenied.EndpointProtected", AuthError),
    _r("InvalidOperation.ResourceManagedByCloudProduct", AuthError),
    _r("InvalidOperation.DeletionProtection", AuthError),
    # ---- already exists / already done -----------------------------------------------------
    _r("EntityAlreadyExists.Role", ConflictError),
    _r("*AlreadyExist*", ConflictError, example="ProjectAlreadyExist"),
    _r("OrderOpend", ConflictError, note="PrivateLink already activated"),
    _r("SecurityGroupExist", ConflictError, note="already attached"),
    _r("EndpointZoneDuplicated", ConflictError),
    _r("EndpointExist", ConflictError),
    _r("EndpointDuplicated", ConflictError),
    _r("Record.Invalid.Conflict", ConflictError, note="duplicate record, or a CNAME sharing its Rr"),
    _r("ZoneVpc.Zone.Repeated", ConflictError, note="VPC bound to another zone of that name"),
    # ---- quotas and limits ------------------------------------------------------------------
    _r("QuotaExceeded*", QuotaExceededError, example="QuotaExceeded.totalEpPerVpc"),
    _r("QuotaExceed*", QuotaExceededError, example="QuotaExceed.SecurityGroup"),
    _r("ProjectQuotaExceed", QuotaExceededError),
    _r("*LimitExceed*", QuotaExceededError, example="AuthorizationLimitExceed"),
    _r("ResourceNotEnough*", QuotaExceededError, example="ResourceNotEnough.VSwitchIp"),
    # ---- still in use -----------------------------------------------------------------------
    _r("DependencyViolation*", DependencyViolationError, example="DependencyViolation"),
    _r("EndpointDependenceViolation", DependencyViolationError, note="zones left on the endpoint"),
    _r("Zone.VpcExists", DependencyViolationError, note="VPCs still bound to the zone"),
    _r("EndpointMustContainSecurityGroup", DependencyViolationError),
    # ---- not found ---------------------------------------------------------------------------
    _r("InvalidRegionId*", InvalidParameterError, example="InvalidRegionId.NotFound"),
    _r("Zone.Invalid.Id", NotFoundError),
    _r("Zone.Invalid.UserId", NotFoundError),
    _r("EndpointServiceDeleted", NotFoundError),
    _r("*NotFound*", NotFoundError, example="EndpointNotFound"),
    _r("*NotExist*", NotFoundError, example="EntityNotExist.Role"),
    # ---- the request is wrong ------------------------------------------------------------------
    _r("InvalidParameter*", InvalidParameterError, example="InvalidParameter.CustomSuffix.Length"),
    _r("MissingParameter*", InvalidParameterError, example="MissingParameter.Source"),
    _r("*.Malformed", InvalidParameterError, example="InvalidSourceCidrIp.Malformed"),
    _r("InvalidParam.*", InvalidParameterError, example="InvalidParam.PortRange"),
    _r("InvalidParamter.Conflict", InvalidParameterError),
    _r("IllegalParam*", InvalidParameterError, example="IllegalParam.NextToken"),
    _r("ParameterInvalid", InvalidParameterError),
    _r("IdempotentParameterMismatch", InvalidParameterError, note="ClientToken reused with other params"),
    _r("*.ValueNotSupported", InvalidParameterError, example="InvalidPriority.ValueNotSupported"),
    _r("*.NotSupported", InvalidParameterError, example="InvalidVpcIdNumber.NotSupported"),
    _r("*.Mismatch", InvalidParameterError, example="InvalidSourceGroupId.Mismatch"),
    _r("Mismatch.EndpointType", InvalidParameterError),
    _r("QuotaMisMatched", InvalidParameterError),
    _r("OperationDenied", InvalidParameterError, note="ECS protocol/port mismatch"),
    _r("OperationDenied.*", InvalidParameterError, example="OperationDenied.EndpointPolicyNotSupport"),
    _r("SecurityGroupTypeNotSupport", InvalidParameterError),
    _r("SecurityGroupTypeOnlySingleTypeSupporteded", InvalidParameterError),
    _r("AddSecurityGroupNotSupportWhenHaveNoSg", InvalidParameterError),
    _r("EndpointServiceNotSupportedZone", InvalidParameterError),
    _r("VSwitchStatusNotAllowed", InvalidParameterError),
    _r("IncorrectVpcStatus", InvalidParameterError),
    _r("EniIpUnavailable", InvalidParameterError),
    _r("Duplicate.TagKey", InvalidParameterError),
    _r("LogStoreInfoInvalid", InvalidParameterError),
    _r("IndexInfoInvalid", InvalidParameterError),
    _r("Zone.Invalid.Name", InvalidParameterError),
    _r("Zone.Remark", InvalidParameterError),
    _r("Record.Invalid.*", InvalidParameterError, example="Record.Invalid.Ttl"),
    _r("ValidationFailed", InvalidParameterError, note="rejected by the SDK before sending"),
    _r(
        "InvalidAccountStatus*",
        AlibabaCloudError,
        example="InvalidAccountStatus.NotEnoughBalance",
        note="billing: top up the account",
    ),
    _r("Invalid*", InvalidParameterError, example="InvalidTimeRange"),
    _r("Missing*", InvalidParameterError, example="MissingContentType", note="SLS protocol errors"),
    # ---- known, with no better class -------------------------------------------------------------
    _r("NeedOpenProduct", AlibabaCloudError, note="PrivateLink not activated: OpenPrivateLinkService"),
    _r("AccountTypeRestricted", AlibabaCloudError),
    _r("CheckServiceLinkRoleError", AlibabaCloudError, note="PrivateLink's own service-linked role"),
    _r("DryRunOperation", AlibabaCloudError, note="a dry run that passed"),
    _r("BadResponse", AlibabaCloudError, note="a response the SDK could not parse"),
    _r("LogRequestError", AlibabaCloudError, note="SLS error without code (not a transport error)"),
)


def classify(code: str, action: str = "") -> Rule | None:
    """The first rule matching ``code`` for ``action``; None for an unknown code."""
    for rule in RULES:
        if rule.matches(code, action):
            return rule
    return None
