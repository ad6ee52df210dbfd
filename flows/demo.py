"""``easrg demo``: the main job on the embedded emulator, start to finish, with its figures.

Starts the emulator as a subprocess (realistic pace), onboards ``examples/resource-group.yaml``
with the emulator's owner key, prints the inventory and the onboarding wall time beside the DAG's
critical path at the emulator's declared durations, then tears the group down (log data kept) and
shows what was kept.  Everything runs against a private Prefect home in a temporary directory,
so the demo neither needs nor touches the user's Prefect server.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "resource-group.yaml"
OWNER_KEY = ("LTAI-emulator-owner", "emulator-owner-secret")


def onboarding_critical_path(durations: dict[str, float]) -> tuple[float, str]:
    """The longest chain of dependent waits in onboarding, at the given durations.

    Endpoints are created with their zones, which become ready when the endpoint is Active;
    records wait for the endpoints; the private zone's binding waits for the zone to be visible;
    the log chain waits for the project, then the logstore, to be visible.
    """
    chains = {
        "endpoint Creating -> Active (zones ready with it) -> records": durations[
            "privatelink.endpoint.create"
        ],
        "private zone visible, then bind": durations["privatezone.zone.visible"],
        "log project visible, then logstore visible": durations["sls.project.visible"]
        + durations["sls.logstore.visible"],
    }
    name = max(chains, key=lambda key: chains[key])
    return chains[name], name


def teardown_critical_path(durations: dict[str, float], zones: int) -> tuple[float, str]:
    """An endpoint's zones are removed one at a time (the API locks the endpoint while one goes),
    then the endpoint is deleted; its network interfaces are released after it is gone, and only
    then can the security group go."""
    seconds = (
        zones * durations["privatelink.zone.delete"]
        + durations["privatelink.endpoint.delete"]
        + durations["ecs.eni.release"]
    )
    return seconds, f"{zones} endpoint zones removed one by one -> endpoint deleted -> interfaces released"


def _environment(emulator_url: str, home: str) -> None:
    os.environ.update(
        {
            "PREFECT_HOME": home,
            "DO_NOT_TRACK": "1",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "EASRG_ENDPOINT": emulator_url,
            "EASRG_TASK_TAGS": "false",
            "ALIBABA_CLOUD_ACCESS_KEY_ID": OWNER_KEY[0],
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET": OWNER_KEY[1],
        }
    )
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        os.environ.pop(name, None)  # proxies would hijack the loopback calls


def _figures(label: str, wall: float, critical: tuple[float, str]) -> str:
    seconds, chain = critical
    ratio = wall / seconds if seconds else float("inf")
    return f"{label}: wall time {wall:.1f} s; critical path {seconds:.1f} s ({chain}); ratio {ratio:.2f}"


def run_demo(pace: str = "realistic", keep: bool = False) -> int:
    from flows.local_cloud import LocalEmulator

    with tempfile.TemporaryDirectory(prefix="easrg-demo-") as home, LocalEmulator(pace=pace) as emulator:
        _environment(emulator.url, home)
        durations: dict[str, float] = emulator.control("pace")["durations"]
        print(f"emulator at {emulator.url} (pace {pace}); Prefect home {home}", flush=True)
        from flows.onboarding import onboard_resource_group
        from flows.spec import load_spec
        from flows.summary import table

        spec = load_spec(EXAMPLE)
        _start_prefect()
        onboarded = _timed(onboard_resource_group, spec)
        print("\n" + "\n".join(table(onboarded[0].resources)))
        lines = [_figures("onboarding", onboarded[1], onboarding_critical_path(durations))]
        if not keep:
            from flows.teardown import teardown_resource_group

            torn, wall = _timed(teardown_resource_group, spec)
            lines.append(_figures("teardown", wall, teardown_critical_path(durations, len(spec.vswitch_ids))))
            print(f"\nteardown: {torn.status}")
            for item in torn.kept:
                print(f"kept: {item}")
            left = _owned_resources(emulator.control("state"), spec)
            print(f"resources left in the emulator: {', '.join(left) if left else 'none'}")
        print("\n" + "\n".join(lines))
    return 0


def _start_prefect() -> None:
    """Start the temporary Prefect server now, so its start-up is not counted in a flow's time."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        client.hello()


def _timed(flow: Any, spec: Any) -> tuple[Any, float]:
    started = time.monotonic()
    result = flow(spec)
    return result, time.monotonic() - started


def _owned_resources(state: dict[str, Any], spec: Any) -> list[str]:
    """What the demo group still has in the emulator, from its state dump."""
    left: list[str] = []
    for account, scopes in state.get("accounts", {}).items():
        region = scopes.get(spec.region, {})
        left += [
            f"security group {g['security_group_id']}"
            for g in region.get("ecs", {}).get("groups", [])
            if g["name"] == spec.security_group_name
        ]
        endpoints = region.get("privatelink", {}).get("endpoints", {})
        left += [f"endpoint {e}" for e in (endpoints if isinstance(endpoints, dict) else [])]
        zones = scopes.get("account", {}).get("privatezone", {}).get("zones", {})
        left += [
            f"private zone {z['zone_name']}"
            for z in zones.values()
            if z["zone_name"] == spec.private_zone.name
        ]
        sls = scopes.get("account", {}).get("sls", {}) if account == "global" else {}
        for kind in ("projects", "logstores", "machine_groups", "configs"):
            left += [
                f"{kind[:-1].replace('_', ' ')} {key}"
                for key in sls.get(kind, {})
                if key.split("/")[0] == spec.log.project
            ]
    return left


if __name__ == "__main__":
    sys.exit(run_demo())
