"""What the accounts dialog (and the CLI) do with profiles, keeping file and keychain in step.

:class:`Accounts` pairs a :class:`ProfileStore` (names, AccessKey IDs, regions: no secrets) with
a :class:`Keychain` (the secrets). Each operation either completes in both places or leaves
both as they were, as far as the keychain allows. Secrets are written to the keychain, or kept
for this session only when the caller passes ``session_only=True`` (the user's choice after a
:class:`KeychainUnavailableError`). Nothing secret is ever written to a file.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.credentials.errors import (
    CredentialsError,
    InvalidProfileError,
    KeychainUnavailableError,
    ProfileExistsError,
    Reason,
    SecretKind,
)
from app.credentials.keychain import SECRET_KINDS, Keychain, KeychainStatus, Presence
from app.credentials.profiles import Profile, ProfileStore, SignatureVersion

if TYPE_CHECKING:
    from app.credentials.external import ExternalProfile, ExternalScan

# ``external`` (and the signing it needs, ~14 ms) is imported by the two methods that read other
# tools' credentials: the window makes an Accounts before it is first painted.


@dataclass(frozen=True)
class ProfileInfo:
    """A profile as the accounts list shows it: where its secrets are, and if it is default.

    ``sts_token`` is ``None`` for profiles that do not use one.
    """

    profile: Profile
    secret: Presence
    sts_token: Presence | None
    is_default: bool

    @property
    def name(self) -> str:
        """The profile's name."""
        return self.profile.name

    @property
    def ready(self) -> bool:
        """True when every secret the profile needs is at hand (keychain or session)."""
        have = ("keychain", "session")
        return self.secret in have and (self.sts_token is None or self.sts_token in have)


class Accounts:
    """Add, edit, rename, delete and import profiles; replace secrets; pick the default."""

    def __init__(self, store: ProfileStore | None = None, keychain: Keychain | None = None):
        self.store = store if store is not None else ProfileStore()
        self.keychain = keychain if keychain is not None else Keychain()

    def __repr__(self) -> str:
        return f"Accounts({self.store!r}, {self.keychain!r})"

    def keychain_status(self) -> KeychainStatus:
        """Whether the keychain can be used right now (checked afresh)."""
        return self.keychain.status()

    def list_profiles(self) -> list[ProfileInfo]:
        """Every profile with the presence of its secrets ("unknown" if the keychain is shut).

        A damaged profiles file is reported on ``store.problem``, not raised.
        """
        default = self.store.chosen_default()
        return [
            ProfileInfo(
                profile=p,
                secret=self.keychain.presence(p.name, "access_key_secret"),
                sts_token=self.keychain.presence(p.name, "sts_token") if p.uses_sts_token else None,
                is_default=p.name == default,
            )
            for p in self.store.list_profiles()
        ]

    def _put(self, name: str, kind: SecretKind, value: str, session_only: bool) -> None:
        if session_only:
            self.keychain.set_session_secret(name, value, kind)
        else:
            self.keychain.set_secret(name, value, kind)

    def _forget_quietly(self, name: str) -> None:
        for kind in SECRET_KINDS:
            with contextlib.suppress(CredentialsError):
                self.keychain.delete_secret(name, kind)

    def add_profile(
        self,
        profile: Profile,
        access_key_secret: str,
        sts_token: str | None = None,
        *,
        session_only: bool = False,
    ) -> Profile:
        """Save a new profile and its secret (and STS token). Returns the profile saved.

        The secret goes to the keychain, or to memory with ``session_only=True``. If the
        keychain refuses it, nothing is saved and :class:`KeychainUnavailableError` is raised.
        The first profile added becomes the default.
        """
        if self.store.find(profile.name) is not None:
            raise ProfileExistsError(profile.name)
        if sts_token is not None and sts_token.strip():
            profile = dataclasses.replace(profile, uses_sts_token=True)
        elif profile.uses_sts_token:
            raise InvalidProfileError("STS token", Reason("it is empty.", "不能为空。"))
        self._put(profile.name, "access_key_secret", access_key_secret, session_only)
        try:
            if sts_token is not None and profile.uses_sts_token:
                self._put(profile.name, "sts_token", sts_token, session_only)
            self.store.add(profile)
        except CredentialsError:
            self._forget_quietly(profile.name)
            raise
        if self.store.chosen_default() is None:
            self.store.set_default(profile.name)
        return profile

    def update_profile(self, profile: Profile) -> None:
        """Save new non-secret fields (AccessKey ID, region, endpoint, signature version)."""
        self.store.get(profile.name)  # raises ProfileNotFoundError
        self.store.save(profile)

    def replace_secret(
        self,
        name: str,
        access_key_secret: str,
        sts_token: str | None = None,
        *,
        session_only: bool = False,
    ) -> None:
        """Store a new secret (and optionally a new STS token) for an existing profile."""
        profile = self.store.get(name)
        self._put(name, "access_key_secret", access_key_secret, session_only)
        if sts_token is not None and sts_token.strip():
            self._put(name, "sts_token", sts_token, session_only)
            if not profile.uses_sts_token:
                self.store.save(dataclasses.replace(profile, uses_sts_token=True))

    def rename_profile(self, old: str, new: str) -> Profile:
        """Rename a profile and move its secrets to the new name. Returns the renamed profile.

        Raises :class:`KeychainUnavailableError` (nothing changed) if the secrets cannot be
        read or moved.
        """
        profile = self.store.get(old)
        target = dataclasses.replace(profile, name=new)  # validates the new name
        if target.name == old:
            return profile
        if self.store.find(target.name) is not None:
            raise ProfileExistsError(target.name)
        kinds: tuple[SecretKind, ...] = (
            SECRET_KINDS if profile.uses_sts_token else ("access_key_secret",)
        )
        moved = {kind: self.keychain.get_secret(old, kind) for kind in kinds}
        try:
            for kind, stored in moved.items():
                if stored is not None:
                    self._put(target.name, kind, stored.value, stored.where == "session")
            renamed = self.store.rename(old, target.name)
        except CredentialsError:
            self._forget_quietly(target.name)
            raise
        for kind, stored in moved.items():
            if stored is not None:
                with contextlib.suppress(CredentialsError):
                    self.keychain.delete_secret(old, kind)
        return renamed

    def delete_profile(self, name: str, *, even_if_keychain_unavailable: bool = False) -> None:
        """Delete a profile and its secrets.

        If the keychain cannot be reached, raises :class:`KeychainUnavailableError` and keeps
        the profile, unless ``even_if_keychain_unavailable`` (then any keychain entry stays
        behind, unreachable from the app until a profile of that name is added again).
        """
        self.store.get(name)  # raises ProfileNotFoundError
        unavailable = self.keychain.status().error()
        if unavailable is not None and not even_if_keychain_unavailable:
            raise unavailable  # checked first, so nothing is half-deleted
        try:
            for kind in SECRET_KINDS:
                self.keychain.delete_secret(name, kind)
        except KeychainUnavailableError:
            if not even_if_keychain_unavailable:
                raise
        self.store.delete(name)

    def set_default(self, name: str | None) -> None:
        """Choose the default profile (``None`` clears it)."""
        self.store.set_default(name)

    def mark_used(self, name: str) -> None:
        """Remember the profile last used (the default when none was chosen)."""
        self.store.mark_used(name)

    def importable(
        self, *, environ: Mapping[str, str] | None = None, home: Path | None = None
    ) -> ExternalScan:
        """External profiles (environment, aliyun CLI, credentials.ini), read now. No secrets."""
        from app.credentials.external import scan_external  # noqa: PLC0415  (see the imports)

        return scan_external(environ, home)

    def import_external(
        self,
        external: ExternalProfile,
        *,
        name: str | None = None,
        region_id: str | None = None,
        endpoint: str | None = None,
        signature_version: SignatureVersion = "v3",
        session_only: bool = False,
        environ: Mapping[str, str] | None = None,
        home: Path | None = None,
    ) -> Profile:
        """Copy an external profile into Caster Desk, at the user's explicit request.

        The secret is read from the source now and stored in the keychain (or this session,
        with ``session_only``). ``name`` and ``region_id`` default to the external profile's.
        """
        from app.credentials.external import load_external_key  # noqa: PLC0415

        key = load_external_key(external, environ=environ, home=home)
        profile = Profile(
            name=name if name is not None else external.name,
            access_key_id=key.access_key_id,
            region_id=region_id or external.region_id or "",
            endpoint=endpoint,
            signature_version=signature_version,
            uses_sts_token=key.security_token is not None,
        )
        return self.add_profile(
            profile, key.access_key_secret, key.security_token, session_only=session_only
        )
