"""Simple Log Service errors: the exact ``errorCode`` and HTTP status of each.

The core writes the SLS envelope ``{"errorCode", "errorMessage"}`` and ``x-log-requestid``.
Codes and statuses follow the per-operation API pages; where a page is silent the choice is
noted on the class (see also docs/design.md, "Decisions on unconfirmed facts").

Every class derives from :class:`~emulator.core.api.ApiError`; none is retried by the SDK
(all statuses are below 500).
"""

from __future__ import annotations

from emulator.core.api import ApiError


class ProjectNotExistError(ApiError):
    def __init__(self, project: str):
        super().__init__("ProjectNotExist", f"The Project does not exist : {project}", 404)


class ProjectAlreadyExistError(ApiError):
    """Project names are unique across every account, so a foreign project clashes too."""

    def __init__(self, project: str):
        super().__init__("ProjectAlreadyExist", f"Project {project} already exist.", 400)


class ProjectInfoInvalidError(ApiError):
    def __init__(self, message: str):
        super().__init__("ProjectInfoInvalid", message, 400)


class ProjectNotOwnedError(ApiError):
    """A project of another account: RAM denies it, as it would any resource of a stranger.

    The service checks the caller against the ARN of the project owner; a caller from another
    account matches no policy of that owner.  The exact text of the live message is not
    published; the code and status are the common 401 ``Unauthorized``.
    """

    def __init__(self, action: str, arn: str):
        super().__init__("Unauthorized", f"denied by sts or ram, action: log:{action}, resource: {arn}", 401)


class QuotaExceedError(ApiError):
    """A per-account or per-project count limit (``ProjectQuotaExceed``, the documented code)."""

    def __init__(self, message: str):
        super().__init__("ProjectQuotaExceed", message, 400)


class LogStoreNotExistError(ApiError):
    def __init__(self, logstore: str):
        super().__init__("LogStoreNotExist", f"logstore {logstore} does not exist", 404)


class LogStoreAlreadyExistError(ApiError):
    def __init__(self, logstore: str):
        super().__init__("LogStoreAlreadyExist", f"logstore {logstore} already exists", 400)


class LogStoreInfoInvalidError(ApiError):
    def __init__(self, message: str):
        super().__init__("LogStoreInfoInvalid", message, 400)


class LogStoreInUseError(ApiError):
    """DeleteLogStore while a Logtail config still writes to it (see docs/design.md)."""

    def __init__(self, logstore: str, configs: list[str]):
        super().__init__("ParameterInvalid", f"logstore {logstore} is used by logtail config "
                         f"{', '.join(sorted(configs))}; delete the config first", 400)


class IndexAlreadyExistError(ApiError):
    def __init__(self) -> None:
        super().__init__("IndexAlreadyExist", "Logstore index is already created.", 400)


class IndexConfigNotExistError(ApiError):
    """400, not 404, per the GetIndex page; the SDK callers must match the code, not the status."""

    def __init__(self) -> None:
        super().__init__("IndexConfigNotExist", "index config doesn't exist.", 400)


class IndexNotCreatedError(ApiError):
    """DeleteIndex on a logstore without an index: the documented ``ParameterInvalid``."""

    def __init__(self) -> None:
        super().__init__("ParameterInvalid", "Log store index not created.", 400)


class IndexInfoInvalidError(ApiError):
    def __init__(self, message: str):
        super().__init__("IndexInfoInvalid", message, 400)


class ConfigNotExistError(ApiError):
    def __init__(self, config: str):
        super().__init__("ConfigNotExist", f"Config {config} does not exist.", 404)


class ConfigAlreadyExistError(ApiError):
    def __init__(self, config: str):
        super().__init__("ConfigAlreadyExist", f"config {config} already exists.", 400)


class InvalidConfigError(ApiError):
    def __init__(self, detail: str):
        super().__init__("InvalidParameter", f"Invalid config resource json. {detail}".strip(), 400)


class MachineGroupNotExistError(ApiError):
    def __init__(self, group: str):
        super().__init__("MachineGroupNotExist", f"MachineGroup {group} does not exist.", 404)


class MachineGroupAlreadyExistError(ApiError):
    def __init__(self, group: str):
        super().__init__("MachineGroupAlreadyExist", f"group {group} already exists.", 400)


class InvalidGroupError(ApiError):
    def __init__(self, detail: str):
        super().__init__("InvalidParameter", f"invalid group resource json. {detail}".strip(), 400)


class InvalidTimeRangeError(ApiError):
    def __init__(self, message: str):
        super().__init__("InvalidTimeRange", message, 400)


class InvalidQueryStringError(ApiError):
    def __init__(self, query: str):
        super().__init__("InvalidQueryString", f"query string is invalid: {query}", 400)


class InvalidLineError(ApiError):
    def __init__(self, line: object):
        super().__init__("InvalidLine", f"line must be between 0 and 100, got {line}", 400)


class InvalidOffsetError(ApiError):
    def __init__(self, offset: object):
        super().__init__("InvalidOffset", f"offset must be a non-negative integer, got {offset}", 400)


class ParameterInvalidError(ApiError):
    def __init__(self, message: str):
        super().__init__("ParameterInvalid", message, 400)
