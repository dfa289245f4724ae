"""The UI language: English or Simplified Chinese, chosen by the OS locale or the View menu.

:func:`apply_language` installs Caster Desk's own ``casterdesk_zh_CN.qm`` plus Qt's
``qtbase_zh_CN.qm`` (so standard buttons and dialogs speak Chinese too) on the running
application, and sets the default :class:`QLocale` so dates and numbers follow the language.
Installing or removing a translator makes Qt post ``QEvent.LanguageChange`` to every window
(delivered before :func:`apply_language` returns); each UI class re-sets its texts in
``retranslate()``, so the switch needs no restart.

The rest of the UI asks :func:`ui_language` which explanation text to show (``"en"`` / ``"zh"``)
and :func:`ui_locale` how to format dates and durations.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger("casterdesk.ui.i18n")

SYSTEM = "system"
ENGLISH = "en"
CHINESE = "zh_CN"
CHOICES = (SYSTEM, ENGLISH, CHINESE)
CATALOG = "casterdesk"  # casterdesk_<lang>.ts / .qm
QT_CATALOGS = ("qtbase",)  # Qt's own strings: standard buttons, file and message dialogs

ExplanationLanguage = Literal["en", "zh"]


class _State:
    """What is installed now (one application, one language at a time)."""

    def __init__(self) -> None:
        self.translators: list[QTranslator] = []
        self.language = ENGLISH
        self.choice = SYSTEM


_state = _State()


def translations_dir() -> Path:
    """``resources/translations`` beside the ``app`` package, or inside a frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources" / "translations"
    return Path(__file__).resolve().parents[2] / "resources" / "translations"


def normalize_choice(choice: str | None) -> str:
    """A stored or typed choice as one of :data:`CHOICES` (anything unknown: the system's)."""
    if choice in CHOICES:
        return choice
    if choice and choice.replace("-", "_").lower().startswith("zh"):
        return CHINESE
    if choice and choice.lower().startswith("en"):
        return ENGLISH
    return SYSTEM


def language_for_locale(locale: QLocale) -> str:
    """Chinese for any Chinese locale (the Simplified catalogue is all we have), else English."""
    return CHINESE if locale.language() == QLocale.Language.Chinese else ENGLISH


def resolve(choice: str | None, system: QLocale | None = None) -> str:
    """The language a choice means now: ``"en"`` or ``"zh_CN"``."""
    choice = normalize_choice(choice)
    if choice == SYSTEM:
        return language_for_locale(system if system is not None else QLocale.system())
    return choice


def locale_for(language: str, system: QLocale | None = None) -> QLocale:
    """The QLocale used for dates and numbers in ``language``.

    The OS locale when it speaks that language (a British user keeps day-month dates),
    otherwise the language's main locale.
    """
    system = system if system is not None else QLocale.system()
    if language == CHINESE:
        if system.language() == QLocale.Language.Chinese:
            return system
        return QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    if system.language() == QLocale.Language.English:
        return system
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def _load(translator: QTranslator, name: str, folder: Path | str) -> bool:
    return translator.load(f"{name}_{CHINESE}", str(folder))


def apply_language(choice: str | None, *, system: QLocale | None = None) -> str:
    """Switch the running application's language; returns ``"en"`` or ``"zh_CN"``.

    Safe to call again with the same choice (nothing changes, no event storm). A missing
    ``.qm`` is logged and leaves that catalogue untranslated rather than failing.
    """
    app = QCoreApplication.instance()
    _state.choice = normalize_choice(choice)
    language = resolve(_state.choice, system)
    QLocale.setDefault(locale_for(language, system))
    installed = _state.translators
    if app is None:
        _state.language = language
        return language
    if language == _state.language and (language == ENGLISH or installed):
        return language
    for translator in installed:
        QCoreApplication.removeTranslator(translator)
        translator.deleteLater()
    installed.clear()
    if language == CHINESE:
        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        catalogs = [(name, qt_folder) for name in QT_CATALOGS]
        catalogs.append((CATALOG, str(translations_dir())))
        for name, folder in catalogs:
            translator = QTranslator(app)
            if _load(translator, name, folder):
                QCoreApplication.installTranslator(translator)
                installed.append(translator)
            else:
                log.warning("translation %s_%s not found in %s", name, CHINESE, folder)
                translator.deleteLater()
    _state.language = language
    # Installing and removing translators made Qt post LanguageChange to every window; deliver
    # them now, so that the whole UI speaks the new language when this returns.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    log.info("UI language: %s (choice: %s)", language, _state.choice)
    return language


def current_language() -> str:
    """``"en"`` or ``"zh_CN"``: what the UI speaks now."""
    return _state.language


def current_choice() -> str:
    """What the user chose: ``"system"``, ``"en"`` or ``"zh_CN"``."""
    return _state.choice


def ui_language() -> ExplanationLanguage:
    """The language code the error explanations use (``"en"`` / ``"zh"``)."""
    return "zh" if _state.language == CHINESE else "en"


def ui_locale() -> QLocale:
    """The locale dates, numbers and durations are formatted with."""
    return QLocale()
