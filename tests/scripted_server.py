"""A loopback HTTP server that answers with scripted replies and records every request.

For wire-level client tests (retries, nonces, hostile bodies, exact error bodies) where the
sandbox's faithful behaviour is not what is being tested.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    arrived: float = field(default_factory=time.monotonic)

    @property
    def action(self) -> str:
        return self.query.get("Action") or self.headers.get("x-acs-action", "")

    @property
    def nonce(self) -> str:
        return self.query.get("SignatureNonce") or self.headers.get("x-acs-signature-nonce", "")


@dataclass
class Reply:
    """What to send. ``behaviour`` is ``normal``, ``reset``, ``truncate``, ``hang`` or
    ``trickle`` (the head at once, then the body one byte every ``trickle_s``)."""

    status: int = 200
    body: bytes | dict[str, Any] | list[Any] | str = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    behaviour: str = "normal"
    trickle_s: float = 0.5

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


Script = Callable[[Recorded], Reply]


class ScriptedServer:
    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[Recorded] = []
        self.release = threading.Event()  # frees "hang" replies at shutdown
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                if length:
                    self.rfile.read(length)
                parts = urlsplit(self.path)
                rec = Recorded(
                    self.command,
                    parts.path,
                    dict(parse_qsl(parts.query, keep_blank_values=True)),
                    {k.lower(): v for k, v in self.headers.items()},
                )
                server.requests.append(rec)
                reply = server.script(rec)
                payload = reply.payload()
                if reply.behaviour == "reset":
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                    )
                    self.close_connection = True
                    return
                if reply.behaviour == "hang":
                    server.release.wait(30)
                    self.close_connection = True
                    return
                self.send_response(reply.status)
                self.send_header("content-type", "application/json;charset=utf-8")
                declared = len(payload) * 2 if reply.behaviour == "truncate" else len(payload)
                self.send_header("content-length", str(declared))
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                if reply.behaviour == "trickle":
                    self.wfile.flush()
                    for i in range(len(payload)):
                        # Waiting on the release event ends the trickle at shutdown.
                        if server.release.wait(reply.trickle_s):
                            break
                        try:
                            self.wfile.write(payload[i : i + 1])
                            self.wfile.flush()
                        except OSError:  # the client gave up, as it should
                            break
                    self.close_connection = True
                    return
                self.wfile.write(payload)
                if reply.behaviour == "truncate":
                    self.close_connection = True

            do_GET = _handle  # noqa: N815  (http.server dispatches by these names)
            do_POST = _handle  # noqa: N815

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = False  # server_close() then joins handler threads
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, name="scripted-server", daemon=True
        )

    @property
    def endpoint(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def actions(self) -> list[str]:
        return [r.action for r in self.requests]

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@contextmanager
def scripted_server(script: Script) -> Iterator[ScriptedServer]:
    server = ScriptedServer(script)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def error_body(code: str, message: str, request_id: str = "REQ-1") -> dict[str, str]:
    return {
        "RequestId": request_id,
        "HostId": "live.aliyuncs.com",
        "Code": code,
        "Message": message,
        "Recommend": f"https://api.aliyun.com/troubleshoot?q={code}&product=live&requestId={request_id}",
    }
