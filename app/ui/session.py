"""The active connection: which account (or the sandbox), which region, and its LiveClient.

Credentials are resolved on a worker (reading the keychain is I/O and may even prompt), and so
is starting an in-process sandbox. Switching profile or region builds a new client; answers
from an older client are recognised by :attr:`Connection.generation` and ignored. Every call
the client makes is reported back (on the GUI thread) for the status bar: the last RequestId
and the API latency.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from PySide6.QtCore import QObject, Signal, Slot

from app.api.client import DEFAULT_ENDPOINT, DEFAULT_TIMEOUT, CallRecord, LiveClient
from app.api.retry import RetryPolicy
from app.credentials import Keychain, ProfileStore, resolve_credentials
from app.ui.workers import WorkerPool

if TYPE_CHECKING:
    from app.sandbox import Sandbox

log = logging.getLogger("casterdesk.ui.session")

SANDBOX_PROFILE = ":sandbox"  # ':' cannot appear in a profile name, so this never collides
REGIONS = ("cn-shanghai", "cn-beijing", "ap-southeast-1")
DEFAULT_REGION = "cn-shanghai"

STATE_NONE = "none"
STATE_CONNECTING = "connecting"
STATE_READY = "ready"
STATE_FAILED = "failed"


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


class Session(QObject):
    """Owns the current :class:`LiveClient`; rebuilds it when the profile or region changes.

    ``sandbox``: a running sandbox to use for the sandbox entry (not stopped by the session).
    ``sandbox_factory``: builds one on demand (started on a worker, stopped by :meth:`close`).
    """

    state_changed = Signal(str)
    ready = Signal(object)  # Connection
    failed = Signal(object)  # the exception
    call_recorded = Signal(object)  # CallRecord, on the GUI thread
    _call_from_worker = Signal(object)

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
        self._timeout: float | httpx.Timeout = timeout if timeout is not None else DEFAULT_TIMEOUT
        self._retry = retry
        self.store = store if store is not None else ProfileStore()
        self.keychain = keychain if keychain is not None else Keychain()
        self._sandbox = sandbox
        self._sandbox_factory = sandbox_factory
        self._owns_sandbox = False
        self._sandbox_lock = threading.Lock()
        self._generation = 0
        self._connection: Connection | None = None
        self.state = STATE_NONE
        self.profile: str | None = None
        self.region_id: str | None = None
        self.last_request_id: str | None = None
        self.last_latency_ms: float | None = None
        self.last_error: BaseException | None = None
        self._closed = False
        self._call_from_worker.connect(self._record_call)

    # --- what the window reads ----------------------------------------------------------

    @property
    def connection(self) -> Connection | None:
        return self._connection if self.state == STATE_READY else None

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

    def is_current(self, generation: int) -> bool:
        return generation == self._generation and self.state == STATE_READY

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
        self._set_state(STATE_CONNECTING)
        self._pool.run(
            self._build,
            profile,
            region_id,
            generation,
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
        """Close the client (in-flight calls fail as soon as they can) and stop our sandbox."""
        if self._closed:
            return
        self._closed = True
        self._generation += 1
        self._drop_client()
        self._set_state(STATE_NONE)

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

    def _set_state(self, state: str) -> None:
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

    def _report_call(self, record: CallRecord) -> None:
        """LiveClient's ``on_call`` (any thread): hand the record to the GUI thread."""
        with contextlib.suppress(RuntimeError):  # the session was deleted meanwhile
            self._call_from_worker.emit(record)

    def _build(self, profile: str, region_id: str | None, generation: int) -> Connection:
        """Runs on a worker: resolve credentials (keychain I/O), then build the client."""
        kwargs: dict[str, Any] = {
            "timeout": self._timeout,
            "on_call": self._report_call,
        }
        if self._retry is not None:
            kwargs["retry"] = self._retry
        if profile == SANDBOX_PROFILE:
            sandbox = self._ensure_sandbox()
            region = region_id or sandbox.region_id
            client = LiveClient(
                sandbox.signing_key, region_id=region, endpoint=sandbox.endpoint, **kwargs
            )
            source = "sandbox"
        else:
            resolved = resolve_credentials(profile, store=self.store, keychain=self.keychain)
            region = region_id or resolved.region_id or DEFAULT_REGION
            client = LiveClient(
                resolved.key,
                region_id=region,
                endpoint=resolved.endpoint or DEFAULT_ENDPOINT,
                signature_version=resolved.signature_version or "v3",
                **kwargs,
            )
            source = resolved.source
        return Connection(profile, client, region, client.endpoint, source, generation)

    # --- GUI side ---------------------------------------------------------------------------

    def _built(self, connection: Connection) -> None:
        if connection.generation != self._generation or self._closed:
            connection.client.close()  # a newer switch won
            return
        self._connection = connection
        self.region_id = connection.region_id
        self.last_error = None
        log.info(
            "session ready: %s, region %s, endpoint %s",
            connection.source,
            connection.region_id,
            connection.endpoint,
        )
        self._set_state(STATE_READY)
        self.ready.emit(connection)

    def _build_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation or self._closed:
            return
        self.last_error = error
        self._set_state(STATE_FAILED)
        self.failed.emit(error)

    @Slot(object)
    def _record_call(self, record: CallRecord) -> None:
        if record.request_id:
            self.last_request_id = record.request_id
        self.last_latency_ms = record.elapsed_ms
        self.call_recorded.emit(record)
