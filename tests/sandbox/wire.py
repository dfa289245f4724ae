"""Signed calls to a sandbox straight over httpx (no app client in between)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

import httpx

from app.api.signing import SignedRequest, SigningKey, sign_v1, sign_v3
from app.sandbox import Sandbox

API_VERSION = "2016-11-01"
Style = Literal["v1", "v3"]


def signed(
    sb: Sandbox,
    action: str,
    params: Mapping[str, str] | None = None,
    *,
    style: str = "v3",
    method: str = "POST",
    key: SigningKey | None = None,
    nonce: str | None = None,
    timestamp: str | None = None,
    version: str = API_VERSION,
) -> SignedRequest:
    """Sign ``action`` for ``sb`` the way a correct client would."""
    key = key or sb.signing_key
    if style == "v1":
        return sign_v1(
            action=action,
            version=version,
            params=dict(params or {}),
            key=key,
            method=method,
            nonce=nonce,
            timestamp=timestamp,
        )
    return sign_v3(
        action=action,
        version=version,
        params=dict(params or {}),
        key=key,
        host=sb.endpoint.removeprefix("http://"),
        method=method,
        nonce=nonce,
        timestamp=timestamp,
    )


def send(
    sb: Sandbox,
    request: SignedRequest,
    *,
    query: Mapping[str, str] | None = None,
    client: httpx.Client | None = None,
    timeout: float = 10.0,
) -> httpx.Response:
    """Send a signed request; ``query`` replaces its query (to tamper with it)."""
    params = dict(request.query if query is None else query)
    if client is not None:
        return client.request(
            request.method, sb.endpoint + "/", params=params, headers=request.headers
        )
    return httpx.request(
        request.method, sb.endpoint + "/", params=params, headers=request.headers, timeout=timeout
    )


def call(
    sb: Sandbox,
    action: str,
    params: Mapping[str, str] | None = None,
    *,
    client: httpx.Client | None = None,
    **sign_options: Any,
) -> httpx.Response:
    """Sign and send in one go."""
    return send(sb, signed(sb, action, params, **sign_options), client=client)


def ok(response: httpx.Response) -> dict[str, Any]:
    """The JSON of a 200 response (fails the test with the error body otherwise)."""
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    assert isinstance(data, dict)
    return data


def error(response: httpx.Response, code: str, status: int) -> dict[str, Any]:
    """Assert an error envelope with ``code`` and ``status``; returns it."""
    assert response.status_code == status, response.text
    data: dict[str, Any] = response.json()
    assert data["Code"] == code, data
    assert data["RequestId"] and data["HostId"] == "live.aliyuncs.com"
    assert code in data["Recommend"] and data["RequestId"] in data["Recommend"]
    return data


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll ``predicate`` until true or the deadline passes (for cross-thread effects)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
