"""Start the bundled Alibaba Cloud emulator as a subprocess (the demo's embedded default).

The product never imports the emulator: it starts ``python -m emulator serve`` and talks to it
over HTTP, exactly as it talks to Alibaba Cloud.  The control API (``/_emulator/...``) is used
only to read the declared durations (for the demo's critical-path figure) and the state.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections import deque
from typing import Any

_READY = re.compile(r"emulator listening on (http://\S+)")


class EmulatorStartError(RuntimeError):
    pass


class LocalEmulator:
    """``with LocalEmulator(pace="realistic") as emu: emu.url`` — a private emulator process."""

    def __init__(self, pace: str = "realistic", state_file: str | None = None, start_timeout: float = 30.0):
        self.pace = pace
        self.state_file = state_file
        self.start_timeout = start_timeout
        self.url = ""
        self._process: subprocess.Popen[str] | None = None
        self._output: deque[str] = deque(maxlen=50)

    def __enter__(self) -> LocalEmulator:
        command = [
            sys.executable,
            "-m",
            "emulator",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--pace",
            self.pace,
        ]
        if self.state_file:
            command += ["--state-file", self.state_file]
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        self._process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        found = threading.Event()

        def read() -> None:
            assert self._process is not None and self._process.stdout is not None
            for line in self._process.stdout:
                self._output.append(line.rstrip())
                match = _READY.search(line)
                if match and not found.is_set():
                    self.url = match.group(1)
                    found.set()

        threading.Thread(target=read, name="emulator-output", daemon=True).start()
        deadline = time.monotonic() + self.start_timeout
        while not found.wait(0.1):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise EmulatorStartError("the emulator did not start:\n" + "\n".join(self._output))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(5)
        self._process = None

    def control(self, path: str, method: str = "GET", body: Any = None) -> Any:
        return control_request(self.url, path, method, body)


def control_request(url: str, path: str, method: str = "GET", body: Any = None) -> Any:
    """Call the emulator's control API (no proxy: it is on loopback)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"{url.rstrip('/')}/_emulator/{path.lstrip('/')}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        return json.loads(response.read() or b"null")
