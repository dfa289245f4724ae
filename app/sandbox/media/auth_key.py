"""Alibaba Cloud's playback URL signing, "type A": ``auth_key=<timestamp>-<rand>-<uid>-<md5>``.

``md5 = MD5("<URI>-<timestamp>-<rand>-<uid>-<PrivateKey>")`` over the path alone (no query). A URL
is refused once ``timestamp + validity`` has passed, or when its hash does not match.
"""

from __future__ import annotations

import enum
import hashlib
import hmac


class AuthResult(enum.Enum):
    """Why a play request's ``auth_key`` was accepted or refused."""

    OK = "ok"
    MISSING = "missing"
    MALFORMED = "malformed"
    BAD_HASH = "bad hash"
    EXPIRED = "expired"


def _digest(uri: str, timestamp: int | str, rand: str, uid: str, private_key: str) -> str:
    text = f"{uri}-{timestamp}-{rand}-{uid}-{private_key}"
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def sign_uri(uri: str, private_key: str, timestamp: int, rand: str = "0", uid: str = "0") -> str:
    """The ``auth_key`` value for ``uri`` (a path such as ``/caster/<name>.flv``)."""
    return f"{timestamp}-{rand}-{uid}-{_digest(uri, timestamp, rand, uid, private_key)}"


def verify(
    uri: str, auth_key: str | None, private_key: str, now: float, validity_s: int
) -> AuthResult:
    """Check ``auth_key`` for ``uri`` at wall-clock time ``now`` (Unix seconds)."""
    if not auth_key:
        return AuthResult.MISSING
    parts = auth_key.split("-")
    if len(parts) != 4 or not parts[0].isdigit() or len(parts[3]) != 32:
        return AuthResult.MALFORMED
    timestamp, rand, uid, given = parts
    expected = _digest(uri, timestamp, rand, uid, private_key)
    if not hmac.compare_digest(expected, given.lower()):
        return AuthResult.BAD_HASH
    if now > int(timestamp) + validity_s:
        return AuthResult.EXPIRED
    return AuthResult.OK
