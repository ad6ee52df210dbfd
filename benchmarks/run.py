"""Figures and ratios, measured in one run on this machine (shared and noisy: compare ratios).

1. Emulator throughput: calls per second through the official SDKs (ACS3-signed PrivateLink read,
   SLS v1-signed read, security-group creates), and the emulator's resident memory before and
   after 500 security groups (with --state-file off: state only in memory).
2. Onboarding at the emulator's realistic pace: wall time against the DAG's critical path at the
   declared durations (target <= 1.2), reads spent waiting, and the in-sync re-run's wall time.

Usage: ``make bench`` (or ``python benchmarks/run.py [--skip-onboarding]``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OWNER = ("LTAI-emulator-owner", "emulator-owner-secret")


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _clients(url: str) -> Any:
    from alicloud.clients import Clients
    from alicloud.credentials import CredentialValues
    from alicloud.settings import Settings

    return Clients(
        # no client-side pacing (EASRG_API_QPS): it is the emulator's own rate that is measured
        Settings(endpoint=url, api_qps=0),
        CredentialValues(access_key_id=OWNER[0], access_key_secret=OWNER[1]),
    )


def _rate(call: Any, seconds: float = 3.0) -> float:
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        call()
        count += 1
    return count / (time.perf_counter() - started)


def emulator_figures() -> None:
    from alicloud import ecs, privatelink, sls
    from flows.local_cloud import LocalEmulator

    with LocalEmulator(pace="instant") as emulator:
        clients = _clients(emulator.url)
        privatelink.open_private_link_service(clients)
        sls.create_project(clients, project="eas-bench-1748290035126730")
        pid = emulator._process.pid if emulator._process else 0  # noqa: SLF001 - our own subprocess
        rss_before = _rss_kb(pid)
        plink = _rate(lambda: privatelink.check_product_open(clients))
        logs = _rate(lambda: sls.get_project(clients, project="eas-bench-1748290035126730"))
        emulator.control("admin/ecs/set_group_quota", "POST", {"limit": 1000})
        started = time.perf_counter()
        for index in range(500):
            ecs.create_security_group(
                clients,
                vpc_id="vpc-bp1easrg0demo0000000a",
                security_group_name=f"bench-{index}",
                tags={"bench": "yes"},
            )
        creates = 500 / (time.perf_counter() - started)
        rss_after = _rss_kb(pid)
        print(
            f"emulator: {plink:.0f} PrivateLink reads/s (ACS3), {logs:.0f} SLS reads/s (v1), "
            f"one client thread; ratio SLS/ACS3 {logs / plink:.2f}"
        )
        print(
            f"emulator: {creates:.0f} security-group creates/s; resident memory {rss_before / 1024:.1f} MiB, "
            f"{rss_after / 1024:.1f} MiB after 500 groups (ratio {rss_after / max(rss_before, 1):.2f})"
        )


def onboarding_figures() -> None:
    from flows.demo import _environment, _start_prefect, onboarding_critical_path
    from flows.local_cloud import LocalEmulator

    with (
        tempfile.TemporaryDirectory(prefix="easrg-bench-") as home,
        LocalEmulator(pace="realistic") as emulator,
    ):
        _environment(emulator.url, home)
        os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
        durations = emulator.control("pace")["durations"]
        from flows.onboarding import onboard_resource_group
        from flows.spec import load_spec

        _start_prefect()
        spec = load_spec(ROOT / "examples" / "resource-group.yaml")
        started = time.monotonic()
        onboard_resource_group(spec)
        first = time.monotonic() - started
        calls = emulator.control("calls")["calls"]
        waits = sum(1 for c in calls if c["action"] in ("GetVpcEndpointAttribute", "ListVpcEndpointZones"))
        critical, chain = onboarding_critical_path(durations)
        started = time.monotonic()
        onboard_resource_group(spec)
        again = time.monotonic() - started
        print(
            f"onboarding (realistic pace): wall {first:.1f} s, critical path {critical:.1f} s ({chain}), "
            f"ratio {first / critical:.2f} (target <= 1.2)"
        )
        print(
            f"onboarding: {len(calls)} calls, {waits} of them polling reads for 3 endpoints "
            f"({waits / 3:.1f} per endpoint over {critical:.0f} s)"
        )
        print(f"re-run in sync: wall {again:.1f} s, ratio to the first run {again / first:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-onboarding", action="store_true")
    args = parser.parse_args()
    # alibabacloud_credentials reads these once, when it is first imported: set them first.
    os.environ["ALIBABA_CLOUD_ACCESS_KEY_ID"], os.environ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = OWNER
    emulator_figures()
    if not args.skip_onboarding:
        onboarding_figures()
    return 0


if __name__ == "__main__":
    sys.exit(main())
