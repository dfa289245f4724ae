"""The API emulator's request pipeline: HTTP request in, the real service's response out.

Order, as on the real service: identify the action → count it → gateway checks (signature,
timestamp, nonce, AccessKey) → per-user flow control → injected faults → the action → JSON
(or XML for a V1 call without ``Format=JSON``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate
from typing import Any
from xml.sax.saxutils import escape

from app.sandbox.actions import ACTIONS, API_VERSION, ActionContext
from app.sandbox.errors import HOST_ID, ApiError
from app.sandbox.faults import FaultDecision, FaultInjector
from app.sandbox.gateway import Gateway, identify, operation_params
from app.sandbox.http import HttpRequest, HttpResponse, reset_connection, status_line
from app.sandbox.ratelimit import RateLimiter
from app.sandbox.state import Studio

log = logging.getLogger(__name__)

JSON_TYPE = "application/json;charset=utf-8"
XML_TYPE = "text/xml;charset=utf-8"
BAD_GATEWAY_PAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request as the sandbox saw it (for tests: what did the client really send?)."""

    action: str
    style: str
    status: int
    code: str | None
    access_key_id: str | None
    params: dict[str, str]


def new_request_id() -> str:
    return str(uuid.uuid4()).upper()


def _xml(name: str, value: Any) -> str:
    if isinstance(value, dict):
        inner = "".join(_xml(k, v) for k, v in value.items())
        return f"<{name}>{inner}</{name}>"
    if isinstance(value, list):
        return "".join(_xml(name, item) for item in value)
    if isinstance(value, bool):
        value = "true" if value else "false"
    return f"<{name}>{escape(str(value))}</{name}>"


def render(data: dict[str, Any], status: int, fmt: str, root: str) -> HttpResponse:
    if fmt == "XML":
        body = ('<?xml version="1.0" encoding="UTF-8"?>' + _xml(root, data)).encode()
        content_type = XML_TYPE
    else:
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        content_type = JSON_TYPE
    headers = {"Content-Type": content_type, "x-acs-request-id": str(data.get("RequestId", ""))}
    return HttpResponse(status, headers, body)


def error_body(error: ApiError, request_id: str) -> dict[str, Any]:
    return {
        "RequestId": request_id,
        "HostId": HOST_ID,
        "Code": error.code,
        "Message": error.message,
        "Recommend": (
            f"https://api.aliyun.com/troubleshoot?q={error.code}&product=live"
            f"&requestId={request_id}"
        ),
    }


class ApiService:
    """Turns an :class:`HttpRequest` into the real API's answer. Runs on the loop thread."""

    def __init__(
        self,
        *,
        gateway: Gateway,
        limiter: RateLimiter,
        faults: FaultInjector,
        studio: Studio,
        region_id: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.gateway = gateway
        self.limiter = limiter
        self.faults = faults
        self.studio = studio
        self.region_id = region_id
        self._clock = clock
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._log: deque[RequestRecord] = deque(maxlen=2000)

    # --- counters, read from any thread -------------------------------------------------

    def request_count(self, action: str | None = None) -> int:
        with self._lock:
            return self._counts.total() if action is None else self._counts[action]

    def reset_counts(self) -> None:
        with self._lock:
            self._counts.clear()
            self._log.clear()

    def records(self, action: str | None = None) -> list[RequestRecord]:
        with self._lock:
            return [r for r in self._log if action is None or r.action == action]

    # --- the pipeline -------------------------------------------------------------------

    async def handle(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id()
        fmt = "JSON"
        action = ""
        style = "?"
        access_key_id: str | None = None
        params: dict[str, str] = {}
        decision: FaultDecision | None = None
        try:
            if request.method not in ("GET", "POST"):
                raise ApiError("UnsupportedHTTPMethod")
            if request.path != "/":
                raise ApiError("InvalidApi.NotFound")
            ident = identify(request)
            fmt, action, style, params = (
                ident.response_format,
                ident.action,
                ident.style,
                ident.params,
            )
            with self._lock:
                self._counts[action] += 1
            if ident.version != API_VERSION or action not in ACTIONS:
                raise ApiError(
                    "InvalidApi.NotFound",
                    f"Specified api is not found, please check your url and method. "
                    f"(The sandbox serves {', '.join(sorted(ACTIONS))} of version "
                    f"{API_VERSION}.)",
                )
            caller = self.gateway.authenticate(request, ident)
            access_key_id = caller.access_key_id
            if not self.limiter.allow(caller.access_key_id, action, time.monotonic()):
                raise ApiError("Throttling.User")
            decision = self.faults.decide(action)
            if decision.latency:
                await asyncio.sleep(decision.latency)
            if decision.error is not None:
                raise decision.error
            ctx = ActionContext(
                studio=self.studio,
                now=self._clock(),
                region_id=self.region_id,
                params=operation_params(ident.params),
            )
            data = {"RequestId": request_id, **ACTIONS[action](ctx)}
            response = render(data, 200, fmt, f"{action}Response")
            status, code = 200, None
        except ApiError as error:
            response = render(error_body(error, request_id), error.status, fmt, "Error")
            status, code = error.status, error.code
        # The Date header follows the sandbox clock, so a skewed clock (``clock_offset``) shows
        # to a client that compares it with its own, as the real gateway's would.
        response.headers["Date"] = formatdate(self._clock(), usegmt=True)
        log.debug("%s %s (%s) -> %d %s", request.method, action or "?", style, status, code or "")
        safe = {k: v for k, v in params.items() if k not in ("Signature", "SecurityToken")}
        self._record(RequestRecord(action, style, status, code, access_key_id, safe))
        if decision is not None and decision.network is not None:
            return broken(response, decision)
        return response

    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self._log.append(record)


# --- network faults ---------------------------------------------------------------------


def _head(response: HttpResponse, content_length: int) -> bytes:
    head = bytearray(status_line(response.status))
    for name, value in response.headers.items():
        head += f"{name}: {value}\r\n".encode("latin-1", "replace")
    head += f"Content-Length: {content_length}\r\nConnection: close\r\n\r\n".encode()
    return bytes(head)


def broken(response: HttpResponse, decision: FaultDecision) -> HttpResponse:
    """The response as a faulty network or proxy would deliver it."""
    body = response.body
    if decision.network in ("html", "html200"):
        status = 200 if decision.network == "html200" else 502
        return HttpResponse(status, {"Content-Type": "text/html"}, BAD_GATEWAY_PAGE, close=True)

    async def reset(writer: asyncio.StreamWriter) -> None:
        reset_connection(writer)

    async def truncate(writer: asyncio.StreamWriter) -> None:
        # Promise more than will come, send half, hang up.
        writer.write(_head(response, len(body) + max(16, len(body))) + body[: len(body) // 2])
        await writer.drain()

    async def slow(writer: asyncio.StreamWriter) -> None:
        writer.write(_head(response, len(body)))
        await writer.drain()
        pieces = max(1, min(len(body), 20))
        step = -(-len(body) // pieces)
        for offset in range(0, len(body), step):
            await asyncio.sleep(decision.slow_seconds / pieces)
            writer.write(body[offset : offset + step])
            await writer.drain()

    takeover = {"reset": reset, "truncate": truncate, "slow": slow}[str(decision.network)]
    return HttpResponse(response.status, takeover=takeover)
