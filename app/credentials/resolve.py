"""Which credentials a request is signed with: the one entry point for the CLI and the GUI.

:func:`resolve_credentials` looks, in this order, and the first usable source wins:

1. The ``profile`` argument, when given: a Caster Desk profile of that name, or
   ``aliyun:<name>`` (also ``aliyun-cli:<name>``) for an aliyun CLI profile, or ``ini:<name>``
   for a credentials.ini section. An explicit profile never falls through: if it cannot be
   used, its own error is raised.
2. Environment variables, when both an AccessKey ID and an AccessKey secret are set
   (``ALIBABA_CLOUD_ACCESS_KEY_ID`` / ``_SECRET`` / ``_SECURITY_TOKEN``, or the aliyun CLI's
   fallback names).
3. Caster Desk's default profile (the one chosen as default, else the last used). If it exists
   but its secret cannot be read here (keychain locked or missing, secret not stored, or kept
   only in a running window's session), the search goes on, and says so: a warning names the
   profile and the source used instead, and if nothing else works the error lists it first.
4. The aliyun CLI's ``~/.aliyun/config.json``: profile ``ALIBABA_CLOUD_PROFILE``, else its
   ``current`` one; skipped when ``ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true``.
5. ``credentials.ini`` (``ALIBABA_CLOUD_CREDENTIALS_FILE`` or ``~/.alibabacloud/credentials.ini``):
   section ``ALIBABA_CLOUD_PROFILE``, else ``default``.

Steps 2, 4 and 5 follow the official SDK's default chain (reference §5.4); Caster Desk's own
profiles slot in after the environment, so variables set for one command still win. If nothing
works, :class:`NoCredentialsError` lists every step with its reason. Everything is read at call
time: nothing is cached between calls.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.api.signing import SigningKey
from app.credentials.errors import (
    Attempt,
    CredentialsError,
    KeychainUnavailableError,
    NoCredentialsError,
    Reason,
    SecretMissingError,
)
from app.credentials.external import (
    ExternalProfile,
    cli_disabled,
    load_cli,
    load_env,
    load_ini,
)
from app.credentials.keychain import Keychain
from app.credentials.profiles import ENV_PROFILE, Profile, ProfileStore

log = logging.getLogger(__name__)

_CLI_PREFIXES = ("aliyun:", "aliyun-cli:")
_INI_PREFIX = "ini:"


@dataclass(frozen=True)
class ResolvedCredentials:
    """Credentials ready for signing, and where they came from.

    ``source`` is ``"profile:<name>"``, ``"session:<name>"`` (a Caster Desk profile whose
    secret is kept for this session only), ``"env"``, ``"aliyun-cli:<name>"`` or
    ``"ini:<name>"``. ``region_id``, ``endpoint`` and ``signature_version`` are ``None`` when
    the source does not say (the caller's defaults apply). ``repr`` never shows the secret.
    """

    key: SigningKey
    region_id: str | None
    endpoint: str | None
    signature_version: Literal["v3", "v1"] | None
    source: str


def credentials_for_profile(profile: Profile, keychain: Keychain) -> ResolvedCredentials:
    """Credentials of one Caster Desk profile, its secret (and STS token) from the keychain.

    Raises :class:`SecretMissingError` or :class:`KeychainUnavailableError`.
    """
    secret = keychain.get_secret(profile.name, "access_key_secret")
    if secret is None:
        raise SecretMissingError(profile.name, "access_key_secret")
    in_session = secret.where == "session"
    token: str | None = None
    if profile.uses_sts_token:
        stored_token = keychain.get_secret(profile.name, "sts_token")
        if stored_token is None:
            raise SecretMissingError(profile.name, "sts_token")
        token = stored_token.value
        in_session = in_session or stored_token.where == "session"
    return ResolvedCredentials(
        key=SigningKey(profile.access_key_id, secret.value, token),
        region_id=profile.region_id,
        endpoint=profile.endpoint,
        signature_version=profile.signature_version,
        source=f"{'session' if in_session else 'profile'}:{profile.name}",
    )


def _from_external(found: tuple[ExternalProfile, SigningKey]) -> ResolvedCredentials:
    described, key = found
    return ResolvedCredentials(
        key=key,
        region_id=described.region_id,
        endpoint=None,
        signature_version=None,
        source=described.label,
    )


def _explicit(
    name: str, env: Mapping[str, str], home: Path, store: ProfileStore, keychain: Keychain
) -> ResolvedCredentials:
    if name == ENV_PROFILE:
        return _from_external(load_env(env))
    for prefix in _CLI_PREFIXES:
        if name.startswith(prefix):
            return _from_external(load_cli(env, home, name[len(prefix) :]))
    if name.startswith(_INI_PREFIX):
        return _from_external(load_ini(env, home, name[len(_INI_PREFIX) :]))
    return credentials_for_profile(store.get(name), keychain)


def _skipped(source: str, error: CredentialsError) -> Attempt:
    return Attempt(source, Reason(error.message, error.message_zh))


def _note_fallback(
    default: str | None, unusable: CredentialsError | None, resolved: ResolvedCredentials
) -> None:
    if unusable is None:
        log.info("credentials: using %s", resolved.source)
        return
    # Never sign as another account silently: say which profile was passed over, and why.
    log.warning(
        "the default profile %r cannot be used here (%s); using %s instead",
        default,
        unusable.message.rstrip("."),
        resolved.source,
    )


def resolve_credentials(
    profile: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
    store: ProfileStore | None = None,
    keychain: Keychain | None = None,
) -> ResolvedCredentials:
    """Find the credentials to sign with, in the order given in this module's docstring.

    ``environ``, ``home``, ``store`` and ``keychain`` default to the real ones, looked up now.
    Raises a :class:`CredentialsError` subclass with plain text; never returns partial keys.
    """
    env = os.environ if environ is None else environ
    home_dir = Path.home() if home is None else home
    profiles = store if store is not None else ProfileStore()
    secrets = keychain if keychain is not None else Keychain()

    if profile is not None and profile.strip():
        resolved = _explicit(profile.strip(), env, home_dir, profiles, secrets)
        log.info("credentials: using %s (named explicitly)", resolved.source)
        return resolved

    tried: list[Attempt] = []
    try:
        resolved = _from_external(load_env(env))
    except CredentialsError as exc:
        tried.append(_skipped("environment variables", exc))
    else:
        log.info("credentials: using %s", resolved.source)
        return resolved

    default = profiles.default_name()
    unusable_default: CredentialsError | None = None
    if default is not None:
        try:
            resolved = credentials_for_profile(profiles.get(default), secrets)
        except (SecretMissingError, KeychainUnavailableError) as exc:
            unusable_default = exc
            tried.append(
                Attempt(
                    f"Caster Desk default profile {default!r}",
                    Reason(
                        f"its secret cannot be read here ({exc.message.rstrip('.')}). A secret "
                        "entered in the Caster Desk window for that session only stays in "
                        "that window.",
                        f"无法在此读取它的密钥（{exc.message_zh.rstrip('。')}）。在 Caster Desk "
                        "窗口中以“仅本次会话”方式输入的密钥只保存在那个窗口里。",
                    ),
                )
            )
        else:
            log.info("credentials: using %s (default profile)", resolved.source)
            return resolved
    elif profiles.problem is not None:
        tried.append(_skipped("Caster Desk profiles", profiles.problem))
    else:
        tried.append(
            Attempt(
                "Caster Desk profiles",
                Reason("no default profile is set.", "未设置默认配置。")
                if profiles.names()
                else Reason("no profile has been added.", "尚未添加任何配置。"),
            )
        )

    if cli_disabled(env):
        tried.append(
            Attempt(
                "aliyun CLI config",
                Reason(
                    "skipped because ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true.",
                    "已跳过：ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true。",
                ),
            )
        )
    else:
        try:
            resolved = _from_external(load_cli(env, home_dir))
        except CredentialsError as exc:
            tried.append(_skipped("aliyun CLI config", exc))
        else:
            _note_fallback(default, unusable_default, resolved)
            return resolved

    try:
        resolved = _from_external(load_ini(env, home_dir))
    except CredentialsError as exc:
        tried.append(_skipped("credentials.ini", exc))
    else:
        _note_fallback(default, unusable_default, resolved)
        return resolved

    raise NoCredentialsError(tried)
