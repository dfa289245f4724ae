"""The emulated POP gateway's checks: AccessKey, timestamp window, nonce replay, V1/V3 signature.

Verification follows the real gateway (reference §2): V1 signs every parameter but ``Signature``
with HMAC-SHA1; V3 rebuilds the canonical request from the headers named in ``SignedHeaders``
and from the *decoded* query re-encoded per RFC 3986 (which is what lets the official SDK's
requests verify even though it sends spaces as ``+``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from app.api.signing import (
    parse_v3_authorization,
    v1_signature,
    v1_string_to_sign,
    v3_canonical_request,
    v3_signature,
    v3_string_to_sign,
)
from app.sandbox.errors import ApiError
from app.sandbox.http import HttpRequest

TIMESTAMP_WINDOW_S = 15 * 60
_TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$")
V1_SIGNING_PARAMS = (
    "AccessKeyId",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "Timestamp",
)
# Parameters that belong to the protocol, not to the operation.
COMMON_PARAMS = frozenset(
    {
        *V1_SIGNING_PARAMS,
        "Action",
        "Version",
        "Format",
        "SecurityToken",
        "SignatureType",
        "BearerToken",
    }
)

Style = Literal["v1", "v3"]


@dataclass(frozen=True, slots=True)
class Credential:
    """An AccessKey the sandbox account owns. STS credentials carry a token and may expire."""

    access_key_id: str
    access_key_secret: str = field(repr=False)
    security_token: str | None = field(default=None, repr=False)
    expires_at: float | None = None  # epoch seconds, STS only
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class Identified:
    """What can be read from a request before any check: its style, action and parameters."""

    style: Style
    action: str
    version: str
    params: dict[str, str]
    response_format: Literal["JSON", "XML"]


@dataclass(frozen=True, slots=True)
class Caller:
    """A request that passed the gateway."""

    access_key_id: str
    style: Style
    sts: bool


def request_params(request: HttpRequest) -> dict[str, str]:
    """Query parameters, plus form-encoded body parameters (the query wins on a clash)."""
    params: dict[str, str] = {}
    content_type = request.headers.get("content-type", "").lower()
    if request.body and content_type.startswith("application/x-www-form-urlencoded"):
        from urllib.parse import parse_qsl  # noqa: PLC0415  (rare path)

        params.update(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    params.update(request.query)
    return params


def identify(request: HttpRequest) -> Identified:
    """Read style, Action and Version. Raises ``MissingParameter`` when the action is absent."""
    params = request_params(request)
    headers = request.headers
    # The new SDK in v2 mode sends x-acs-action too, so a Signature parameter decides first.
    is_v1 = "Signature" in params or (
        "authorization" not in headers and "x-acs-action" not in headers
    )
    if not is_v1:
        action = headers.get("x-acs-action", "")
        if not action:
            raise ApiError.missing("x-acs-action")
        version = headers.get("x-acs-version", "")
        if not version:
            raise ApiError.missing("x-acs-version")
        return Identified("v3", action, version, params, "JSON")
    action = params.get("Action", "")
    if not action:
        raise ApiError.missing("Action")
    version = params.get("Version", "")
    if not version:
        raise ApiError.missing("Version")
    # The Live V1 default format is XML; a client that forgets Format=JSON gets XML here too.
    fmt: Literal["JSON", "XML"] = "JSON" if params.get("Format", "XML").upper() == "JSON" else "XML"
    return Identified("v1", action, version, params, fmt)


def parse_timestamp(value: str) -> float:
    """Epoch seconds of a ``yyyy-MM-ddTHH:mm:ssZ`` value; ``InvalidTimeStamp.Format`` if not."""
    if not _TIMESTAMP_RE.match(value):
        raise ApiError("InvalidTimeStamp.Format")
    moment = datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    return moment.timestamp()


class NonceStore:
    """Nonces seen per AccessKey during the timestamp window; a reuse is a replay."""

    def __init__(self, window_s: float = TIMESTAMP_WINDOW_S) -> None:
        self._window_s = window_s
        self._seen: set[tuple[str, str]] = set()
        self._order: deque[tuple[float, tuple[str, str]]] = deque()

    def use(self, access_key_id: str, nonce: str, now: float) -> bool:
        """Record ``nonce``; False if it was already used within the window."""
        while self._order and self._order[0][0] < now - self._window_s:
            self._seen.discard(self._order.popleft()[1])
        key = (access_key_id, nonce)
        if key in self._seen:
            return False
        self._seen.add(key)
        self._order.append((now, key))
        return True

    def clear(self) -> None:
        self._seen.clear()
        self._order.clear()


class Gateway:
    """Authenticates requests the way the POP gateway does. Runs on the sandbox loop thread."""

    def __init__(
        self,
        credentials: Iterable[Credential],
        *,
        clock: Callable[[], float] = time.time,
        window_s: float = TIMESTAMP_WINDOW_S,
    ) -> None:
        self._lock = threading.Lock()
        self._credentials = {c.access_key_id: c for c in credentials}
        self._clock = clock
        self._window_s = window_s
        self.nonces = NonceStore(window_s)

    def add_credential(self, credential: Credential) -> None:
        with self._lock:
            self._credentials[credential.access_key_id] = credential

    def remove_credential(self, access_key_id: str) -> None:
        with self._lock:
            self._credentials.pop(access_key_id, None)

    def credential(self, access_key_id: str) -> Credential | None:
        with self._lock:
            return self._credentials.get(access_key_id)

    def authenticate(self, request: HttpRequest, ident: Identified) -> Caller:
        """Return the caller, or raise the ``ApiError`` the real gateway would answer with."""
        if ident.style == "v3":
            return self._authenticate_v3(request, ident)
        return self._authenticate_v1(request, ident)

    # --- V1 -----------------------------------------------------------------------------

    def _authenticate_v1(self, request: HttpRequest, ident: Identified) -> Caller:
        params = ident.params
        for name in V1_SIGNING_PARAMS:
            if name not in params:
                raise ApiError.missing(name)
        if params["SignatureMethod"] != "HMAC-SHA1":
            raise ApiError("InvalidSignatureMethod")
        if params["SignatureVersion"] != "1.0":
            raise ApiError("InvalidSignatureVersion")
        now = self._clock()
        self._check_time(params["Timestamp"], now)
        credential = self._credential(params["AccessKeyId"], now)
        self._check_token(credential, params.get("SecurityToken"))
        expected = v1_signature(request.method, params, credential.access_key_secret)
        if not hmac.compare_digest(expected, params["Signature"]):
            string_to_sign = v1_string_to_sign(request.method, params)
            raise ApiError(
                "SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation. "
                f"server string to sign is:{string_to_sign}",
            )
        self._use_nonce(credential.access_key_id, params["SignatureNonce"], now)
        return Caller(credential.access_key_id, "v1", credential.security_token is not None)

    # --- V3 -----------------------------------------------------------------------------

    def _authenticate_v3(self, request: HttpRequest, ident: Identified) -> Caller:
        headers = request.headers
        raw_auth = headers.get("authorization")
        if raw_auth is None:
            raise ApiError.missing("Authorization")
        auth = parse_v3_authorization(raw_auth)
        if auth is None or not auth.signed_headers:
            raise ApiError("IncompleteSignature")
        for name in ("x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"):
            if name not in headers:
                raise ApiError.missing(name)
        now = self._clock()
        self._check_time(headers["x-acs-date"], now)
        credential = self._credential(auth.access_key_id, now)
        self._check_token(credential, headers.get("x-acs-security-token"))

        claimed_hash = headers["x-acs-content-sha256"]
        body_hash = hashlib.sha256(request.body).hexdigest()
        path = request.target.partition("?")[0] if request.target.startswith("/") else "/"
        canonical = v3_canonical_request(
            request.method, request.query, headers, auth.signed_headers, claimed_hash, path
        )
        string_to_sign = v3_string_to_sign(canonical)
        expected = v3_signature(credential.access_key_secret, string_to_sign)
        if claimed_hash != body_hash:
            raise ApiError(
                "SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation: x-acs-content-sha256 "
                f"is {claimed_hash} but the request body hashes to {body_hash}.",
            )
        if not hmac.compare_digest(expected, auth.signature):
            raise ApiError(
                "SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation. "
                f"server string to sign is:{string_to_sign} "
                f"server canonical request is:{canonical}",
            )
        self._use_nonce(credential.access_key_id, headers["x-acs-signature-nonce"], now)
        return Caller(credential.access_key_id, "v3", credential.security_token is not None)

    # --- shared checks ------------------------------------------------------------------

    def _check_time(self, value: str, now: float) -> None:
        if abs(parse_timestamp(value) - now) > self._window_s:
            raise ApiError("InvalidTimeStamp.Expired")

    def _credential(self, access_key_id: str, now: float) -> Credential:
        credential = self.credential(access_key_id)
        if credential is None:
            raise ApiError("InvalidAccessKeyId.NotFound")
        if not credential.enabled:
            raise ApiError("InvalidAccessKeyId.Inactive")
        if credential.expires_at is not None and now > credential.expires_at:
            raise ApiError("InvalidSecurityToken.Expired")
        return credential

    @staticmethod
    def _check_token(credential: Credential, token: str | None) -> None:
        if credential.security_token is None:
            return
        if token is None or not hmac.compare_digest(token, credential.security_token):
            raise ApiError("InvalidSecurityToken.MismatchWithAccessKey")

    def _use_nonce(self, access_key_id: str, nonce: str, now: float) -> None:
        if not nonce:
            raise ApiError.missing("SignatureNonce")
        if not self.nonces.use(access_key_id, nonce, now):
            raise ApiError("SignatureNonceUsed")


def operation_params(params: Mapping[str, str]) -> dict[str, str]:
    """The operation's own parameters, without the protocol's common ones."""
    return {k: v for k, v in params.items() if k not in COMMON_PARAMS}
