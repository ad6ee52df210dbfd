"""The end-to-end stack: a real Prefect server, the emulator, a process work pool and a worker.

Every process is started here, by PID, in its own session, and stopped by that PID at the end
(the worker with SIGTERM, then SIGKILL: its graceful stop waits for its flow runs).  Their output
goes to files under the test's temporary directory and is shown when something fails.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.polling import wait_until

ROOT = Path(__file__).resolve().parents[2]
POOL = "easrg-process"
CREDENTIALS_BLOCK = "easrg-credentials"  # the name prefect.yaml's deployments use
_STRIPPED = ("ALIBABA_CLOUD_", "ALICLOUD_", "EASRG_", "PREFECT_")
_PROXIES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tail(path: Path, lines: int = 60) -> str:
    text = path.read_text(errors="replace") if path.exists() else "(no output)"
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class Process:
    """One child process with its output in a file."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def running(self) -> bool:
        return self.popen.poll() is None

    def stop(self, grace_s: float = 10.0) -> None:
        """SIGTERM, then SIGKILL after ``grace_s``; to the process group this process leads."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if not self.running():
                return
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.popen.wait(grace_s)
            except subprocess.TimeoutExpired:
                continue


@dataclass
class Stack:
    tmp: Path
    port: int
    env: dict[str, str]
    processes: list[Process] = field(default_factory=list)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self, name: str, command: Sequence[str]) -> Process:
        log = self.tmp / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                list(command),
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def prefect(self, *args: str, timeout: float = 120.0) -> str:
        """Run a ``prefect`` command to its end; fail the test with its output if it fails."""
        done = subprocess.run(
            [sys.executable, "-m", "prefect", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            pytest.fail(f"prefect {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def api(self, method: str, path: str, body: Any = None, timeout: float = 30.0) -> Any:
        """Call the Prefect server's REST API (no proxy: loopback)."""
        request = urllib.request.Request(
            f"{self.api_url}/{path.lstrip('/')}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=timeout) as response:
            data = response.read()
        return json.loads(data) if data else None

    def logs(self) -> str:
        return "\n\n".join(f"--- {p.name} ---\n{tail(p.log)}" for p in self.processes)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()


def environment(home: Path, port: int) -> dict[str, str]:
    """The children's environment: nothing of the caller's cloud, product or Prefect settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_STRIPPED) and k.lower() not in _PROXIES}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_API_URL=f"http://127.0.0.1:{port}/api",
        PREFECT_UI_ENABLED="false",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_WORKER_QUERY_SECONDS="1",
        EASRG_TASK_TAGS="false",
    )
    return env


def _healthy(stack: Stack, server: Process) -> bool:
    if not server.running():
        pytest.fail(f"prefect server exited with {server.popen.returncode}:\n{tail(server.log, 200)}")
    try:
        return stack.api("GET", "health", timeout=2.0) is True
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


@contextmanager
def prefect_stack(tmp: Path) -> Iterator[Stack]:
    """A started server (healthy), the work pool, every deployment of prefect.yaml, and a worker."""
    port = free_port()
    stack = Stack(tmp, port, environment(tmp / "prefect-home", port))
    try:
        server = stack.start(
            "server",
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        )
        try:
            wait_until(lambda: _healthy(stack, server), timeout=120, interval=0.5, message="prefect server")
        except AssertionError:
            pytest.fail(f"prefect server did not answer within 120 s:\n{tail(server.log, 200)}")
        stack.prefect("work-pool", "create", POOL, "--type", "process")
        stack.prefect("--no-prompt", "deploy", "--all")
        stack.start(
            "worker",
            [sys.executable, "-m", "prefect", "worker", "start", "--pool", POOL, "--type", "process"],
        )
        yield stack
    finally:
        stack.stop()
