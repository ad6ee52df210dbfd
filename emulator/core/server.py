"""The HTTP server: stdlib ``ThreadingHTTPServer`` in front of the gateway and the control API.

Every answer carries a JSON body with exact casing; nothing escapes as a bare 500.  Keep-alive
(HTTP/1.1) is on, as the SDKs reuse connections.
"""

from __future__ import annotations

import socket
import sys
import threading
import traceback
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from emulator.core.control import PREFIX, handle_control
from emulator.core.gateway import Gateway
from emulator.core.http import HttpRequest, HttpResponse, json_response
from emulator.core.registry import Services, discover
from emulator.core.world import World


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], gateway: Gateway):
        super().__init__(address, _RequestHandler)
        self.gateway = gateway
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HttpServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm and the client's
        # delayed ACK hold the body back about 40 ms on every keep-alive request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return  # the call log (GET /_emulator/calls) is the request log

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._serve()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_GET  # noqa: N815

    def _serve(self) -> None:
        try:
            request = HttpRequest(self.command, self.path, list(self.headers.items()), self._read_body())
            if request.path.startswith(PREFIX):
                response = handle_control(request, self.server.gateway)
            else:
                response = self.server.gateway.handle(request)
        except Exception:  # noqa: BLE001 - the last line of defence still answers JSON
            traceback.print_exc(file=sys.stderr)
            response = json_response(
                500,
                {
                    "RequestId": "",
                    "Code": "InternalError",
                    "Message": "The request processing has failed due to some unknown error.",
                },
            )
        if response.drop:
            self._drop()
            return
        self._write(response)

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        while True:
            size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _write(self, response: HttpResponse) -> None:
        try:
            self.send_response_only(response.status)
            headers = {k.lower(): (k, v) for k, v in response.headers.items()}
            if "date" not in headers:
                self.send_header("Date", formatdate(usegmt=True))
            for name, value in headers.values():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True  # the client gave up (read timeout on a hang)

    def _drop(self) -> None:
        """Close without a response: the client sees a connection reset / remote disconnect."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class EmulatorServer:
    """The emulator on ``host:port`` (port 0 picks a free one); ``start()`` serves in a thread."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        pace: str = "instant",
        state_file: str | Path | None = None,
        world_file: str | Path | None = None,
        services: Services | None = None,
    ):
        self.world = World(services or discover(), world_file=world_file, pace=pace, state_file=state_file)
        self.world.load_state()
        self.gateway = Gateway(self.world, base_hosts=frozenset({host.lower()}))
        self._httpd = _HttpServer((host, port), self.gateway)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> EmulatorServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="emulator", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        """Stop accepting, close open keep-alive connections, release the port."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        with self._httpd.connections_lock:
            for connection in list(self._httpd.connections):
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self._httpd.server_close()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
