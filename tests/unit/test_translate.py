"""Translation of SDK exceptions (built here as the SDKs build them) into the client layer's errors."""

from __future__ import annotations

import requests
from alibabacloud_credentials.exceptions import CredentialException
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException, ThrottlingException
from aliyun.log.logexception import LogException
from darabonba.exceptions import RetryError, UnretryableException
from darabonba.policy.retry import RetryPolicyContext

from alicloud.errors import (
    AlibabaCloudError,
    AuthError,
    InvalidParameterError,
    NotFoundError,
    TransientError,
)
from alicloud.translate import TransportFailure, translate


def _client_exception(code: str, status: int = 400, message: str = "Bad.") -> ClientException:
    body = {"Code": code, "Message": message, "RequestId": "RID-1", "statusCode": status}
    return ClientException(
        status_code=status,
        code=code,
        message=f"code: {status}, {message} request id: RID-1",
        request_id="RID-1",
        data=body,
    )


def _unretryable(inner: Exception) -> UnretryableException:
    return UnretryableException(RetryPolicyContext(retries_attempted=1, exception=inner))


def _log_exception_from_transport(kind: str) -> LogException:
    # The SDK raises its LogException inside an ``except`` around our session's TransportFailure.
    error = LogException("LogRequestError", f"transport {kind}: ReadTimeout")
    error.__context__ = TransportFailure(kind, "ReadTimeout")
    return error


def test_translate_throttling_code_without_retry_after_is_transient() -> None:
    error = translate(_client_exception("Throttling.User"), product="vpc", action="DescribeVpcs")

    assert isinstance(error, TransientError)
    assert (error.code, error.status, error.request_id, error.retryable) == (
        "Throttling.User",
        400,
        "RID-1",
        True,
    )


def test_translate_message_comes_from_the_body_not_the_prefixed_text() -> None:
    error = translate(
        _client_exception("InvalidParameter", message="Zone is wrong."), product="vpc", action="X"
    )

    assert isinstance(error, InvalidParameterError)
    assert error.message == "Zone is wrong."


def test_translate_throttling_exception_retry_after_is_seconds() -> None:
    sdk = ThrottlingException(
        status_code=400,
        code="Throttling",
        message="m",
        request_id="R",
        retry_after=2500,
        data={"Code": "Throttling", "Message": "slow down"},
    )

    error = translate(sdk, product="privatelink", action="CreateVpcEndpoint")

    assert isinstance(error, TransientError)
    assert error.retry_after == 2.5


def test_translate_server_exception_service_unavailable_is_transient() -> None:
    sdk = ServerException(
        status_code=503,
        code="ServiceUnavailable",
        message="m",
        request_id="R",
        data={"Code": "ServiceUnavailable", "Message": "busy"},
    )

    error = translate(sdk, product="ecs", action="CreateSecurityGroup")

    assert isinstance(error, TransientError) and error.status == 503 and error.retryable


def test_translate_tea_timeout_is_a_retryable_transport_error() -> None:
    sdk = _unretryable(RetryError("HTTPConnectionPool(host='x', port=1): Read timed out. (read timeout=15)"))

    error = translate(sdk, product="pvtz", action="AddZone")

    assert isinstance(error, TransientError)
    assert (error.code, error.retryable) == ("Transport.Timeout", True)


def test_translate_tea_refused_connection_is_a_retryable_transport_error() -> None:
    error = translate(_unretryable(RetryError("Connection refused")), product="pvtz", action="AddZone")

    assert isinstance(error, TransientError) and error.code == "Transport.Connection"


def test_translate_credential_chain_failure_is_an_auth_error() -> None:
    sdk = _unretryable(
        CredentialException("unable to load credentials from any of the providers in the chain")
    )

    error = translate(sdk, product="vpc", action="DescribeVpcs")

    assert isinstance(error, AuthError) and error.code == "CredentialsUnavailable"


def test_translate_missing_credentials_in_tea_is_an_auth_error() -> None:
    sdk = ClientException(code="InvalidCredentials", message="Please set up the credentials correctly.")

    error = translate(sdk, product="vpc", action="DescribeVpcs")

    assert isinstance(error, AuthError) and error.status is None


def test_translate_sls_not_found_keeps_code_status_and_request_id() -> None:
    sdk = LogException("ProjectNotExist", "The Project does not exist : eas-x", "SLS-RID", 404)

    error = translate(sdk, product="sls", action="GetProject")

    assert isinstance(error, NotFoundError)
    assert (error.code, error.status, error.request_id, error.retryable) == (
        "ProjectNotExist",
        404,
        "SLS-RID",
        False,
    )


def test_translate_sls_server_error_already_retried_by_the_sdk_is_not_retried_again() -> None:
    sdk = LogException("InternalServerError", "boom", "SLS-RID", 500)

    error = translate(sdk, product="sls", action="CreateProject")

    assert isinstance(error, TransientError) and not error.retryable


def test_translate_sls_transport_error_reporting_status_200_is_retryable_transport() -> None:
    error = translate(_log_exception_from_transport("timeout"), product="sls", action="GetProject")

    assert isinstance(error, TransientError)
    assert (error.code, error.status, error.retryable) == ("Transport.Timeout", None, True)


def test_translate_sls_error_without_code_is_not_retried() -> None:
    sdk = LogException("LogRequestError", "Request is failed. Http code is 502.", "", 200)

    error = translate(sdk, product="sls", action="GetProject")

    assert type(error) is AlibabaCloudError and not error.retryable


def test_translate_requests_timeout_is_transport() -> None:
    error = translate(requests.ReadTimeout("read timed out"), product="sls", action="GetProject")

    assert isinstance(error, TransientError) and error.code == "Transport.Timeout"


def test_translate_unknown_code_is_the_root_class_and_not_retried() -> None:
    error = translate(_client_exception("Brand.New.Code"), product="vpc", action="DescribeVpcs")

    assert type(error) is AlibabaCloudError and not error.retryable and error.code == "Brand.New.Code"


def test_translate_unparsable_sls_response_is_bad_response() -> None:
    error = translate(KeyError("projectName"), product="sls", action="GetProject")

    assert error is not None and error.code == "BadResponse" and not error.retryable


def test_translate_a_bug_of_ours_is_not_translated() -> None:
    assert translate(AttributeError("oops"), product="vpc", action="DescribeVpcs") is None


def test_translate_names_product_and_action() -> None:
    error = translate(
        _client_exception("EndpointNotFound"), product="privatelink", action="GetVpcEndpointAttribute"
    )

    assert error is not None
    assert (error.product, error.action) == ("privatelink", "GetVpcEndpointAttribute")
    assert "privatelink:GetVpcEndpointAttribute: EndpointNotFound" in str(error)
