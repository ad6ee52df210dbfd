"""ResourceManager errors with their exact codes and HTTP statuses (API metadata, 2020-03-31)."""

from __future__ import annotations

from emulator.core.api import ApiError


class ResourceManagerError(ApiError):
    """An error of the ResourceManager role actions."""


def service_not_found(service_name: str) -> ResourceManagerError:
    return ResourceManagerError(
        "EntityNotExist.Service", f"The specified service does not exist: {service_name}", 404
    )


def role_exists(role_name: str) -> ResourceManagerError:
    return ResourceManagerError("EntityAlreadyExists.Role", f"The role already exists: {role_name}", 409)


def role_not_found(role_name: str) -> ResourceManagerError:
    return ResourceManagerError("EntityNotExist.Role", f"The role does not exist: {role_name}", 404)


def not_service_linked(role_name: str) -> ResourceManagerError:
    return ResourceManagerError(
        "EntityNotExist.ServiceLinkedRole", f"The role is not a service-linked role: {role_name}", 404
    )


def task_not_found(task_id: str) -> ResourceManagerError:
    return ResourceManagerError(
        "EntityNotExist.ServiceLinkedRole.DeletionTask",
        f"The deletion task of the service-linked role does not exist: {task_id}",
        404,
    )


def task_id_length() -> ResourceManagerError:
    return ResourceManagerError(
        "InvalidParameter.DeletionTaskId.Length",
        "The length of the parameter DeletionTaskId must be between 26 and 255.",
        400,
    )


def suffix_not_allowed() -> ResourceManagerError:
    return ResourceManagerError(
        "InvalidParameter.CustomSuffix.NotAllowed",
        "The service does not allow a custom suffix for its service-linked role.",
        400,
    )


def description_not_allowed() -> ResourceManagerError:
    return ResourceManagerError(
        "InvalidParameter.Description.NotAllowed", "A description is allowed only with a custom suffix.", 400
    )


def role_name_length() -> ResourceManagerError:
    return ResourceManagerError(
        "InvalidParameter.RoleName.Length",
        "The length of the parameter RoleName must be between 1 and 64.",
        400,
    )


def role_name_chars() -> ResourceManagerError:
    return ResourceManagerError(
        "InvalidParameter.RoleName.InvalidChars",
        "The parameter RoleName may contain only letters, digits, periods (.) and hyphens (-).",
        400,
    )
