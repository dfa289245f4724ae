"""The Accounts dialog: add, edit, delete and import profiles; test a connection.

The AccessKey secret is typed once into a password field, handed to the keychain on a worker,
and the field is emptied: it is never shown again ("Replace secret…" types a new one). Every
keychain or network touch runs on the window's worker pool. When the keychain is missing or
locked the dialog says which, in plain words, and offers to keep secrets for this session only.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QListWidgetItem,
    QMessageBox,
    QWidget,
)

from app.api.signing import SigningKey
from app.credentials import (
    Accounts,
    CredentialsError,
    ExternalProfile,
    ExternalScan,
    KeychainStatus,
    KeychainUnavailableError,
    Profile,
    ProfileInfo,
    credentials_for_profile,
)
from app.credentials.connect import ENDPOINT_ENV, ClientOptions, build_client
from app.credentials.errors import keychain_name
from app.ui import theme
from app.ui.concurrency import WorkerPool
from app.ui.controllers.session_state import REGIONS
from app.ui.errors import describe_error
from app.ui.i18n import ui_language
from app.ui.theme import message_color
from app.ui.widgets.accounts_layout import AccountsLayout

log = logging.getLogger("casterdesk.ui.accounts")

ConfirmFn = Callable[[QWidget, str, str], bool]
TEST_TIMEOUT_S = 10.0


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    """The default confirmation: a modal question box."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


@dataclass(frozen=True)
class _Snapshot:
    """What the worker read: profiles with secret presence, and the keychain's state."""

    profiles: list[ProfileInfo]
    keychain: KeychainStatus
    problem: str | None


class AccountsDialog(AccountsLayout):
    """Manage Caster Desk profiles. Emits :attr:`profiles_changed` after any saved change."""

    profiles_changed = Signal()
    busy_changed = Signal(bool)

    def __init__(
        self,
        pool: WorkerPool,
        accounts: Accounts | None = None,
        parent: QWidget | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        home: Path | None = None,
        confirm: ConfirmFn = ask_yes_no,
        test_timeout: float = TEST_TIMEOUT_S,
    ) -> None:
        super().__init__(parent)
        self._pool = pool
        self.accounts = accounts if accounts is not None else Accounts()
        self._environ = environ
        self._show_after_reload: str | None = None
        self._home = home
        self._confirm = confirm
        self._test_timeout = test_timeout
        self._busy = 0
        self._profiles: dict[str, ProfileInfo] = {}
        self._external: list[ExternalProfile] = []
        self._editing: str | None = None  # name of the profile in the form; None = new
        self._replacing_secret = False
        self.keychain_state: str | None = None
        self._snapshot: _Snapshot | None = None
        self._scan: ExternalScan | None = None
        self._keychain_error: KeychainUnavailableError | None = None

        self.profile_list.currentItemChanged.connect(self._on_profile_selected)
        self.new_button.clicked.connect(self.new_profile)
        self.delete_button.clicked.connect(self.delete_selected)
        self.replace_secret_button.clicked.connect(self.begin_replace_secret)
        self.save_button.clicked.connect(self.save)
        self.test_button.clicked.connect(self.test_connection)
        self.import_button.clicked.connect(self.import_selected)
        self.rescan_button.clicked.connect(self.scan_external)

        self.retranslate()
        theme.controller().changed.connect(self._on_theme_changed)
        self.new_profile()
        self.reload()
        self.scan_external()

    def retranslate(self) -> None:
        """Set the texts in the UI's language (including what the last scans found)."""
        self.setWindowTitle(self.tr("Accounts"))
        self.session_only_check.setText(
            self.tr("Keep new secrets for this session only (in memory, forgotten on quit)")
        )
        self.profile_list.setAccessibleName(self.tr("Profiles"))
        self.new_button.setText(self.tr("New profile"))
        self.delete_button.setText(self.tr("Delete…"))
        self.secret_edit.setAccessibleName(self.tr("AccessKey secret"))
        self.replace_secret_button.setText(self.tr("Replace secret…"))
        self.signature_combo.setItemText(0, self.tr("V3 (ACS3-HMAC-SHA256, recommended)"))
        self.signature_combo.setItemText(1, self.tr("V1 (HMAC-SHA1)"))
        self.default_check.setText(self.tr("Use this profile by default"))
        self.name_caption.setText(self.tr("Name"))
        self.key_id_caption.setText(self.tr("AccessKey ID"))
        self.secret_caption.setText(self.tr("AccessKey secret"))
        self.region_caption.setText(self.tr("Region"))
        self.endpoint_caption.setText(self.tr("Endpoint"))
        self.signature_caption.setText(self.tr("Signature"))
        self.save_button.setText(self.tr("Save"))
        self.test_button.setText(self.tr("Test connection"))
        self.import_button.setText(self.tr("Import"))
        self.rescan_button.setText(self.tr("Look again"))
        self.import_box.setTitle(
            self.tr("Import from the environment or the aliyun CLI configuration")
        )
        self._show_keychain_state()
        if self._snapshot is not None:
            self._fill_profile_list(self._snapshot)
        self._show_secret_placeholder()
        if self._scan is not None:
            self._apply_scan(self._scan)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- helpers ---------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy > 0

    def _run(
        self,
        fn: Callable[[], object],
        *,
        name: str,
        on_result: Callable[[object], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        if self._pool.closing:  # the window is closing: start nothing new
            return
        self._busy += 1
        self.busy_changed.emit(True)

        def done() -> None:
            self._busy -= 1
            self.busy_changed.emit(self.busy)

        def ok(result: object) -> None:
            done()
            on_result(result)

        def failed(error: BaseException) -> None:
            done()
            (on_error or self._show_error)(error)

        self._pool.run(fn, name=name, on_result=ok, on_error=failed, owner=self)

    def _show_error(self, error: BaseException) -> None:
        if isinstance(error, KeychainUnavailableError):
            self._show_keychain_problem(error)
        info = describe_error(error)
        text = f"{info.summary} {info.fix}".strip()
        if info.request_id:
            text += "\n" + self.tr("RequestId: {0}").format(info.request_id)
        self._set_result(text, ok=False)

    def _set_result(self, text: str, *, ok: bool) -> None:
        self.result_label.setProperty("problem", not ok)
        self.result_label.setStyleSheet(f"color: {message_color(ok).name()};")
        self.result_label.setText(text)

    def _show_keychain_problem(self, error: KeychainUnavailableError) -> None:
        self.keychain_state = error.state
        self._keychain_error = error
        self._show_keychain_state()
        self.session_only_check.setChecked(True)

    def _on_theme_changed(self, _theme: str) -> None:
        self._show_keychain_state()
        color = message_color(not self.result_label.property("problem")).name()
        self.result_label.setStyleSheet(f"color: {color};")

    def _show_keychain_state(self) -> None:
        """The keychain line: checking, available (with the backend), or the problem."""
        error = self._keychain_error
        if error is not None:
            info = describe_error(error)
            self.keychain_label.setText(f"{info.summary}\n{info.fix}")
            self.keychain_label.setStyleSheet(f"color: {message_color(False).name()};")
            return
        self.keychain_label.setStyleSheet("")
        if self._snapshot is None:
            self.keychain_label.setText(self.tr("Checking the system keychain…"))
        else:
            which = keychain_name(self._snapshot.keychain.backend, ui_language())
            self.keychain_label.setText(
                self.tr("Secrets are kept in the system keychain ({0}).").format(which)
                if which
                else self.tr("Secrets are kept in the system keychain.")
            )

    def _form_error(self, error: CredentialsError) -> str:
        info = describe_error(error)
        return f"{info.summary} {info.fix}".strip()

    # --- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read profiles and the keychain state (on a worker)."""
        self._run(self._read_snapshot, name="accounts.list", on_result=self._apply_snapshot)

    def _read_snapshot(self) -> _Snapshot:
        status = self.accounts.keychain_status()
        profiles = self.accounts.list_profiles()
        problem = self.accounts.store.problem
        return _Snapshot(profiles, status, str(problem) if problem else None)

    def _apply_snapshot(self, result: object) -> None:
        assert isinstance(result, _Snapshot)
        self._snapshot = result
        self._profiles = {info.name: info for info in result.profiles}
        status = result.keychain
        error = status.error()
        if error is not None:
            self._show_keychain_problem(error)
        else:
            self.keychain_state = "available"
            self._keychain_error = None
            self._show_keychain_state()
        if result.problem:
            self._set_result(result.problem, ok=False)
        self._fill_profile_list(result)
        shown, self._show_after_reload = self._show_after_reload, None
        if shown is not None and shown in self._profiles:
            message = self.result_label.text()
            self.edit_profile(shown)
            self._set_result(message, ok=True)  # keep "Saved…" under the filled form

    def _fill_profile_list(self, result: _Snapshot) -> None:
        selected = self._editing
        self.profile_list.blockSignals(True)
        self.profile_list.clear()
        for info in result.profiles:
            item = QListWidgetItem(self._list_label(info))
            item.setData(Qt.ItemDataRole.UserRole, info.name)
            self.profile_list.addItem(item)
            if info.name == selected:
                self.profile_list.setCurrentItem(item)
        self.profile_list.blockSignals(False)
        self.delete_button.setEnabled(self._editing is not None)

    def _list_label(self, info: ProfileInfo) -> str:
        where = {
            "keychain": self.tr("secret in keychain"),
            "session": self.tr("secret for this session only"),
            "absent": self.tr("secret missing"),
            "unknown": self.tr("keychain unavailable"),
        }[info.secret]
        default = self.tr(" (default)") if info.is_default else ""
        return f"{info.name}{default} — {where}"

    def profile_names(self) -> list[str]:
        return list(self._profiles)

    # --- the form ------------------------------------------------------------------------------

    def new_profile(self) -> None:
        """Empty form for a new profile; the secret field is open for typing."""
        self._editing = None
        self._replacing_secret = False
        self.profile_list.clearSelection()
        self.name_edit.setText("")
        self.name_edit.setReadOnly(False)
        self.key_id_edit.setText("")
        self.endpoint_edit.setText("")
        self.region_combo.setCurrentText(REGIONS[0])
        self.signature_combo.setCurrentIndex(0)
        self.default_check.setChecked(not self._profiles)
        self.secret_edit.clear()
        self.secret_edit.setEnabled(True)
        self._show_secret_placeholder()
        self.replace_secret_button.setVisible(False)
        self.delete_button.setEnabled(False)
        self.name_edit.setFocus()

    def _on_profile_selected(self, item: QListWidgetItem | None, _old: object) -> None:
        if item is None:
            return
        self.edit_profile(str(item.data(Qt.ItemDataRole.UserRole)))

    def edit_profile(self, name: str) -> None:
        """Show an existing profile. Its secret is not shown: only whether it is stored."""
        info = self._profiles.get(name)
        if info is None:
            return
        profile = info.profile
        self._editing = name
        self._replacing_secret = False
        self.name_edit.setText(profile.name)
        self.key_id_edit.setText(profile.access_key_id)
        self.region_combo.setCurrentText(profile.region_id)
        self.endpoint_edit.setText(profile.endpoint or "")
        self.signature_combo.setCurrentIndex(
            max(0, self.signature_combo.findData(profile.signature_version))
        )
        self.default_check.setChecked(info.is_default)
        self.secret_edit.clear()
        self.secret_edit.setEnabled(False)
        self._show_secret_placeholder()
        self.replace_secret_button.setVisible(True)
        self.delete_button.setEnabled(True)
        self._set_result("", ok=True)

    def _show_secret_placeholder(self) -> None:
        """What the (empty) secret field says: type one, or where the stored one is."""
        info = self._profiles.get(self._editing) if self._editing is not None else None
        if self._replacing_secret:
            text = self.tr("Paste the new AccessKey secret")
        elif info is None:
            text = self.tr("Paste the AccessKey secret (shown only once)")
        else:
            text = {
                "keychain": self.tr("Stored in the system keychain (never shown)"),
                "session": self.tr("Kept for this session only (never shown)"),
                "absent": self.tr("Not stored: use Replace secret…"),
                "unknown": self.tr("Unknown: the keychain cannot be read now"),
            }[info.secret]
        self.secret_edit.setPlaceholderText(text)

    def begin_replace_secret(self) -> None:
        """Open the secret field for a new value; Save stores it in place of the old one."""
        self._replacing_secret = True
        self.secret_edit.setEnabled(True)
        self.secret_edit.clear()
        self._show_secret_placeholder()
        self.secret_edit.setFocus()

    def _form_profile(self, *, for_test: bool = False) -> Profile:
        name = self.name_edit.text()
        return Profile(
            # A test needs no name yet; any valid one stands in for it.
            name=name if name.strip() or not for_test else "connection-test",
            access_key_id=self.key_id_edit.text(),
            region_id=self.region_combo.currentText(),
            endpoint=self.endpoint_edit.text() or None,
            signature_version=self.signature_combo.currentData(),
        )

    # --- saving ----------------------------------------------------------------------------------

    def save(self) -> None:
        """Validate the form, then write the profile (and the secret) on a worker."""
        try:
            profile = self._form_profile()
        except CredentialsError as error:
            self._set_result(self._form_error(error), ok=False)
            return
        secret = self.secret_edit.text()
        session_only = self.session_only_check.isChecked()
        make_default = self.default_check.isChecked()
        if (self._editing is None or self._replacing_secret) and not secret.strip():
            self._set_result(self.tr("Enter the AccessKey secret."), ok=False)
            return
        original = self._editing
        replacing = self._replacing_secret

        def write() -> str:
            if original is None:
                self.accounts.add_profile(profile, secret, session_only=session_only)
            else:
                current = original
                if profile.name != original:
                    current = self.accounts.rename_profile(original, profile.name).name
                self.accounts.update_profile(profile)
                if replacing:
                    self.accounts.replace_secret(current, secret, session_only=session_only)
            if make_default:
                self.accounts.set_default(profile.name)
            return profile.name

        self._run(write, name="accounts.save", on_result=self._saved)

    def _saved(self, name: object) -> None:
        # The secret has left the form for good.
        self.secret_edit.clear()
        self._editing = str(name)
        self._replacing_secret = False
        where = (
            self.tr("for this session only")
            if self.session_only_check.isChecked()
            else self.tr("in the system keychain")
        )
        self._set_result(self.tr("Saved. The secret is kept {0}.").format(where), ok=True)
        self.secret_edit.setEnabled(False)
        self.replace_secret_button.setVisible(True)
        self._show_after_reload = str(name)  # the form shows what was saved or imported
        self.reload()
        self.profiles_changed.emit()

    # --- deleting --------------------------------------------------------------------------------

    def delete_selected(self) -> None:
        name = self._editing
        if name is None:
            return
        question = self.tr(
            "Delete the profile “{0}”? Its secret is removed from the keychain too."
        ).format(name)
        if not self._confirm(self, self.tr("Delete profile"), question):
            return
        self._run(
            lambda: self.accounts.delete_profile(name),
            name="accounts.delete",
            on_result=lambda _r: self._deleted(),
            on_error=lambda error: self._delete_failed(name, error),
        )

    def _delete_failed(self, name: str, error: BaseException) -> None:
        self._show_error(error)
        if not isinstance(error, KeychainUnavailableError):
            return
        question = self.tr(
            "{0}\nDelete the profile anyway? Its keychain entry would stay behind until the "
            "keychain is available."
        ).format(describe_error(error).summary)
        if self._confirm(self, self.tr("Delete profile"), question):
            self._run(
                lambda: self.accounts.delete_profile(name, even_if_keychain_unavailable=True),
                name="accounts.delete",
                on_result=lambda _r: self._deleted(),
            )

    def _deleted(self) -> None:
        self._set_result(self.tr("Profile deleted."), ok=True)
        self.new_profile()
        self.reload()
        self.profiles_changed.emit()

    # --- testing ----------------------------------------------------------------------------------

    def test_connection(self) -> None:
        """Fetch page 1 of DescribeCasters with the form's account, on a worker.

        Works before the profile has a name: testing comes before naming.
        """
        try:
            profile = self._form_profile(for_test=True)
        except CredentialsError as error:
            self._set_result(self._form_error(error), ok=False)
            return
        typed = self.secret_edit.text().strip()
        stored_name = self._editing if not typed else None
        if stored_name is None and not typed:
            self._set_result(self.tr("Enter the AccessKey secret to test."), ok=False)
            return
        timeout = self._test_timeout

        def probe() -> str:
            if stored_name is not None:
                saved = self.accounts.store.get(stored_name)
                key = credentials_for_profile(saved, self.accounts.keychain).key
            else:
                key = SigningKey(profile.access_key_id, typed)
            with build_client(
                key,
                region_id=profile.region_id,
                endpoint=profile.endpoint,
                signature_version=profile.signature_version,
                options=ClientOptions(timeout=timeout),
            ) as client:
                page = client.describe_casters(page_num=1, page_size=10)
            return self.tr("Connected. {0} production studio(s) in {1}. RequestId: {2}").format(
                page.total, profile.region_id, page.request_id or "—"
            )

        self._set_result(self.tr("Testing the connection…"), ok=True)
        self._run(
            probe, name="accounts.test", on_result=lambda text: self._set_result(str(text), ok=True)
        )

    # --- importing --------------------------------------------------------------------------------

    def scan_external(self) -> None:
        """List importable profiles (environment, aliyun CLI, credentials.ini). No secrets."""
        self._run(
            lambda: self.accounts.importable(environ=self._environ, home=self._home),
            name="accounts.scan",
            on_result=self._apply_scan,
        )

    def _apply_scan(self, result: object) -> None:
        assert isinstance(result, ExternalScan)
        # The same scan again (a language switch): keep the chosen entry.
        chosen = self.import_combo.currentIndex() if result is self._scan else -1
        self._scan = result
        self._external = list(result.profiles)
        self.import_combo.clear()
        for external in self._external:
            key = external.access_key_id or "—"
            shown = f"{key[:4]}…{key[-4:]}" if len(key) > 10 else key
            label = f"{self._source_label(external)}: {external.name} ({shown}"
            label += f", {external.region_id})" if external.region_id else ")"
            if external.problem is not None:
                label += " — " + external.problem.text(ui_language())
            self.import_combo.addItem(label, external.ref)
        notes = [f"{p.source}: {p.reason.text(ui_language())}" for p in result.problems]
        if not self._external:
            notes.insert(0, self.tr("Nothing found in the environment or the aliyun CLI config."))
        self.import_note.setText("\n".join(notes))
        self.import_button.setEnabled(any(e.supported for e in self._external))
        if 0 <= chosen < self.import_combo.count():
            self.import_combo.setCurrentIndex(chosen)

    def _source_label(self, external: ExternalProfile) -> str:
        return {
            "env": self.tr("Environment"),
            "aliyun-cli": self.tr("aliyun CLI"),
        }.get(external.source, self.tr("credentials.ini"))

    def external_profiles(self) -> list[ExternalProfile]:
        return list(self._external)

    def import_selected(self) -> None:
        index = self.import_combo.currentIndex()
        if not 0 <= index < len(self._external):
            return
        external = self._external[index]
        if not external.supported:
            assert external.problem is not None
            self._set_result(external.problem.text(ui_language()), ok=False)
            return
        session_only = self.session_only_check.isChecked()
        # The environment rarely names a region: use the one chosen in the form.
        region = external.region_id or self.region_combo.currentText().strip() or REGIONS[0]
        name = external.name if external.name not in self._profiles else f"{external.name}-imported"

        environ = os.environ if self._environ is None else self._environ
        # The environment's endpoint comes along with its keys (the sandbox's, a test server's).
        endpoint = environ.get(ENDPOINT_ENV) or None if external.source == "env" else None

        def do_import() -> str:
            return self.accounts.import_external(
                external,
                name=name,
                region_id=region,
                endpoint=endpoint,
                session_only=session_only,
                environ=self._environ,
                home=self._home,
            ).name

        self._run(do_import, name="accounts.import", on_result=self._saved)
