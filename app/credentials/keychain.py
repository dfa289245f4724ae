"""The one place that touches the system keychain (through ``keyring``).

:class:`Keychain` says plainly whether a real keychain is usable, checks again on every call
(a keychain can be locked or unlocked while the app runs), reports "locked" differently from
"missing", and never falls back to plain text. When the user chooses it, secrets can instead
be kept for this session only, in memory, by a :class:`SessionStore`.

Entries are stored under service ``casterdesk`` with user names ``<profile>:access_key_secret``
and ``<profile>:sts_token``. Nothing here logs, prints or reprs a secret.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from app.credentials.errors import (
    InvalidProfileError,
    KeychainState,
    KeychainUnavailableError,
    Reason,
    SecretKind,
)

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

# ``keyring`` itself (29 ms to import, and its backends probe the system when first asked) is
# imported where a secret or the backend is needed: always on a worker, never before the window.

SERVICE_NAME = "casterdesk"
SECRET_KINDS: tuple[SecretKind, ...] = ("access_key_secret", "sts_token")
_PROBE_USER = "casterdesk:probe"
_LOCKED_WORDS = re.compile(r"\b(un)?lock", re.IGNORECASE)
_MAX_DETAIL = 200

Presence = Literal["keychain", "session", "absent", "unknown"]
"""Where a profile's secret is: in the keychain, kept for this session, absent, or
``unknown`` because the keychain cannot be asked right now."""


def keychain_username(profile: str, kind: SecretKind) -> str:
    """The keyring user name of one secret of one profile."""
    return f"{profile}:{kind}"


def describe_backend(backend: KeyringBackend | None = None) -> str:
    """A readable name of the keyring backend in use, for the start-up log.

    A chainer is shown with the backends it chains, e.g.
    ``keyring.backends.chainer.ChainerBackend[keyring.backends.SecretService.Keyring]``.
    """
    from keyring import get_keyring  # noqa: PLC0415  (see the imports)
    from keyring.backends import chainer  # noqa: PLC0415

    chosen = backend if backend is not None else get_keyring()
    name = f"{type(chosen).__module__}.{type(chosen).__qualname__}"
    if isinstance(chosen, chainer.ChainerBackend):
        inner = ", ".join(f"{type(b).__module__}.{type(b).__qualname__}" for b in chosen.backends)
        name = f"{name}[{inner}]"
    return name


@dataclass(frozen=True)
class KeychainStatus:
    """What the keychain can do right now, and which keyring backend answered."""

    state: Literal["available", "missing", "locked", "failed"]
    backend: str
    detail: str = ""

    @property
    def available(self) -> bool:
        """True when secrets can be read and written."""
        return self.state == "available"

    def error(self) -> KeychainUnavailableError | None:
        """The error to show when the keychain is not available (``None`` if it is)."""
        if self.state == "available":
            return None
        return KeychainUnavailableError(self.state, self.backend, self.detail)


@dataclass(frozen=True)
class StoredSecret:
    """A secret read back, and where it came from. ``repr`` never shows the value."""

    value: str = field(repr=False)
    where: Literal["keychain", "session"]


class SessionStore:
    """Secrets kept in memory for this process only, when the user chose that.

    One process-wide instance is shared by default (see :func:`process_session_store`) so that
    every :class:`Keychain` in the app sees the same session secrets.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._secrets: dict[tuple[str, SecretKind], str] = {}

    def __repr__(self) -> str:
        return f"SessionStore({len(self._secrets)} secret(s))"

    def get(self, profile: str, kind: SecretKind) -> str | None:
        """The session secret, or ``None``."""
        with self._lock:
            return self._secrets.get((profile, kind))

    def set(self, profile: str, kind: SecretKind, value: str) -> None:
        """Keep a secret for this session."""
        with self._lock:
            self._secrets[(profile, kind)] = value

    def delete(self, profile: str, kind: SecretKind) -> None:
        """Forget one session secret (no error if absent)."""
        with self._lock:
            self._secrets.pop((profile, kind), None)

    def profiles(self) -> list[str]:
        """Names of profiles that have at least one session secret."""
        with self._lock:
            return sorted({p for p, _ in self._secrets})

    def clear(self) -> None:
        """Forget every session secret."""
        with self._lock:
            self._secrets.clear()


_PROCESS_SESSION = SessionStore()


def process_session_store() -> SessionStore:
    """The process-wide session store (lives until the process exits)."""
    return _PROCESS_SESSION


def _unusable(backend: KeyringBackend) -> str | None:
    """Why this backend cannot hold secrets safely, judged from its type alone."""
    from keyring.backends import chainer, fail, null  # noqa: PLC0415  (see the imports)

    if isinstance(backend, fail.Keyring):
        return "no recommended backend is available"
    if isinstance(backend, null.Keyring):
        return "the keyring is disabled (null backend)"
    if isinstance(backend, chainer.ChainerBackend) and not list(backend.backends):
        return "no backends to chain"
    # keyrings.alt's PlaintextKeyring (and similar) keep secrets in a readable file.
    if "plaintext" in type(backend).__qualname__.lower():
        return "plain-text storage is refused"
    return None


def _scrub(text: str, secret: str | None) -> str:
    if secret:
        text = text.replace(secret, "<redacted>")
    return text[:_MAX_DETAIL]


def _as_unavailable(
    exc: Exception, backend: str, secret: str | None = None
) -> KeychainUnavailableError:
    """Turn whatever a backend raised into a typed, plain error."""
    from keyring.errors import InitError, KeyringLocked, NoKeyringError  # noqa: PLC0415

    detail = _scrub(f"{type(exc).__name__}: {exc}", secret)
    state: KeychainState
    if isinstance(exc, NoKeyringError | InitError):
        state = "missing"
    elif isinstance(exc, KeyringLocked) or _LOCKED_WORDS.search(str(exc)):
        state = "locked"
    else:
        state = "failed"
    return KeychainUnavailableError(state, backend, detail)


def _clean_secret(value: str, kind: SecretKind) -> str:
    # A pasted secret often carries a newline or spaces, which break signatures.
    cleaned = value.strip()
    if not cleaned:
        label = "AccessKey secret" if kind == "access_key_secret" else "STS token"
        raise InvalidProfileError(label, Reason("it is empty.", "不能为空。"))
    return cleaned


class Keychain:
    """Facade over ``keyring`` for profile secrets, plus the session-only store.

    ``backend`` pins a keyring backend (tests); by default the current ``keyring`` backend is
    looked up on every call. Reads check the session store first: a secret the user typed for
    this session wins over an older keychain entry.
    """

    def __init__(
        self, backend: KeyringBackend | None = None, session: SessionStore | None = None
    ) -> None:
        self._backend = backend
        self.session = session if session is not None else process_session_store()

    def __repr__(self) -> str:
        return f"Keychain(backend={self.backend_name()!r})"

    def _current(self) -> KeyringBackend:
        if self._backend is not None:
            return self._backend
        from keyring import get_keyring  # noqa: PLC0415  (see the imports)

        return get_keyring()

    def backend_name(self) -> str:
        """The keyring backend that would be used now."""
        return describe_backend(self._current())

    def _usable_backend(self) -> KeyringBackend:
        backend = self._current()
        why = _unusable(backend)
        if why is not None:
            raise KeychainUnavailableError("missing", describe_backend(backend), why)
        return backend

    def status(self) -> KeychainStatus:
        """Check now whether the keychain can be used (asks the backend; may prompt to unlock)."""
        backend = self._current()
        name = describe_backend(backend)
        why = _unusable(backend)
        if why is not None:
            return KeychainStatus("missing", name, why)
        try:
            backend.get_password(SERVICE_NAME, _PROBE_USER)
        except Exception as exc:  # any backend failure is reported, never raised raw
            error = _as_unavailable(exc, name)
            return KeychainStatus(error.state, name, error.detail)
        return KeychainStatus("available", name)

    def get_secret(
        self, profile: str, kind: SecretKind = "access_key_secret"
    ) -> StoredSecret | None:
        """The secret from this session's store, else from the keychain; ``None`` if absent.

        Raises :class:`KeychainUnavailableError` when the keychain must be asked but cannot be.
        """
        in_session = self.session.get(profile, kind)
        if in_session is not None:
            return StoredSecret(in_session, "session")
        backend = self._usable_backend()
        try:
            value = backend.get_password(SERVICE_NAME, keychain_username(profile, kind))
        except Exception as exc:
            raise _as_unavailable(exc, describe_backend(backend)) from None
        return StoredSecret(value, "keychain") if value else None

    def set_secret(self, profile: str, value: str, kind: SecretKind = "access_key_secret") -> None:
        """Store a secret in the keychain (never anywhere else).

        Raises :class:`KeychainUnavailableError` if the keychain cannot take it; the caller may
        then offer :meth:`set_session_secret`. A session copy of the same secret is dropped.
        """
        secret = _clean_secret(value, kind)
        backend = self._usable_backend()
        try:
            backend.set_password(SERVICE_NAME, keychain_username(profile, kind), secret)
        except Exception as exc:
            raise _as_unavailable(exc, describe_backend(backend), secret) from None
        self.session.delete(profile, kind)

    def set_session_secret(
        self, profile: str, value: str, kind: SecretKind = "access_key_secret"
    ) -> None:
        """Keep a secret in memory for this session only (the user's explicit choice)."""
        self.session.set(profile, kind, _clean_secret(value, kind))

    def delete_secret(self, profile: str, kind: SecretKind = "access_key_secret") -> None:
        """Forget a secret: the session copy always, the keychain entry if there is one.

        Raises :class:`KeychainUnavailableError` if the keychain could not be asked (the
        session copy is gone by then).
        """
        from keyring.errors import PasswordDeleteError  # noqa: PLC0415  (see the imports)

        self.session.delete(profile, kind)
        backend = self._usable_backend()
        try:
            backend.delete_password(SERVICE_NAME, keychain_username(profile, kind))
        except PasswordDeleteError:
            pass  # nothing stored under that name: already deleted
        except Exception as exc:
            raise _as_unavailable(exc, describe_backend(backend)) from None

    def presence(self, profile: str, kind: SecretKind = "access_key_secret") -> Presence:
        """Where the secret is, without raising (for the accounts list)."""
        if self.session.get(profile, kind) is not None:
            return "session"
        try:
            found = self.get_secret(profile, kind)
        except KeychainUnavailableError:
            return "unknown"
        return "keychain" if found is not None else "absent"


def keychain_summary(keychain: Keychain | None = None) -> str:
    """One line for the start-up log: the backend picked and whether it is usable."""
    status = (keychain or Keychain()).status()
    detail = f" ({status.detail})" if status.detail else ""
    return f"keychain {status.state}{detail}; keyring backend: {status.backend}"
