"""The client layer's errors survive pickling (Prefect persists task failures) and read well."""

from __future__ import annotations

import pickle

from alicloud.errors import NotFoundError, WaitTimeoutError


def test_error_pickles_with_its_attributes() -> None:
    error = NotFoundError(
        "gone",
        code="EndpointNotFound",
        status=400,
        product="privatelink",
        action="GetVpcEndpointAttribute",
        request_id="RID",
        retryable=False,
    )

    copy = pickle.loads(pickle.dumps(error))

    assert type(copy) is NotFoundError
    assert (copy.code, copy.status, copy.product, copy.action, copy.request_id) == (
        "EndpointNotFound",
        400,
        "privatelink",
        "GetVpcEndpointAttribute",
        "RID",
    )


def test_wait_timeout_error_pickles_with_resource_state_and_since() -> None:
    error = WaitTimeoutError(
        "blocked: ep-1 in Deleting since 2026-12-03T18:00:00Z",
        resource="ep-1",
        state="Deleting",
        since="2026-12-03T18:00:00Z",
    )

    copy = pickle.loads(pickle.dumps(error))

    assert (copy.resource, copy.state, copy.since, copy.message) == (
        "ep-1",
        "Deleting",
        "2026-12-03T18:00:00Z",
        error.message,
    )


def test_error_text_names_product_action_code_and_request_id() -> None:
    error = NotFoundError(
        "The endpoint does not exist.",
        code="EndpointNotFound",
        product="privatelink",
        action="GetVpcEndpointAttribute",
        request_id="RID",
    )

    assert str(error) == (
        "privatelink:GetVpcEndpointAttribute: EndpointNotFound - The endpoint does not exist."
        " (request id RID)"
    )
