"""Caster Desk's own named profiles: everything about an account except its secrets.

A :class:`Profile` holds the name, AccessKey ID, region, endpoint and signature version. The
AccessKey secret and the STS token live only in the system keychain (see ``keychain.py``);
this module never sees them. :class:`ProfileStore` keeps profiles in one small JSON file,
re-read on every call so another process's edits (the CLI, a second window) are seen.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import platformdirs

from app.credentials.errors import (
    InvalidProfileError,
    ProfileExistsError,
    ProfileNotFoundError,
    ProfileStoreError,
    Reason,
)

SignatureVersion = Literal["v3", "v1"]
ENV_PROFILE = ":env"
"""The environment's credentials named as a profile (the window lists them as an account)."""
APP_DIR_NAME = "casterdesk"
PROFILES_FILE_NAME = "profiles.json"
FILE_FORMAT_VERSION = 1
MAX_NAME_LENGTH = 64


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _has_space_or_control(value: str) -> bool:
    return any(ch.isspace() or not ch.isprintable() for ch in value)


@dataclass(frozen=True)
class Profile:
    """A named account, without secrets.

    ``uses_sts_token`` says the profile signs with a temporary STS token, which (like the
    AccessKey secret) is kept in the keychain. Text fields are stripped; an empty endpoint
    becomes ``None`` (the app's default endpoint).
    """

    name: str
    access_key_id: str
    region_id: str
    endpoint: str | None = None
    signature_version: SignatureVersion = "v3"
    uses_sts_token: bool = False

    def __post_init__(self) -> None:
        name = (self.name or "").strip()
        if not name:
            raise InvalidProfileError("profile name", Reason("the name is empty.", "名称为空。"))
        if len(name) > MAX_NAME_LENGTH:
            raise InvalidProfileError(
                "profile name",
                Reason(
                    f"names can be at most {MAX_NAME_LENGTH} characters.",
                    f"名称最多 {MAX_NAME_LENGTH} 个字符。",
                ),
            )
        # ':' separates the profile from the secret kind in keychain entries and marks
        # external profiles ("aliyun:<name>"), so it cannot be part of a name.
        if ":" in name or any(not ch.isprintable() for ch in name):
            raise InvalidProfileError(
                "profile name",
                Reason(
                    "names cannot contain ':' or control characters.",
                    "名称不能包含“:”或控制字符。",
                ),
            )
        access_key_id = (self.access_key_id or "").strip()
        if not access_key_id or _has_space_or_control(access_key_id):
            raise InvalidProfileError(
                "AccessKey ID",
                Reason("it must be non-empty and contain no spaces.", "不能为空，且不能包含空格。"),
            )
        region_id = (self.region_id or "").strip()
        if not region_id or _has_space_or_control(region_id):
            raise InvalidProfileError(
                "region",
                Reason(
                    "choose a region such as cn-shanghai.", "请选择一个地域，例如 cn-shanghai。"
                ),
            )
        endpoint = _clean(self.endpoint)
        if endpoint is not None and _has_space_or_control(endpoint):
            raise InvalidProfileError(
                "endpoint",
                Reason("an endpoint cannot contain spaces.", "接入地址不能包含空格。"),
            )
        if self.signature_version not in ("v3", "v1"):
            raise InvalidProfileError(
                "signature version",
                Reason("use “v3” (default) or “v1”.", "请使用“v3”（默认）或“v1”。"),
            )
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "access_key_id", access_key_id)
        object.__setattr__(self, "region_id", region_id)
        object.__setattr__(self, "endpoint", endpoint)
        object.__setattr__(self, "uses_sts_token", bool(self.uses_sts_token))

    def to_json(self) -> dict[str, Any]:
        """The dict written to the profiles file (no secrets: the class has none)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Profile:
        """Build a profile from one entry of the file; unknown keys are ignored."""
        if not isinstance(data, dict):
            raise InvalidProfileError(
                "profile entry", Reason("it is not a JSON object.", "不是 JSON 对象。")
            )
        fields: dict[str, Any] = {}
        for key in ("name", "access_key_id", "region_id", "endpoint", "signature_version"):
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                raise InvalidProfileError(key, Reason("it is not a text value.", "不是文本值。"))
            fields[key] = value
        return cls(
            name=fields["name"] or "",
            access_key_id=fields["access_key_id"] or "",
            region_id=fields["region_id"] or "",
            endpoint=fields["endpoint"],
            signature_version=fields["signature_version"] or "v3",
            uses_sts_token=data.get("uses_sts_token") is True,
        )


def default_profiles_path() -> Path:
    """``profiles.json`` in the per-user config folder (computed at call time, not import)."""
    return Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False)) / PROFILES_FILE_NAME


@dataclass
class _Contents:
    profiles: dict[str, Profile]
    default: str | None
    last_used: str | None


class ProfileStore:
    """Profiles saved in one JSON file, written atomically (temp file + ``os.replace``).

    A file that cannot be read fully (bad JSON, a broken entry) does not crash anything: the
    readable profiles are still returned, :attr:`problem` describes what was wrong in plain
    words, and the file is copied to ``profiles.json.corrupt-<hash>`` before any write
    replaces it.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_profiles_path()
        self.problem: ProfileStoreError | None = None

    def __repr__(self) -> str:
        return f"ProfileStore({str(self.path)!r})"

    # --- reading --------------------------------------------------------------------------

    def _backup(self, raw: bytes) -> Path | None:
        digest = hashlib.sha256(raw).hexdigest()[:12]
        backup = self.path.with_name(f"{self.path.name}.corrupt-{digest}")
        try:
            if not backup.exists():  # the same broken content is only backed up once
                shutil.copy2(self.path, backup)
        except OSError:
            return None
        return backup

    def _load(self) -> _Contents:
        self.problem = None
        empty = _Contents({}, None, None)
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return empty
        except OSError as exc:
            self.problem = ProfileStoreError(self.path, exc.strerror or str(exc))
            return empty
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            detail = f"not valid JSON: {exc}"
            self.problem = ProfileStoreError(self.path, detail, backup=self._backup(raw))
            return empty
        if not isinstance(data, dict) or not isinstance(data.get("profiles", []), list):
            detail = "unexpected layout"
            self.problem = ProfileStoreError(self.path, detail, backup=self._backup(raw))
            return empty
        profiles: dict[str, Profile] = {}
        broken = 0
        for entry in data.get("profiles", []):
            try:
                profile = Profile.from_json(entry)
            except InvalidProfileError:
                broken += 1
                continue
            if profile.name in profiles:
                broken += 1
                continue
            profiles[profile.name] = profile
        if broken:
            detail = f"{broken} profile entr{'y' if broken == 1 else 'ies'} could not be read"
            self.problem = ProfileStoreError(self.path, detail, backup=self._backup(raw))
        default = data.get("default")
        last_used = data.get("last_used")
        return _Contents(
            profiles,
            default if isinstance(default, str) else None,
            last_used if isinstance(last_used, str) else None,
        )

    def list_profiles(self) -> list[Profile]:
        """All readable profiles, sorted by name (case-insensitive)."""
        return sorted(self._load().profiles.values(), key=lambda p: p.name.casefold())

    def names(self) -> list[str]:
        """The names of all readable profiles."""
        return [p.name for p in self.list_profiles()]

    def find(self, name: str) -> Profile | None:
        """The profile called ``name``, or ``None``."""
        return self._load().profiles.get(name)

    def get(self, name: str) -> Profile:
        """The profile called ``name``; raises :class:`ProfileNotFoundError`."""
        contents = self._load()
        profile = contents.profiles.get(name)
        if profile is None:
            raise ProfileNotFoundError(name, sorted(contents.profiles), where="Caster Desk")
        return profile

    def default_name(self) -> str | None:
        """The profile to use when none is named: the chosen default, else the last used.

        Names that no longer exist are ignored.
        """
        contents = self._load()
        for candidate in (contents.default, contents.last_used):
            if candidate is not None and candidate in contents.profiles:
                return candidate
        return None

    def chosen_default(self) -> str | None:
        """The default the user chose explicitly (``None`` if unset or gone)."""
        contents = self._load()
        return contents.default if contents.default in contents.profiles else None

    # --- writing --------------------------------------------------------------------------

    def _write(self, contents: _Contents) -> None:
        data = {
            "version": FILE_FORMAT_VERSION,
            "default": contents.default,
            "last_used": contents.last_used,
            "profiles": [
                contents.profiles[n].to_json() for n in sorted(contents.profiles, key=str.casefold)
            ],
        }
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        tmp_name: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
            )
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp_name, 0o600)
            os.replace(tmp_name, self.path)
            tmp_name = None
            self.problem = None  # the file on disk is whole again (any damaged copy is kept)
        except OSError as exc:
            raise ProfileStoreError(self.path, exc.strerror or str(exc), writing=True) from exc
        finally:
            if tmp_name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)

    def _load_for_write(self) -> _Contents:
        contents = self._load()
        problem = self.problem
        # Never replace a file we could not read unless a copy of it is safe elsewhere.
        if problem is not None and problem.backup is None and self.path.exists():
            raise ProfileStoreError(
                self.path, f"{problem.detail}; no backup could be made", writing=True
            )
        return contents

    def add(self, profile: Profile) -> None:
        """Save a new profile; raises :class:`ProfileExistsError` if the name is taken."""
        contents = self._load_for_write()
        if profile.name in contents.profiles:
            raise ProfileExistsError(profile.name)
        contents.profiles[profile.name] = profile
        self._write(contents)

    def save(self, profile: Profile) -> None:
        """Create or replace the profile with this name."""
        contents = self._load_for_write()
        contents.profiles[profile.name] = profile
        self._write(contents)

    def delete(self, name: str) -> None:
        """Remove a profile (and forget it as default / last used)."""
        contents = self._load_for_write()
        if name not in contents.profiles:
            raise ProfileNotFoundError(name, sorted(contents.profiles), where="Caster Desk")
        del contents.profiles[name]
        if contents.default == name:
            contents.default = None
        if contents.last_used == name:
            contents.last_used = None
        self._write(contents)

    def rename(self, old: str, new: str) -> Profile:
        """Rename a profile, keeping its default / last-used marks. Returns the new profile.

        Only the file changes; moving keychain entries is :class:`~app.credentials.accounts.
        Accounts`'s job.
        """
        contents = self._load_for_write()
        profile = contents.profiles.get(old)
        if profile is None:
            raise ProfileNotFoundError(old, sorted(contents.profiles), where="Caster Desk")
        renamed = Profile(
            name=new,
            access_key_id=profile.access_key_id,
            region_id=profile.region_id,
            endpoint=profile.endpoint,
            signature_version=profile.signature_version,
            uses_sts_token=profile.uses_sts_token,
        )
        if renamed.name != old and renamed.name in contents.profiles:
            raise ProfileExistsError(renamed.name)
        del contents.profiles[old]
        contents.profiles[renamed.name] = renamed
        if contents.default == old:
            contents.default = renamed.name
        if contents.last_used == old:
            contents.last_used = renamed.name
        self._write(contents)
        return renamed

    def set_default(self, name: str | None) -> None:
        """Choose the default profile (``None`` clears the choice)."""
        contents = self._load_for_write()
        if name is not None and name not in contents.profiles:
            raise ProfileNotFoundError(name, sorted(contents.profiles), where="Caster Desk")
        contents.default = name
        self._write(contents)

    def mark_used(self, name: str) -> None:
        """Remember ``name`` as the last used profile (the fallback default)."""
        contents = self._load_for_write()
        if name not in contents.profiles:
            raise ProfileNotFoundError(name, sorted(contents.profiles), where="Caster Desk")
        if contents.last_used != name:
            contents.last_used = name
            self._write(contents)
