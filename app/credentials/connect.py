"""One client factory for the window's session, the CLI and the accounts dialog's test.

Each of them used to build its :class:`LiveClient` itself, with its own defaults for the region,
the endpoint and the signature version. Here the order is written once: what the caller asks
for, else what the credentials say, else the defaults below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from app.api.client import DEFAULT_ENDPOINT, DEFAULT_TIMEOUT, CallRecord, LiveClient
from app.api.retry import RetryPolicy
from app.api.signing import SignatureVersion, SigningKey
from app.credentials.keychain import Keychain
from app.credentials.profiles import ProfileStore
from app.credentials.resolve import ResolvedCredentials, resolve_credentials

DEFAULT_REGION = "cn-shanghai"
ENDPOINT_ENV = "CASTERDESK_ENDPOINT"
"""An endpoint for every account but the sandbox (as ``--endpoint`` for the CLI)."""
DEFAULT_SIGNATURE: SignatureVersion = "v3"


@dataclass(frozen=True)
class ClientOptions:
    """How to talk to the API, whatever the credentials: timeout, retries and a call hook."""

    timeout: float | httpx.Timeout = field(default_factory=lambda: DEFAULT_TIMEOUT)
    retry: RetryPolicy | None = None
    on_call: Callable[[CallRecord], None] | None = None


def build_client(
    key: SigningKey,
    *,
    region_id: str | None = None,
    endpoint: str | None = None,
    signature_version: str | None = None,
    options: ClientOptions | None = None,
) -> LiveClient:
    """A client for ``key``; ``None`` for region, endpoint or signature means the default."""
    options = options or ClientOptions()
    return LiveClient(
        key,
        region_id=region_id or DEFAULT_REGION,
        endpoint=endpoint or DEFAULT_ENDPOINT,
        signature_version="v1" if signature_version == "v1" else DEFAULT_SIGNATURE,
        timeout=options.timeout,
        retry=options.retry,
        on_call=options.on_call,
    )


def connect(
    profile: str | None = None,
    *,
    region_id: str | None = None,
    endpoint: str | None = None,
    signature_version: str | None = None,
    options: ClientOptions | None = None,
    store: ProfileStore | None = None,
    keychain: Keychain | None = None,
) -> tuple[LiveClient, ResolvedCredentials]:
    """Resolve ``profile``'s credentials (keychain I/O: not on a GUI thread) and build a client.

    Explicit ``region_id``, ``endpoint`` and ``signature_version`` win over the credentials'.
    """
    resolved = resolve_credentials(profile, store=store, keychain=keychain)
    client = build_client(
        resolved.key,
        region_id=region_id or resolved.region_id,
        endpoint=endpoint or resolved.endpoint,
        signature_version=signature_version or resolved.signature_version,
        options=options,
    )
    return client, resolved
