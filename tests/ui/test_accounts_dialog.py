"""The Accounts dialog: secrets go to the keychain only, plain words for a locked or missing
keychain, Test connection against the sandbox, import from the environment / aliyun CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QObject

from app.credentials import Accounts, ProfileStore, process_session_store
from app.sandbox import Sandbox
from app.ui.concurrency import WorkerPool
from app.ui.widgets.accounts_dialog import AccountsDialog
from tests.memory_keyring import MemoryKeyring

SECRET = "Zq8-very-secret-VALUE-7731"
SERVICE = "casterdesk"


@pytest.fixture
def pool(qtbot: Any) -> Iterator[WorkerPool]:
    owner = QObject()
    workers = WorkerPool(owner)
    yield workers
    workers.shutdown()
    qtbot.waitUntil(workers.is_idle, timeout=10_000)
    process_session_store().clear()  # session-only secrets are process-wide


@pytest.fixture
def store(tmp_path: Path) -> ProfileStore:
    return ProfileStore(tmp_path / "config" / "profiles.json")


@pytest.fixture
def make_dialog(qtbot: Any, pool: WorkerPool, store: ProfileStore, isolated_home: Path):
    def make(**kwargs: Any) -> AccountsDialog:
        kwargs.setdefault("environ", {})
        kwargs.setdefault("home", isolated_home)
        kwargs.setdefault("confirm", lambda *_args: True)
        dialog = AccountsDialog(pool, Accounts(store), **kwargs)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
        return dialog

    return make


def settle(qtbot: Any, dialog: AccountsDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)


def fill(dialog: AccountsDialog, name: str, key_id: str, secret: str, **extra: str) -> None:
    dialog.new_profile()
    dialog.name_edit.setText(name)
    dialog.key_id_edit.setText(key_id)
    dialog.secret_edit.setText(secret)
    if "region" in extra:
        dialog.region_combo.setCurrentText(extra["region"])
    if "endpoint" in extra:
        dialog.endpoint_edit.setText(extra["endpoint"])


def files_containing(root: Path, needle: str) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and needle.encode() in path.read_bytes():
            found.append(path)
    return found


def test_secret_goes_to_the_keychain_only_and_is_never_shown_again(
    qtbot: Any,
    make_dialog,
    memory_keyring: MemoryKeyring,
    store: ProfileStore,
    tmp_path: Path,
    isolated_home: Path,
):
    dialog = make_dialog()
    assert dialog.keychain_state == "available"
    assert "system keychain" in dialog.keychain_label.text()
    fill(dialog, "prod", "LTAI5tProdKeyId0001", SECRET)
    dialog.save_button.click()
    settle(qtbot, dialog)

    assert "Saved" in dialog.result_label.text()
    assert memory_keyring.store[(SERVICE, "prod:access_key_secret")] == SECRET
    # The form forgot it, and shows only where it is.
    assert dialog.secret_edit.text() == ""
    assert not dialog.secret_edit.isEnabled()
    assert dialog.profile_names() == ["prod"]
    assert "secret in keychain" in dialog.profile_list.item(0).text()
    dialog.edit_profile("prod")
    assert dialog.secret_edit.text() == ""
    assert "keychain" in dialog.secret_edit.placeholderText()
    # Never in any file: not the profiles file, not anything under HOME or the test folder.
    assert store.path.exists()
    assert files_containing(tmp_path, SECRET) == []
    assert files_containing(isolated_home, SECRET) == []
    assert all(
        SECRET not in dialog.profile_list.item(i).text() for i in range(dialog.profile_list.count())
    )


def test_replace_secret(qtbot: Any, make_dialog, memory_keyring: MemoryKeyring):
    dialog = make_dialog()
    fill(dialog, "prod", "LTAI5tProdKeyId0001", SECRET)
    dialog.save_button.click()
    settle(qtbot, dialog)
    dialog.edit_profile("prod")
    assert dialog.replace_secret_button.isVisible()
    dialog.replace_secret_button.click()
    assert dialog.secret_edit.isEnabled() and dialog.secret_edit.text() == ""
    dialog.secret_edit.setText("a-brand-new-secret-42")
    dialog.save_button.click()
    settle(qtbot, dialog)
    assert memory_keyring.store[(SERVICE, "prod:access_key_secret")] == "a-brand-new-secret-42"
    assert dialog.secret_edit.text() == ""


def test_locked_keychain_is_said_plainly_and_session_only_is_offered(
    qtbot: Any, make_dialog, memory_keyring: MemoryKeyring, store: ProfileStore, tmp_path: Path
):
    memory_keyring.locked = True
    dialog = make_dialog()
    assert dialog.keychain_state == "locked"
    text = dialog.keychain_label.text()
    assert "locked" in text.lower()
    assert "Unlock it" in text and "session-only" in text
    assert dialog.session_only_check.isChecked()

    fill(dialog, "travel", "LTAI5tTravelKey0002", SECRET)
    dialog.save_button.click()
    settle(qtbot, dialog)
    assert "for this session only" in dialog.result_label.text()
    assert memory_keyring.store == {}
    assert process_session_store().get("travel", "access_key_secret") == SECRET
    assert "session only" in dialog.profile_list.item(0).text()
    assert files_containing(tmp_path, SECRET) == []


def test_saving_into_a_locked_keychain_without_session_only_explains_and_offers_it(
    qtbot: Any, make_dialog, memory_keyring: MemoryKeyring, store: ProfileStore
):
    dialog = make_dialog()
    memory_keyring.locked = True  # locked after the dialog opened
    dialog.session_only_check.setChecked(False)
    fill(dialog, "prod", "LTAI5tProdKeyId0001", SECRET)
    dialog.save_button.click()
    settle(qtbot, dialog)
    assert "locked" in dialog.result_label.text().lower()
    assert dialog.session_only_check.isChecked()  # offered for the next Save
    assert store.names() == []  # nothing half-saved


def test_missing_keychain_uses_different_words(qtbot: Any, make_dialog):
    keyring.set_keyring(fail.Keyring())
    dialog = make_dialog()
    assert dialog.keychain_state == "missing"
    text = dialog.keychain_label.text()
    assert "No system keychain was found" in text
    assert "locked" not in text.lower()
    assert dialog.session_only_check.isChecked()


def test_test_connection_fetches_page_one_from_the_sandbox(
    qtbot: Any, make_dialog, sandbox: Sandbox
):
    dialog = make_dialog(test_timeout=5.0)
    before = sandbox.request_count("DescribeCasters")
    fill(
        dialog,
        "sandbox",
        sandbox.access_key_id,
        sandbox.access_key_secret,
        region=sandbox.region_id,
        endpoint=sandbox.endpoint,
    )
    dialog.test_button.click()
    settle(qtbot, dialog)
    assert dialog.result_label.text().startswith("Connected. 8 production studio(s) in cn-shanghai")
    assert "RequestId: " in dialog.result_label.text()
    assert sandbox.request_count("DescribeCasters") == before + 1

    # Saved, then tested from the keychain copy.
    dialog.save_button.click()
    settle(qtbot, dialog)
    dialog.edit_profile("sandbox")
    dialog.test_button.click()
    settle(qtbot, dialog)
    assert dialog.result_label.text().startswith("Connected.")


def test_test_connection_with_a_wrong_secret_explains(qtbot: Any, make_dialog, sandbox: Sandbox):
    dialog = make_dialog(test_timeout=5.0)
    fill(
        dialog,
        "wrong",
        sandbox.access_key_id,
        "not-the-right-secret",
        region=sandbox.region_id,
        endpoint=sandbox.endpoint,
    )
    dialog.test_button.click()
    settle(qtbot, dialog)
    text = dialog.result_label.text()
    assert "RequestId:" in text
    assert "Traceback" not in text
    assert "not-the-right-secret" not in text
    assert "secret" in text.lower()  # the signature-mismatch explanation talks about the secret


def test_invalid_form_is_refused_before_any_work(qtbot: Any, make_dialog, store: ProfileStore):
    dialog = make_dialog()
    fill(dialog, "bad:name", "LTAI5tKey", SECRET)
    dialog.save_button.click()
    assert "profile name" in dialog.result_label.text()
    assert not dialog.busy
    fill(dialog, "ok", "LTAI5tKey", "")
    dialog.save_button.click()
    assert "Enter the AccessKey secret" in dialog.result_label.text()
    assert store.names() == []


def test_import_from_environment_and_aliyun_cli(
    qtbot: Any, make_dialog, memory_keyring: MemoryKeyring, isolated_home: Path, store: ProfileStore
):
    cli = isolated_home / ".aliyun" / "config.json"
    cli.parent.mkdir(parents=True)
    cli.write_text(
        json.dumps(
            {
                "current": "work",
                "profiles": [
                    {
                        "name": "work",
                        "mode": "AK",
                        "access_key_id": "LTAI5tCliWorkKey0003",
                        "access_key_secret": "cli-secret-value-0003",
                        "region_id": "cn-beijing",
                    },
                    {"name": "sso", "mode": "CloudSSO", "region_id": "cn-beijing"},
                ],
            }
        )
    )
    environ = {
        "ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAI5tEnvKeyId00004",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "env-secret-value-0004",
    }
    dialog = make_dialog(environ=environ)
    labels = [dialog.import_combo.itemText(i) for i in range(dialog.import_combo.count())]
    assert len(labels) == 3
    assert labels[0].startswith("Environment: environment")
    assert any(label.startswith("aliyun CLI: work") for label in labels)
    assert any("sso" in label and "—" in label for label in labels)  # not importable, says why
    for label in labels:
        assert "secret-value" not in label

    dialog.import_combo.setCurrentIndex(1)  # aliyun CLI: work
    dialog.import_button.click()
    settle(qtbot, dialog)
    assert store.names() == ["work"]
    assert store.get("work").region_id == "cn-beijing"
    assert memory_keyring.store[(SERVICE, "work:access_key_secret")] == "cli-secret-value-0003"

    dialog.import_combo.setCurrentIndex(0)  # environment
    dialog.import_button.click()
    settle(qtbot, dialog)
    assert sorted(store.names()) == ["environment", "work"], dialog.result_label.text()
    assert memory_keyring.store[(SERVICE, "environment:access_key_secret")] == (
        "env-secret-value-0004"
    )


def test_delete_removes_profile_and_secret(
    qtbot: Any, make_dialog, memory_keyring: MemoryKeyring, store: ProfileStore
):
    asked: list[str] = []

    def confirm(_parent: object, _title: str, text: str) -> bool:
        asked.append(text)
        return True

    dialog = make_dialog(confirm=confirm)
    fill(dialog, "old", "LTAI5tOldKey0005", SECRET)
    dialog.save_button.click()
    settle(qtbot, dialog)
    with qtbot.waitSignal(dialog.profiles_changed, timeout=10_000):
        dialog.delete_button.click()
    settle(qtbot, dialog)
    assert asked and "old" in asked[0]
    assert store.names() == []
    assert memory_keyring.store == {}
    assert dialog.profile_list.count() == 0


def test_an_import_fills_the_form_with_what_was_imported_endpoint_included(
    qtbot: Any, make_dialog, store: ProfileStore
):
    environ = {
        "ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAI5tEnvKeyId00005",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "env-secret-value-0005",
        "CASTERDESK_ENDPOINT": "http://127.0.0.1:8123",
    }
    dialog = make_dialog(environ=environ)
    dialog.import_combo.setCurrentIndex(0)
    dialog.import_button.click()
    settle(qtbot, dialog)
    assert store.get("environment").endpoint == "http://127.0.0.1:8123"
    assert dialog.name_edit.text() == "environment"
    assert dialog.key_id_edit.text() == "LTAI5tEnvKeyId00005"
    assert dialog.endpoint_edit.text() == "http://127.0.0.1:8123"
    assert dialog.result_label.text().startswith("Saved.")


def test_test_connection_works_before_a_name_is_given(
    qtbot: Any, make_dialog, sandbox: Sandbox, store: ProfileStore
):
    dialog = make_dialog(test_timeout=5.0)
    fill(
        dialog,
        "",
        sandbox.access_key_id,
        sandbox.access_key_secret,
        region=sandbox.region_id,
        endpoint=sandbox.endpoint,
    )
    dialog.test_button.click()
    settle(qtbot, dialog)
    assert dialog.result_label.text().startswith("Connected."), dialog.result_label.text()
    assert store.names() == []  # testing saves nothing


def test_keychain_texts_name_no_backend_class(qtbot: Any, make_dialog):
    dialog = make_dialog()  # the in-memory test keyring
    assert "keyring" not in dialog.keychain_label.text().lower()
    assert "tests.memory_keyring" not in dialog.keychain_label.text()
    keyring.set_keyring(fail.Keyring())
    dialog = make_dialog()
    assert dialog.keychain_label.text().startswith("No system keychain was found.")
    assert "keyring.backends" not in dialog.keychain_label.text()
