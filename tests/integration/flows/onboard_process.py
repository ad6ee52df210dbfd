"""Onboard one resource group in this process (a child the crash tests can kill).

``python -m tests.integration.flows.onboard_process SPEC.json BLOCK``: the Prefect API, the
emulator endpoint and the credentials come from the environment and the named block.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from flows.onboarding import onboard_resource_group
from flows.spec import parse_spec


def main(spec_file: str, block: str) -> int:
    spec = parse_spec(json.loads(Path(spec_file).read_text()))
    summary = onboard_resource_group(spec, credentials_block=block)
    print(f"onboarding finished: {summary.status}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
