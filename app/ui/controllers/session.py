"""The active connection: which account (or the sandbox), which region, and its LiveClient.

Credentials are resolved on a worker (reading the keychain is I/O and may even prompt), and so
is starting an in-process sandbox. Switching profile or region builds a new client; answers
from an older client are recognised by :attr:`Connection.generation` and ignored. Every call
the client makes is reported back (on the GUI thread) for the status bar: the last RequestId
and the API latency. The list of profiles is read here too (a file, so on a worker).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.api.retry import RetryPolicy
from app.credentials.keychain import Keychain
from app.credentials.profiles import ENV_PROFILE, ProfileStore
from app.ui.concurrency import ThreadRelay, WorkerPool
from app.ui.controllers.session_state import SANDBOX_PROFILE, SessionState
from app.ui.errors import Problem

if TYPE_CHECKING:
    import httpx

    from app.api.client import CallRecord, LiveClient
    from app.credentials.external import ExternalProfile
    from app.sandbox import Sandbox

# The API client (and httpx, ~50 ms to import) is loaded by the first connection's worker, not
# before the window is on screen: see ``_build``; the external credential sources by the worker
# that reads the accounts.

log = logging.getLogger("casterdesk.ui.session")


@dataclass(frozen=True)
class Connection:
    """A ready client and what it talks to. ``source`` says where the credentials came from."""

    profile: str
    client: LiveClient
    region_id: str
    endpoint: str
    source: str
    generation: int

    @property
    def is_sandbox(self) -> bool:
        return self.profile == SANDBOX_PROFILE


@dataclass(frozen=True)
class ExternalAccount:
    """Credentials found outside Caster Desk, usable as an account without importing them.

    ``profile`` is how the session opens it (:data:`ENV_PROFILE`, ``aliyun:NAME``,
    ``ini:NAME``); ``source`` is ``env``, ``aliyun-cli`` or ``ini``; ``selected`` marks the one
    the credential chain would pick from its source.
    """

    profile: str
    source: str
    name: str
    selected: bool = False

    @classmethod
    def of(cls, found: ExternalProfile) -> ExternalAccount:
        profile = ENV_PROFILE if found.source == "env" else found.ref
        return cls(profile, found.source, found.name, found.selected)


@dataclass(frozen=True)
class ProfileList:
    """The profile names on disk, the default one, and whether this was the first read.

    ``external``: usable credentials from the environment, the aliyun CLI and credentials.ini,
    in the credential chain's order.
    """

    names: tuple[str, ...]
    default: str | None
    initial: bool
    external: tuple[ExternalAccount, ...] = ()

    def chain_pick(self) -> str | None:
        """What the CLI's credential chain would use after the Caster Desk profiles."""
        return next((a.profile for a in self.external if a.selected), None)


def initial_profile(
    profiles: ProfileList,
    requested: tuple[str | None, str | None],
    remembered: str | None,
    remembered_region: str | None,
) -> tuple[str, str | None] | None:
    """Which profile (and region) to open at start, or None for the welcome page.

    The credential chain of the command line, with the window's memory: the one asked for on
    the command line, else the environment's credentials (as for the CLI), else the one used
    last (if it still exists), else the default profile, else the first, else the aliyun CLI's
    or credentials.ini's chosen profile.
    """
    wanted, region = requested
    names = profiles.names
    known = {*names, *(a.profile for a in profiles.external), SANDBOX_PROFILE}
    if wanted is None and any(a.profile == ENV_PROFILE for a in profiles.external):
        wanted = ENV_PROFILE
    if wanted is None and remembered is not None and remembered in known:
        wanted = remembered
        region = region or remembered_region
    if wanted is None and names:
        wanted = profiles.default or names[0]
    if wanted is None:
        wanted = profiles.chain_pick()
    return None if wanted is None else (wanted, region)


class SessionController(QObject):
    """Owns the current :class:`LiveClient`; rebuilds it when the profile or region changes.

    ``sandbox``: a running sandbox to use for the sandbox entry (not stopped by the session).
    ``sandbox_factory``: builds one on demand (started on a worker, stopped by
    :meth:`stop_owned_sandbox`).
    """

    state_changed = Signal(SessionState)
    ready = Signal(Connection)
    failed = Signal(Exception)
    call_recorded = Signal(object)  # a CallRecord
    profiles_loaded = Signal(ProfileList)
    problem = Signal(Problem)

    def __init__(
        self,
        pool: WorkerPool,
        *,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        store: ProfileStore | None = None,
        keychain: Keychain | None = None,
        sandbox: Sandbox | None = None,
        sandbox_factory: Callable[[], Sandbox] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._pool = pool
        self._timeout = timeout  # None: the client's default
        self._retry = retry
        self.store = store if store is not None else ProfileStore()
        self.keychain = keychain if keychain is not None else Keychain()
        self._sandbox = sandbox
        self._sandbox_factory = sandbox_factory
        self._owns_sandbox = False
        self._sandbox_lock = threading.Lock()
        self._generation = 0
        self._connection: Connection | None = None
        self.state = SessionState.NONE
        self.profile: str | None = None
        self.region_id: str | None = None
        self._closed = False
        self.profiles: ProfileList | None = None  # the last list read
        self._calls: ThreadRelay[CallRecord] = ThreadRelay(self.call_recorded.emit, self)

    # --- what the window reads ----------------------------------------------------------

    @property
    def connection(self) -> Connection | None:
        return self._connection if self.state is SessionState.READY else None

    @property
    def client(self) -> LiveClient | None:
        connection = self.connection
        return connection.client if connection is not None else None

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def sandbox(self) -> Sandbox | None:
        return self._sandbox

    @property
    def closed(self) -> bool:
        return self._closed

    def is_current(self, generation: int) -> bool:
        return generation == self._generation and self.state is SessionState.READY

    # --- profiles ------------------------------------------------------------------------

    def load_profiles(self, *, initial: bool = False) -> None:
        """Read the profile names (a file) on a worker; :attr:`profiles_loaded` follows."""
        if self._closed:
            return
        store = self.store

        def read() -> ProfileList:
            from app.credentials.external import scan_external  # noqa: PLC0415

            external = tuple(
                ExternalAccount.of(found) for found in scan_external().profiles if found.supported
            )
            return ProfileList(tuple(store.names()), store.default_name(), initial, external)

        self._pool.run(
            read,
            name="profiles",
            on_result=self._profiles_read,
            on_error=lambda error: self.problem.emit(
                Problem(
                    lambda: QCoreApplication.translate(
                        "SessionController", "Could not read the accounts"
                    ),
                    error,
                )
            ),
        )

    def _profiles_read(self, profiles: ProfileList) -> None:
        self.profiles = profiles
        self.profiles_loaded.emit(profiles)

    # --- switching -----------------------------------------------------------------------

    def open(self, profile: str, region_id: str | None = None) -> int:
        """Connect to ``profile`` (or :data:`SANDBOX_PROFILE`) on a worker. Returns the generation.

        ``region_id=None`` uses the profile's own region (the sandbox's for the sandbox).
        """
        if self._closed:
            raise RuntimeError("the session is closed")
        self._generation += 1
        generation = self._generation
        self._drop_client()
        self.profile = profile
        self.region_id = region_id
        self._set_state(SessionState.CONNECTING)
        self._pool.run(
            lambda: self._build(profile, region_id, generation),
            name="connect",
            on_result=self._built,
            on_error=lambda error: self._build_failed(generation, error),
        )
        return generation

    def set_region(self, region_id: str) -> int | None:
        """Rebuild the client for another region (same profile)."""
        if self.profile is None:
            self.region_id = region_id
            return None
        return self.open(self.profile, region_id)

    def close(self) -> None:
        """Close the client (in-flight calls fail as soon as they can)."""
        if self._closed:
            return
        self._closed = True
        self._generation += 1
        self._drop_client()
        self._set_state(SessionState.NONE)

    def stop_owned_sandbox(self) -> None:
        """Stop the sandbox this session started (call once no worker uses it)."""
        with self._sandbox_lock:
            sandbox, owned = self._sandbox, self._owns_sandbox
            if owned:
                self._sandbox = None
                self._owns_sandbox = False
        if owned and sandbox is not None:
            sandbox.stop()

    def _drop_client(self) -> None:
        old, self._connection = self._connection, None
        if old is not None:
            old.client.close()

    def _set_state(self, state: SessionState) -> None:
        self.state = state
        self.state_changed.emit(state)

    # --- worker side ------------------------------------------------------------------------

    def _ensure_sandbox(self) -> Sandbox:
        with self._sandbox_lock:
            if self._sandbox is not None and self._sandbox.running:
                return self._sandbox
            if self._sandbox_factory is None:
                if self._sandbox is not None:
                    return self._sandbox
                from app.sandbox import Sandbox  # noqa: PLC0415  (only when asked for)

                factory: Callable[[], Sandbox] = Sandbox
            else:
                factory = self._sandbox_factory
            sandbox = factory()
            if not sandbox.running:
                sandbox.start()
            self._sandbox = sandbox
            self._owns_sandbox = True
            return sandbox

    def _build(self, profile: str, region_id: str | None, generation: int) -> Connection:
        """Runs on a worker: resolve credentials (keychain I/O), then build the client."""
        from app.api.client import DEFAULT_TIMEOUT  # noqa: PLC0415  (see the imports)
        from app.credentials.connect import (  # noqa: PLC0415
            ENDPOINT_ENV,
            ClientOptions,
            build_client,
            connect,
        )

        timeout = self._timeout if self._timeout is not None else DEFAULT_TIMEOUT
        options = ClientOptions(timeout=timeout, retry=self._retry, on_call=self._calls.send)
        if profile == SANDBOX_PROFILE:
            sandbox = self._ensure_sandbox()
            client = build_client(
                sandbox.signing_key,
                region_id=region_id or sandbox.region_id,
                endpoint=sandbox.endpoint,
                options=options,
            )
            source = "sandbox"
        else:
            client, resolved = connect(
                profile,
                region_id=region_id,
                endpoint=os.environ.get(ENDPOINT_ENV) or None,  # as the CLI does
                options=options,
                store=self.store,
                keychain=self.keychain,
            )
            source = resolved.source
        return Connection(profile, client, client.region_id, client.endpoint, source, generation)

    # --- GUI side ---------------------------------------------------------------------------

    def _built(self, connection: Connection) -> None:
        if connection.generation != self._generation or self._closed:
            connection.client.close()  # a newer switch won
            return
        self._connection = connection
        self.region_id = connection.region_id
        log.info(
            "session ready: %s, region %s, endpoint %s",
            connection.source,
            connection.region_id,
            connection.endpoint,
        )
        self._set_state(SessionState.READY)
        self.ready.emit(connection)

    def _build_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation or self._closed:
            return
        self._set_state(SessionState.FAILED)
        self.failed.emit(error)
        self.problem.emit(Problem(lambda: self.tr("Could not sign in"), error, origin="connect"))
