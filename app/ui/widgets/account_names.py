"""How an account is named to the user: a Caster Desk profile by its name, the others by source."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.ui.controllers.session_state import SANDBOX_PROFILE


def account_title(profile: str | None) -> str:
    """``Sandbox``, ``Environment``, ``aliyun CLI: NAME``, ``credentials.ini: NAME`` or the name."""
    if profile is None:
        return QCoreApplication.translate("AccountNames", "no account")
    if profile == SANDBOX_PROFILE:
        return QCoreApplication.translate("AccountNames", "Sandbox")
    # Imported here: the toolbar and status bar, painted first, import this module.
    from app.credentials.profiles import ENV_PROFILE  # noqa: PLC0415

    if profile == ENV_PROFILE:
        return QCoreApplication.translate("AccountNames", "Environment")
    for prefix in ("aliyun:", "aliyun-cli:"):
        if profile.startswith(prefix):
            return QCoreApplication.translate("AccountNames", "aliyun CLI: {0}").format(
                profile[len(prefix) :]
            )
    if profile.startswith("ini:"):
        return QCoreApplication.translate("AccountNames", "credentials.ini: {0}").format(
            profile[len("ini:") :]
        )
    return profile
