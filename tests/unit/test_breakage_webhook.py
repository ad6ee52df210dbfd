"""Webhook deliveries that used to crash the handler, be read ambiguously, or hold a thread forever."""

from __future__ import annotations

import copy
import json
import select
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from flows import webhook
from flows.webhook import make_server, sign
from tests.unit.test_webhook import EXAMPLE, SECRET, Starts, body_of, deliver, headers_for


def test_handle_deeply_nested_body_is_400_not_a_crash() -> None:
    """A signed body nested 100 000 deep raised RecursionError out of the handler: the sender got
    its connection dropped with no answer (and the server printed a traceback)."""
    body = b'{"spec": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"

    response = deliver(body)

    assert response.status == 400
    assert "nested" in response.body["error"]


def test_handle_duplicated_field_is_400_naming_it() -> None:
    """``{"spec": A, "spec": B}``: json keeps B; a sender's own check may have read A."""
    other = copy.deepcopy(EXAMPLE)
    other["name"] = "prod"
    body = f'{{"spec": {json.dumps(EXAMPLE)}, "spec": {json.dumps(other)}}}'.encode()
    starts = Starts()

    response = deliver(body, starts=starts)

    assert response.status == 400
    assert response.body["field"] == "spec"
    assert "more than once" in response.body["error"]
    assert starts.calls == []


def test_handle_duplicated_spec_field_is_400_naming_its_path() -> None:
    text = json.dumps({"spec": EXAMPLE}).replace('"name": "demo"', '"name": "demo", "name": "prod"', 1)

    response = deliver(text.encode())

    assert response.status == 400
    assert response.body["field"] == "spec.name"


@pytest.mark.parametrize("stamp", ["+1750000000", "1_750_000_000", " 1750000000", "١٧٥٠٠٠٠٠٠٠"])
def test_handle_timestamp_not_in_plain_digits_is_401(stamp: str) -> None:
    """``int()`` accepts signs, underscores, spaces and other scripts' digits; senders write digits."""
    body = body_of(spec=EXAMPLE)
    headers = {
        "content-type": "application/json",
        "x-easrg-delivery": "d-1",
        "x-easrg-timestamp": stamp,
        "x-easrg-signature": sign(SECRET, stamp, "d-1", body),
    }

    response = deliver(body, headers)

    assert response.status == 401
    assert "Unix seconds" in response.body["error"]


def _answer(connection: socket.socket) -> str:
    """Everything the server sends until it closes the connection."""
    parts = []
    while chunk := connection.recv(4096):
        parts.append(chunk)
    return b"".join(parts).decode()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, int]]:
    monkeypatch.setattr(webhook, "READ_TIMEOUT_S", 0.5)
    receiver = make_server("127.0.0.1", 0, SECRET, "flow/deployment", start=Starts())
    thread = threading.Thread(target=receiver.serve_forever, daemon=True)
    thread.start()
    try:
        yield "127.0.0.1", receiver.server_address[1]
    finally:
        receiver.shutdown()
        receiver.server_close()


def test_make_server_body_never_sent_is_answered_408(server: tuple[str, int]) -> None:
    """A sender announcing 1000 bytes and sending one held a server thread forever (no timeout)."""
    body = body_of(spec=EXAMPLE)
    head = "".join(f"{k}: {v}\r\n" for k, v in headers_for(body).items())
    with socket.create_connection(server, timeout=10) as connection:
        connection.sendall(f"POST /webhook HTTP/1.1\r\nContent-Length: 1000\r\n{head}\r\n{{".encode())
        answer = _answer(connection)

    assert answer.startswith("HTTP/1.0 408")
    assert "not received" in answer


def test_make_server_body_dripped_byte_by_byte_is_answered_408(server: tuple[str, int]) -> None:
    """A byte every 0.1 s never trips a per-read timeout of 0.5 s: the body needs one deadline."""
    body = body_of(spec=EXAMPLE)
    head = "".join(f"{k}: {v}\r\n" for k, v in headers_for(body).items())
    with socket.create_connection(server, timeout=10) as connection:
        connection.sendall(f"POST /webhook HTTP/1.1\r\nContent-Length: {len(body)}\r\n{head}\r\n".encode())
        answered = False
        for byte in body[:30]:  # 3 s of dripping at most
            answered = bool(select.select([connection], [], [], 0.1)[0])
            if answered:
                break
            connection.sendall(bytes([byte]))
        answer = _answer(connection) if answered else ""

    assert answer.startswith("HTTP/1.0 408")


def test_make_server_deeply_nested_body_is_answered(server: tuple[str, int]) -> None:
    """Signed and fresh, so the receiver gets as far as parsing it."""
    body = b'{"spec": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    head = "".join(f"{k}: {v}\r\n" for k, v in headers_for(body, timestamp=time.time()).items())
    with socket.create_connection(server, timeout=10) as connection:
        request = f"POST /webhook HTTP/1.1\r\nContent-Length: {len(body)}\r\n{head}\r\n".encode() + body
        connection.sendall(request)
        answer = _answer(connection)

    assert answer.startswith("HTTP/1.0 400")
