"""Credentials for Caster Desk: named profiles, the system keychain, and the conventions users
already have (environment variables, aliyun CLI config, credentials.ini). No Qt here.

Entry points: :func:`resolve_credentials` (what to sign with), :class:`Accounts` (what the
accounts dialog does), :class:`Keychain` (the only code that touches ``keyring``).
"""

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
from app.credentials.external import ExternalProfile, ExternalScan, load_external_key, scan_external
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
