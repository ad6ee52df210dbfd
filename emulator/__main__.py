"""``python -m emulator serve --host 127.0.0.1 --port 0 [--pace ...] [--state-file PATH] [--world FILE]``.

Prints exactly ``emulator listening on http://HOST:PORT`` once ready; SIGTERM / SIGINT stop it.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from emulator.core.api import PACES
from emulator.core.server import EmulatorServer


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m emulator", description="Local Alibaba Cloud emulator.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the emulated APIs over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port")
    serve.add_argument("--pace", choices=PACES, default="instant")
    serve.add_argument("--state-file", default=None, help="persist the world here after every change")
    serve.add_argument("--world", default=None, help="world file (default: emulator/world/default.json)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    server = EmulatorServer(
        host=args.host, port=args.port, pace=args.pace, state_file=args.state_file, world_file=args.world
    )
    stopping = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    server.start()
    print(f"emulator listening on {server.url}", flush=True)
    while not stopping.wait(0.5):
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
