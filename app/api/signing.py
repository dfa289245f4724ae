"""Alibaba Cloud OpenAPI request signing: RPC V1 (HMAC-SHA1) and V3 (ACS3-HMAC-SHA256).

Pure functions, shared by the client (which signs) and the sandbox (which verifies the way
the real gateway does). The published test vectors live in ``tests/api/test_signing.py``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import quote

SignatureVersion = Literal["v3", "v1"]

V3_ALGORITHM = "ACS3-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as the gateway expects: only ``A-Za-z0-9-_.~`` stay raw.

    Space becomes ``%20`` (never ``+``), ``*`` becomes ``%2A`` and ``~`` is left alone.
    """
    return quote(value, safe="~")


def canonical_query(params: Mapping[str, str]) -> str:
    """RFC 3986-encoded ``k=v`` pairs joined by ``&``, sorted by the raw (unencoded) key.

    Sorting before encoding is what the gateway and both official SDKs do; it only matters
    for non-ASCII names, which real parameters never have.
    """
    return "&".join(f"{percent_encode(k)}={percent_encode(params[k])}" for k in sorted(params))


def utc_timestamp(now: datetime | None = None) -> str:
    """ISO 8601 UTC with second precision, e.g. ``2023-03-13T08:34:30Z``."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def new_nonce() -> str:
    """A fresh 128-bit random nonce as 32 hex characters (one per attempt, never reused)."""
    return secrets.token_hex(16)


# --- V1 ---------------------------------------------------------------------------------


def v1_string_to_sign(method: str, params: Mapping[str, str]) -> str:
    """``METHOD&%2F&enc(canonical query)``; ``Signature`` itself is never part of it."""
    unsigned = {k: v for k, v in params.items() if k != "Signature"}
    return f"{method.upper()}&{percent_encode('/')}&{percent_encode(canonical_query(unsigned))}"


def v1_signature(method: str, params: Mapping[str, str], secret: str) -> str:
    """Base64 HMAC-SHA1 of the string-to-sign, keyed with ``secret + "&"``."""
    digest = hmac.new(
        (secret + "&").encode(), v1_string_to_sign(method, params).encode(), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode()


# --- V3 ---------------------------------------------------------------------------------


def v3_canonical_request(
    method: str,
    query: Mapping[str, str],
    headers: Mapping[str, str],
    signed_headers: Iterable[str],
    payload_hash: str,
    path: str = "/",
) -> str:
    """The V3 canonical request. ``query`` holds decoded values; ``headers`` any case."""
    lowered = {k.lower(): v.strip() for k, v in headers.items()}
    names = sorted(h.lower() for h in signed_headers)
    canonical_headers = "".join(f"{name}:{lowered.get(name, '')}\n" for name in names)
    return "\n".join(
        [
            method.upper(),
            path,
            canonical_query(query),
            canonical_headers,
            ";".join(names),
            payload_hash,
        ]
    )


def v3_string_to_sign(canonical_request: str) -> str:
    return f"{V3_ALGORITHM}\n{hashlib.sha256(canonical_request.encode()).hexdigest()}"


def v3_signature(secret: str, string_to_sign: str) -> str:
    """Hex HMAC-SHA256 keyed with the raw secret (no ``&``, unlike V1)."""
    return hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()


def v3_authorization(access_key_id: str, signed_headers: Iterable[str], signature: str) -> str:
    names = ";".join(sorted(h.lower() for h in signed_headers))
    return f"{V3_ALGORITHM} Credential={access_key_id},SignedHeaders={names},Signature={signature}"


@dataclass(frozen=True, slots=True)
class V3Authorization:
    """The parts of a V3 ``Authorization`` header."""

    access_key_id: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_v3_authorization(value: str) -> V3Authorization | None:
    """Split an ``ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`` header.

    Returns None when the header is not of that form.
    """
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != V3_ALGORITHM:
        return None
    fields: dict[str, str] = {}
    for part in rest.split(","):
        key, sep, val = part.strip().partition("=")
        if sep:
            fields[key] = val
    try:
        return V3Authorization(
            access_key_id=fields["Credential"],
            signed_headers=tuple(h for h in fields["SignedHeaders"].split(";") if h),
            signature=fields["Signature"],
        )
    except KeyError:
        return None


# --- Request preparation ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SigningKey:
    """What a request is signed with. ``security_token`` is set for STS credentials."""

    access_key_id: str
    access_key_secret: str
    security_token: str | None = None

    def __repr__(self) -> str:  # never let the secret reach a log through repr()
        token = ", security_token=<set>" if self.security_token else ""
        return f"SigningKey(access_key_id={self.access_key_id!r}{token})"


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """A request ready for the wire: query parameters (decoded) and headers."""

    method: str
    query: dict[str, str]
    headers: dict[str, str]


def sign_v1(
    *,
    action: str,
    version: str,
    params: Mapping[str, str],
    key: SigningKey,
    method: str = "POST",
    nonce: str | None = None,
    timestamp: str | None = None,
) -> SignedRequest:
    """Sign an RPC request the V1 way: everything, ``Signature`` included, goes in the query."""
    query: dict[str, str] = dict(params)
    query.update(
        {
            "Action": action,
            "Version": version,
            "Format": "JSON",  # the Live V1 default is XML
            "AccessKeyId": key.access_key_id,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureVersion": "1.0",
            "SignatureNonce": nonce or new_nonce(),
            "Timestamp": timestamp or utc_timestamp(),
        }
    )
    if key.security_token:
        query["SecurityToken"] = key.security_token
    query["Signature"] = v1_signature(method, query, key.access_key_secret)
    return SignedRequest(method=method.upper(), query=query, headers={})


def sign_v3(
    *,
    action: str,
    version: str,
    params: Mapping[str, str],
    key: SigningKey,
    host: str,
    method: str = "POST",
    nonce: str | None = None,
    timestamp: str | None = None,
) -> SignedRequest:
    """Sign an RPC request the V3 way: parameters in the query, the signature in headers.

    ``host`` must be what the ``Host`` header will carry, port included when not default.
    """
    headers = {
        "host": host,
        "x-acs-action": action,
        "x-acs-version": version,
        "x-acs-date": timestamp or utc_timestamp(),
        "x-acs-signature-nonce": nonce or new_nonce(),
        "x-acs-content-sha256": EMPTY_SHA256,
    }
    if key.security_token:
        headers["x-acs-security-token"] = key.security_token
        headers["x-acs-accesskey-id"] = key.access_key_id
    signed = sorted(headers)
    query = dict(params)
    canonical = v3_canonical_request(method, query, headers, signed, EMPTY_SHA256)
    signature = v3_signature(key.access_key_secret, v3_string_to_sign(canonical))
    headers["Authorization"] = v3_authorization(key.access_key_id, signed, signature)
    return SignedRequest(method=method.upper(), query=query, headers=headers)
