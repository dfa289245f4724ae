"""The zh_CN catalogue is complete and compiled, and every UI text can be extracted.

``scripts/update_translations.py --check`` logic runs here: lupdate over app/ui into a temp
copy of the .ts (any text in the code but not in the .ts, or untranslated, fails), and
lrelease into a temp folder (a .qm that differs from the committed one fails).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from app.api.errors import ApiError, RequestTimeoutError
from app.credentials.errors import SecretMissingError
from app.ui import i18n
from app.ui.errors import describe_error
from scripts.update_translations import (
    SOURCES_DIR,
    Message,
    problems,
    qm_path,
    read_ts,
    ts_path,
)

PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\d")
HAN = re.compile(r"[\u4e00-\u9fff]")

# Setter calls whose text a user reads. A literal passed to them (not through tr) is a text
# lupdate never sees.
TEXT_SETTERS = {
    "setText",
    "setToolTip",
    "setStatusTip",
    "setPlaceholderText",
    "setWindowTitle",
    "setTitle",
    "setAccessibleName",
    "setInformativeText",
    "addItem",
    "setItemText",
    "showMessage",
    "addMenu",
    "addAction",
}
TEXT_WIDGETS = {"QLabel", "QPushButton", "QCheckBox", "QToolButton", "QAction", "QGroupBox"}
# Literals that are deliberately not translated: names of languages (each in itself),
# the PVW/PGM tally titles, separators and sample key prefixes.
NOT_TRANSLATED = {"English", "中文（简体）", "PVW", "PGM", "—", "LTAI…", "Caster Desk"}


def test_every_ui_text_has_a_finished_chinese_translation_and_the_qm_is_fresh():
    found = problems(i18n.CHINESE)
    assert found == [], "\n".join(found)


def test_the_catalogue_is_not_empty_and_covers_every_window_part():
    messages = read_ts(ts_path(i18n.CHINESE))
    contexts = {m.context for m in messages}
    assert len(messages) > 200
    assert {
        "MainWindow",
        "CasterListView",
        "CasterTableModel",
        "ErrorBanner",
        "AccountsDialog",
        "WelcomeView",
        "ResultPanels",
        "PreviewPane",
        "StateOverlay",
        "OutputsTable",
        "PreviewPlayer",
        "Errors",
    } <= contexts
    assert qm_path(i18n.CHINESE).stat().st_size > 5_000


@pytest.mark.parametrize(
    "message",
    [m for m in read_ts(ts_path(i18n.CHINESE)) if m.translation != m.source],
    ids=lambda m: f"{m.context}:{m.source[:30]}",
)
def test_translations_keep_placeholders_and_shortcuts(message: Message):
    assert sorted(PLACEHOLDER.findall(message.translation)) == sorted(
        PLACEHOLDER.findall(message.source)
    ), "a {placeholder} was lost or changed"
    source_keys = re.findall(r"&(\w)", message.source)
    translated_keys = re.findall(r"&(\w)", message.translation)
    assert [k.upper() for k in translated_keys] == [k.upper() for k in source_keys]
    assert message.source.count("\n") == message.translation.count("\n")
    # Product terms (AccessKey Secret) may stay in Latin letters; everything else is Chinese.
    same_term = _plain(message.translation) == _plain(message.source)
    assert HAN.search(message.translation) or same_term, "not Chinese"


def _plain(text: str) -> str:
    """Without the full-width punctuation Chinese uses for ( ) :, spaces and case."""
    table = str.maketrans({"（": "(", "）": ")", "：": ":", " ": None})
    return text.translate(table).casefold()


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            yield node, name


def _literal_text(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        # Joining texts that were translated already is fine; English words in it are not.
        return "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    return None


@pytest.mark.parametrize(
    "path", sorted(SOURCES_DIR.rglob("*.py")), ids=lambda p: str(p.relative_to(SOURCES_DIR))
)
def test_ui_texts_go_through_tr_in_an_extractable_form(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = []
    for call, name in _calls(tree):
        if name == "tr":
            # tr(f"…") or tr(variable) cannot be extracted by lupdate.
            if not call.args or not isinstance(call.args[0], ast.Constant):
                bad.append(f"line {call.lineno}: tr() of a non-literal")
        elif name == "translate" and len(call.args) >= 2:
            text = call.args[1]
            if isinstance(text, ast.JoinedStr | ast.BinOp):
                bad.append(f"line {call.lineno}: translate() of an f-string or concatenation")
        elif name in TEXT_SETTERS or name in TEXT_WIDGETS:
            for arg in call.args[:1]:
                text = _literal_text(arg)
                if text and text not in NOT_TRANSLATED and re.search(r"[A-Za-z]{2}", text):
                    bad.append(f"line {call.lineno}: {name}({text!r}) is not translated")
    assert bad == []


@pytest.mark.parametrize(
    ("system", "choice", "expected"),
    [
        ("zh_CN", "system", "zh_CN"),
        ("zh_TW", "system", "zh_CN"),  # the Simplified catalogue is the closest we have
        ("en_GB", "system", "en"),
        ("de_DE", "system", "en"),
        ("de_DE", "zh_CN", "zh_CN"),
        ("zh_CN", "en", "en"),
        ("zh_CN", "nonsense", "zh_CN"),  # an unknown stored value: follow the system
    ],
)
def test_language_follows_the_system_unless_chosen(system: str, choice: str, expected: str):
    assert i18n.resolve(choice, QLocale(system)) == expected


def test_locale_for_dates_keeps_the_users_regional_format():
    assert i18n.locale_for("en", QLocale("en_GB")).name() == "en_GB"
    assert i18n.locale_for("en", QLocale("zh_CN")).name() == "en_US"
    assert i18n.locale_for("zh_CN", QLocale("de_DE")).name() == "zh_CN"


def test_error_explanations_follow_the_ui_language(qapp):
    api = ApiError("InvalidCaster.NotFound", "not found", http_status=404, request_id="R-1")
    timeout = RequestTimeoutError("read timed out")
    missing = SecretMissingError("work")
    assert describe_error(api).summary == api.explanation("en").summary  # English by default
    i18n.apply_language(i18n.CHINESE)
    assert i18n.ui_language() == "zh"
    assert describe_error(api).summary == api.explanation("zh").summary
    assert describe_error(api).request_id == "R-1"
    assert describe_error(timeout).fix == timeout.explanation("zh").fix
    assert describe_error(missing).summary == missing.message_zh
    assert describe_error(missing).fix == missing.fix_zh
    unexpected = describe_error(RuntimeError("boom"))
    assert unexpected.summary == "发生了意外错误。"
    assert describe_error(RuntimeError("boom"), "en").summary == "Something unexpected went wrong."
