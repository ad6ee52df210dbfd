"""Task-run names and the log line of an answer that ends the work."""

from __future__ import annotations

from alicloud.errors import AlibabaCloudError, ConflictError, NotFoundError
from tasks import ecs, privatelink
from tasks.common import _outcome, _run_namer


def test_run_namer_takes_the_first_parameter_that_is_set() -> None:
    name = _run_namer("list-endpoints-{endpoint_name|vpc_id}")
    assert (
        name(parameters={"endpoint_name": "eas-rg-a-pai-eas", "vpc_id": "vpc-1"})
        == "list-endpoints-eas-rg-a-pai-eas"
    )
    assert name(parameters={"endpoint_name": None, "vpc_id": "vpc-1"}) == "list-endpoints-vpc-1"
    assert name(parameters={}) == "list-endpoints-all"


def test_list_tasks_filtered_by_vpc_only_are_named_after_the_vpc() -> None:
    params = {"vpc_id": "vpc-bp1", "endpoint_name": None, "security_group_name": None}
    assert privatelink.list_vpc_endpoints.task_run_name(parameters=params) == "list-endpoints-vpc-bp1"  # type: ignore[misc,operator]
    assert ecs.describe_security_groups.task_run_name(parameters=params) == "describe-groups-vpc-bp1"  # type: ignore[misc,operator]


def _error(cls: type[AlibabaCloudError], code: str) -> AlibabaCloudError:
    return cls("refused", code=code)


def test_outcome_of_a_read_not_found_is_not_found_and_of_a_delete_already_done() -> None:
    assert _outcome("get_role", _error(NotFoundError, "EntityNotExist.Role")) == "not found"
    assert _outcome("delete_zone", _error(NotFoundError, "Zone.NotExists")) == "already done"
    assert _outcome("create_project", _error(ConflictError, "ProjectAlreadyExist")) == "already done"
