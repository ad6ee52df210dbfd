"""Container Service for Kubernetes (CS 2015-12-15, ROA): cluster details and user kubeconfigs, read-only."""

from emulator.core.service import Route, ServiceSpec
from emulator.services.cs.handlers import CsHandlers
from emulator.services.cs.models import CsStore, seed

SERVICE = ServiceSpec(
    product="cs",
    ram_code="cs",
    version="2015-12-15",
    style="ROA",
    scope="region",
    new_store=CsStore,
    load_store=CsStore.load,
    handlers=CsHandlers,
    seed=seed,
    routes=[
        Route("GET", "/clusters/{ClusterId}", "DescribeClusterDetail"),
        Route("GET", "/k8s/{ClusterId}/user_config", "DescribeClusterUserKubeconfig"),
    ],
    actions=["DescribeClusterDetail", "DescribeClusterUserKubeconfig"],
)
