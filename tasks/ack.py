"""ACK (Container Service) tasks: cluster detail, and the user kubeconfig kept as a Secret block."""

from __future__ import annotations

from dataclasses import dataclass

from prefect import get_run_logger, task
from prefect.blocks.system import Secret
from prefect.cache_policies import NO_CACHE

from alicloud import ack
from blocks.credentials import AlibabaCloudCredentials
from blocks.saving import save_block
from tasks.common import cloud_task, retry_transient, spread_delays

P = "ack"
READ = "a read; safe to repeat."

describe_cluster_detail = cloud_task(
    ack.describe_cluster_detail, product=P, run_name="describe-{cluster_id}", rule=READ
)
describe_cluster_user_kubeconfig = cloud_task(
    ack.describe_cluster_user_kubeconfig, product=P, run_name="kubeconfig-{cluster_id}", rule=READ
)


@dataclass(frozen=True)
class SavedKubeconfig:
    """Where the kubeconfig was stored, and its expiry (ISO 8601, empty when the API gave none)."""

    block_name: str
    expiration: str = ""


def kubeconfig_block_name(resource_group: str, region: str) -> str:
    return f"easrg-kubeconfig-{region}-{resource_group}"


@task(
    name="save-cluster-kubeconfig",
    task_run_name="save-kubeconfig-{cluster_id}",
    retries=3,
    retry_delay_seconds=spread_delays(3),
    retry_jitter_factor=0.5,
    retry_condition_fn=retry_transient,
    cache_policy=NO_CACHE,
    tags=["easrg", P],
)
def save_cluster_kubeconfig(
    *, cluster_id: str, resource_group: str, region: str, credentials: AlibabaCloudCredentials
) -> SavedKubeconfig:
    """Fetch the user kubeconfig (intranet endpoint) and store it as a Secret block; return the block
    name and when the kubeconfig expires (the health check warns ahead of it).

    The kubeconfig never appears in logs or task results, only the block name and expiry do.
    Idempotency: the block is overwritten with the current kubeconfig.
    """
    config = ack.describe_cluster_user_kubeconfig(credentials.get_clients(), cluster_id=cluster_id)
    name = kubeconfig_block_name(resource_group, region)
    save_block(Secret(value=config.config), name)
    get_run_logger().info("kubeconfig of %s saved as Secret block %s", cluster_id, name)
    return SavedKubeconfig(block_name=name, expiration=config.expiration)


@task(
    name="delete-cluster-kubeconfig",
    task_run_name="delete-kubeconfig-{resource_group}",
    cache_policy=NO_CACHE,
    tags=["easrg", P],
)
def delete_cluster_kubeconfig(*, resource_group: str, region: str) -> bool:
    """Delete the kubeconfig Secret block; True if it existed. Idempotency: a missing block counts as done."""
    name = kubeconfig_block_name(resource_group, region)
    try:
        Secret.delete(name)
    except ValueError:
        return False
    return True
