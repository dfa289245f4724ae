"""Typed credential errors, each carrying plain-language text in English and Chinese.

Every error has ``message`` (what went wrong) and ``fix`` (what the user can do), plus
``message_zh`` / ``fix_zh``. :func:`explain` picks one language for display. No error ever
holds a secret: they are built from names, paths and AccessKey IDs only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Lang = Literal["en", "zh"]
Audience = Literal["gui", "cli"]
_ENV_FIX_EN = (
    "or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET for this command."
)
_ENV_FIX_ZH = "或为本次命令设置 ALIBABA_CLOUD_ACCESS_KEY_ID 和 ALIBABA_CLOUD_ACCESS_KEY_SECRET。"
KeychainState = Literal["missing", "locked", "failed"]
SecretKind = Literal["access_key_secret", "sts_token"]


@dataclass(frozen=True)
class Reason:
    """A short explanation in both languages (why a source was skipped, why a mode is unusable)."""

    en: str
    zh: str

    def text(self, lang: Lang = "en") -> str:
        """The explanation in ``lang``."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Attempt:
    """One credential source that was tried, and why it gave nothing."""

    source: str
    reason: Reason


# Keyring backends by the words a user knows them by (module names stay in the log).
_KEYCHAIN_NAMES = (
    ("SecretService", "Secret Service (GNOME Keyring)", "Secret Service（GNOME 密钥环）"),
    ("libsecret", "libsecret (GNOME Keyring)", "libsecret（GNOME 密钥环）"),
    ("kwallet", "KWallet", "KWallet"),
    ("macOS", "macOS Keychain", "macOS 钥匙串"),
    ("Windows", "Windows Credential Manager", "Windows 凭据管理器"),
)


def keychain_name(backend: str, lang: Lang = "en") -> str:
    """The keychain behind a keyring backend's class name, in plain words; "" if none is real.

    ``keyring.backends.SecretService.Keyring`` → ``Secret Service (GNOME Keyring)``; the
    ``fail``/``null`` backends (no keychain at all) and unknown ones → "".
    """
    for marker, en, zh in _KEYCHAIN_NAMES:
        if f".{marker}." in f".{backend}." or f".{marker}" in backend:
            return zh if lang == "zh" else en
    return ""


_KIND_EN: dict[SecretKind, str] = {
    "access_key_secret": "AccessKey secret",
    "sts_token": "STS token",
}
_KIND_ZH: dict[SecretKind, str] = {
    "access_key_secret": "AccessKey Secret",
    "sts_token": "STS Token",
}


class CredentialsError(Exception):
    """Base of every credential error: plain text for the user, no traceback needed."""

    def __init__(
        self,
        message: str,
        fix: str = "",
        *,
        message_zh: str = "",
        fix_zh: str = "",
        fix_cli: str = "",
        fix_cli_zh: str = "",
    ):
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.message_zh = message_zh or message
        self.fix_zh = fix_zh or fix
        # The command line's own wording where the window's names a dialog or button.
        self.fix_cli = fix_cli or fix
        self.fix_cli_zh = fix_cli_zh or fix_cli or self.fix_zh

    def fix_for(self, lang: Lang = "en", audience: Audience = "gui") -> str:
        """The fix in ``lang``, worded for the window or the command line."""
        if audience == "cli":
            return self.fix_cli_zh if lang == "zh" else self.fix_cli
        return self.fix_zh if lang == "zh" else self.fix

    def __str__(self) -> str:
        return explain(self, "en")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


def explain(error: CredentialsError, lang: Lang = "en") -> str:
    """The error's message followed by its fix, in one language."""
    if lang == "zh":
        parts = (error.message_zh, error.fix_zh)
        return "".join(p for p in parts if p)
    return " ".join(p for p in (error.message, error.fix) if p)


class NoCredentialsError(CredentialsError):
    """Nothing in the chain gave usable credentials; ``tried`` lists each source in order."""

    def __init__(self, tried: list[Attempt]):
        self.tried = tuple(tried)
        lines_en = "; ".join(f"{a.source}: {a.reason.en}" for a in self.tried)
        lines_zh = "；".join(f"{a.source}：{a.reason.zh}" for a in self.tried)
        super().__init__(
            f"No Alibaba Cloud credentials were found. Tried, in order: {lines_en}.",
            "Add a profile in Caster Desk (Accounts), or set ALIBABA_CLOUD_ACCESS_KEY_ID and "
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET, or configure the aliyun CLI.",
            message_zh=f"未找到阿里云访问凭证。依次尝试了：{lines_zh}。",
            fix_zh="请在 Caster Desk 的“账号”中添加配置，或设置环境变量 "
            "ALIBABA_CLOUD_ACCESS_KEY_ID 和 ALIBABA_CLOUD_ACCESS_KEY_SECRET，或配置 aliyun CLI。",
        )


class KeychainUnavailableError(CredentialsError):
    """The system keychain cannot be used right now.

    ``state`` is ``"missing"`` (no usable keychain backend), ``"locked"`` (it exists but is
    locked) or ``"failed"`` (it answered with some other error). In every case the app can
    offer session-only credentials; it never falls back to plain text.
    """

    def __init__(self, state: KeychainState, backend: str, detail: str = ""):
        self.state: KeychainState = state
        self.backend = backend
        self.detail = detail
        session_en = "or use session-only credentials (kept in memory until Caster Desk quits)."
        session_zh = "或使用“仅本次会话”凭证（只保存在内存中，退出 Caster Desk 后清除）。"
        if state == "missing":
            super().__init__(
                "No system keychain was found.",
                "Install/enable one (GNOME Keyring / KWallet / macOS Keychain / Windows "
                f"Credential Manager) {session_en}",
                message_zh="未找到系统钥匙串。",
                fix_zh="请安装或启用一个（GNOME Keyring / KWallet / macOS 钥匙串 / Windows "
                f"凭据管理器），{session_zh}",
                fix_cli="Install/enable one (GNOME Keyring / KWallet / macOS Keychain / Windows "
                f"Credential Manager), {_ENV_FIX_EN}",
                fix_cli_zh="请安装或启用一个（GNOME Keyring / KWallet / macOS 钥匙串 / Windows "
                f"凭据管理器），{_ENV_FIX_ZH}",
            )
        elif state == "locked":
            super().__init__(
                "The system keychain is locked.",
                f"Unlock it (log in to the keychain) and try again, {session_en}",
                message_zh="系统钥匙串已锁定。",
                fix_zh=f"请解锁（登录钥匙串）后重试，{session_zh}",
                fix_cli=f"Unlock it (log in to the keychain) and try again, {_ENV_FIX_EN}",
                fix_cli_zh=f"请解锁（登录钥匙串）后重试，{_ENV_FIX_ZH}",
            )
        else:
            note = f" ({detail})" if detail else ""
            which_en = keychain_name(backend, "en") or "The system keychain"
            which_zh = keychain_name(backend, "zh") or "系统钥匙串"
            super().__init__(
                f"{which_en} reported an error{note}.",
                f"Try again; if it keeps failing, {session_en}",
                message_zh=f"{which_zh}出错{note}。",
                fix_zh=f"请重试；如果仍然失败，{session_zh}",
                fix_cli=f"Try again; if it keeps failing, {_ENV_FIX_EN}",
                fix_cli_zh=f"请重试；如果仍然失败，{_ENV_FIX_ZH}",
            )


class ProfileNotFoundError(CredentialsError):
    """No profile of that name (a Caster Desk profile or an external one)."""

    def __init__(self, name: str, available: list[str] | None = None, *, where: str = ""):
        self.name = name
        self.available = tuple(available or ())
        place_en = f" in {where}" if where else ""
        place_zh = f"（{where}）" if where else ""
        known = ", ".join(self.available)
        super().__init__(
            f"There is no profile named {name!r}{place_en}.",
            f"Known profiles: {known}." if known else "Add one in Accounts first.",
            message_zh=f"找不到名为 {name!r} 的配置{place_zh}。",
            fix_zh=f"已有配置：{known}。" if known else "请先在“账号”中添加配置。",
            fix_cli=f"Known profiles: {known}."
            if known
            else "Add one in the Caster Desk window (Accounts) first, or use "
            "--profile aliyun:NAME for an aliyun CLI profile.",
            fix_cli_zh=f"已有配置：{known}。"
            if known
            else "请先在 Caster Desk 窗口的“账号”中添加配置，或用 --profile aliyun:NAME 使用 aliyun CLI 配置。",
        )


class ProfileExistsError(CredentialsError):
    """A profile with that name already exists."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(
            f"A profile named {name!r} already exists.",
            "Choose another name, or edit the existing profile.",
            message_zh=f"已存在名为 {name!r} 的配置。",
            fix_zh="请换一个名称，或编辑现有配置。",
        )


class InvalidProfileError(CredentialsError):
    """A profile field has a value that cannot be used."""

    def __init__(self, field: str, reason: Reason):
        self.field = field
        super().__init__(
            f"Invalid {field}: {reason.en}",
            "",
            message_zh=f"{field} 无效：{reason.zh}",
        )


class SecretMissingError(CredentialsError):
    """The profile exists but its secret (or STS token) is not in the keychain."""

    def __init__(self, profile: str, kind: SecretKind = "access_key_secret"):
        self.profile = profile
        self.kind: SecretKind = kind
        super().__init__(
            f"The {_KIND_EN[kind]} of profile {profile!r} is not in the system keychain.",
            "Open Accounts and use “Replace secret” to enter it again.",
            message_zh=f"配置 {profile!r} 的 {_KIND_ZH[kind]} 不在系统钥匙串中。",
            fix_zh="请打开“账号”，使用“更换密钥”重新输入。",
            fix_cli="Enter it again in the Caster Desk window (Accounts → Replace secret), "
            + _ENV_FIX_EN,
            fix_cli_zh="请在 Caster Desk 窗口的“账号”中使用“更换密钥”重新输入，" + _ENV_FIX_ZH,
        )


class ProfileStoreError(CredentialsError):
    """The saved-profiles file could not be read or written."""

    def __init__(
        self, path: Path, detail: str, *, backup: Path | None = None, writing: bool = False
    ):
        self.path = path
        self.detail = detail
        self.backup = backup
        if writing:
            super().__init__(
                f"Caster Desk could not save your profiles to {path} ({detail}).",
                "Check that the folder exists and is writable, then try again.",
                message_zh=f"Caster Desk 无法把配置保存到 {path}（{detail}）。",
                fix_zh="请确认该文件夹存在且可写，然后重试。",
            )
            return
        kept_en = f" A copy of the file was kept at {backup}." if backup else ""
        kept_zh = f"原文件已备份到 {backup}。" if backup else ""
        super().__init__(
            f"Your saved profiles file {path} could not be read ({detail}).{kept_en}",
            "Profiles that could not be read are not shown; add them again in Accounts "
            "(secrets stay in the system keychain).",
            message_zh=f"无法读取已保存的配置文件 {path}（{detail}）。{kept_zh}",
            fix_zh="无法读取的配置不会显示；请在“账号”中重新添加（密钥仍保存在系统钥匙串中）。",
        )


class ExternalProfileError(CredentialsError):
    """An external profile (aliyun CLI, credentials.ini, environment) cannot be used."""

    def __init__(self, source: str, reason: Reason):
        self.source = source
        self.reason = reason
        super().__init__(
            f"{source} cannot be used: {reason.en}",
            "Use an AccessKey (AK) or StsToken profile, or add a Caster Desk profile in Accounts.",
            message_zh=f"{source} 无法使用：{reason.zh}",
            fix_zh="请使用 AccessKey（AK）或 StsToken 模式的配置，或在“账号”中添加 Caster Desk 配置。",
        )
