"""Credentials for Caster Desk: named profiles, the system keychain, and the conventions users
already have (environment variables, aliyun CLI config, credentials.ini). No Qt here.

Entry points: :func:`resolve_credentials` (what to sign with), :class:`Accounts` (what the
accounts dialog does), :class:`Keychain` (the only code that touches ``keyring``).

The names below are imported from their modules when first used, not with the package: the
window imports ``app.credentials.errors`` and builds a profile store before its first paint,
and the whole package (signing, the external sources) would cost it ~20 ms.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.credentials.accounts import Accounts, ProfileInfo
    from app.credentials.errors import (
        Attempt,
        CredentialsError,
        ExternalProfileError,
        InvalidProfileError,
        KeychainUnavailableError,
        NoCredentialsError,
        ProfileExistsError,
        ProfileNotFoundError,
        ProfileStoreError,
        Reason,
        SecretMissingError,
        explain,
    )
    from app.credentials.external import (
        ExternalProfile,
        ExternalScan,
        load_external_key,
        scan_external,
    )
    from app.credentials.keychain import (
        Keychain,
        KeychainStatus,
        Presence,
        SessionStore,
        StoredSecret,
        describe_backend,
        keychain_summary,
        process_session_store,
    )
    from app.credentials.profiles import Profile, ProfileStore, default_profiles_path
    from app.credentials.resolve import (
        ResolvedCredentials,
        credentials_for_profile,
        resolve_credentials,
    )

_MODULES = {
    "accounts": ("Accounts", "ProfileInfo"),
    "errors": (
        "Attempt",
        "CredentialsError",
        "ExternalProfileError",
        "InvalidProfileError",
        "KeychainUnavailableError",
        "NoCredentialsError",
        "ProfileExistsError",
        "ProfileNotFoundError",
        "ProfileStoreError",
        "Reason",
        "SecretMissingError",
        "explain",
    ),
    "external": ("ExternalProfile", "ExternalScan", "load_external_key", "scan_external"),
    "keychain": (
        "Keychain",
        "KeychainStatus",
        "Presence",
        "SessionStore",
        "StoredSecret",
        "describe_backend",
        "keychain_summary",
        "process_session_store",
    ),
    "profiles": ("Profile", "ProfileStore", "default_profiles_path"),
    "resolve": ("ResolvedCredentials", "credentials_for_profile", "resolve_credentials"),
}
_HOME = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [
    "Accounts",
    "Attempt",
    "CredentialsError",
    "ExternalProfile",
    "ExternalProfileError",
    "ExternalScan",
    "InvalidProfileError",
    "Keychain",
    "KeychainStatus",
    "KeychainUnavailableError",
    "NoCredentialsError",
    "Presence",
    "Profile",
    "ProfileExistsError",
    "ProfileInfo",
    "ProfileNotFoundError",
    "ProfileStore",
    "ProfileStoreError",
    "Reason",
    "ResolvedCredentials",
    "SecretMissingError",
    "SessionStore",
    "StoredSecret",
    "credentials_for_profile",
    "default_profiles_path",
    "describe_backend",
    "explain",
    "keychain_summary",
    "load_external_key",
    "process_session_store",
    "resolve_credentials",
    "scan_external",
]


def __getattr__(name: str) -> Any:
    """``from app.credentials import X``: ``X`` from its module, imported now."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
