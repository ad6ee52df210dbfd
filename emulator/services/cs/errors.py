"""Container Service (ACK) error answers.

The not-found status is not published; 404 is the emulator's choice (``docs/design.md``).
"""

from __future__ import annotations

from emulator.core.api import ApiError


def cluster_not_found(cluster_id: str) -> ApiError:
    return ApiError("ErrorClusterNotFound", f"cluster {cluster_id} not found", 404)


def invalid_duration(value: str) -> ApiError:
    return ApiError(
        "InvalidParameter",
        f"TemporaryDurationMinutes must be an integer from 15 to 4320, not {value!r}.",
        400,
    )


def no_public_endpoint(cluster_id: str) -> ApiError:
    return ApiError(
        "ErrorClusterPublicEndpointNotFound",
        f"cluster {cluster_id} has no public API server "
        "endpoint; request the intranet kubeconfig (PrivateIpAddress=true).",
        400,
    )
