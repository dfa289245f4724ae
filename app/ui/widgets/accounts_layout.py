"""The Accounts dialog's widgets and their layout (worded and wired by ``AccountsDialog``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.api.client import DEFAULT_ENDPOINT
from app.ui.controllers.session_state import REGIONS


class AccountsLayout(QDialog):
    """The keychain line, the profile list, the form, the import box and Close. No texts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountsDialog")
        # Keychain state, said plainly, and the session-only escape hatch.
        self.keychain_label = QLabel(self)
        self.keychain_label.setObjectName("keychainStatus")
        self.keychain_label.setWordWrap(True)
        self.keychain_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.session_only_check = QCheckBox(self)
        self.session_only_check.setObjectName("sessionOnly")

        # Profiles list.
        self.profile_list = QListWidget(self)
        self.profile_list.setObjectName("profileList")
        self.new_button = QPushButton(self)
        self.delete_button = QPushButton(self)
        self.delete_button.setObjectName("deleteProfile")
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.new_button)
        list_buttons.addWidget(self.delete_button)
        left = QVBoxLayout()
        left.addWidget(self.profile_list, 1)
        left.addLayout(list_buttons)

        # The form.
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("profileName")
        self.key_id_edit = QLineEdit(self)
        self.key_id_edit.setObjectName("accessKeyId")
        self.key_id_edit.setPlaceholderText("LTAI…")
        self.secret_edit = QLineEdit(self)
        self.secret_edit.setObjectName("accessKeySecret")
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.replace_secret_button = QPushButton(self)
        self.replace_secret_button.setObjectName("replaceSecret")
        secret_row = QHBoxLayout()
        secret_row.addWidget(self.secret_edit, 1)
        secret_row.addWidget(self.replace_secret_button)
        self.region_combo = QComboBox(self)
        self.region_combo.setObjectName("profileRegion")
        self.region_combo.setEditable(True)
        self.region_combo.addItems(list(REGIONS))
        self.endpoint_edit = QLineEdit(self)
        self.endpoint_edit.setObjectName("profileEndpoint")
        self.endpoint_edit.setPlaceholderText(DEFAULT_ENDPOINT)
        self.signature_combo = QComboBox(self)
        self.signature_combo.addItem("", "v3")
        self.signature_combo.addItem("", "v1")
        self.default_check = QCheckBox(self)
        self.name_caption = QLabel(self)
        self.key_id_caption = QLabel(self)
        self.secret_caption = QLabel(self)
        self.region_caption = QLabel(self)
        self.endpoint_caption = QLabel(self)
        self.signature_caption = QLabel(self)
        form = QFormLayout()
        form.addRow(self.name_caption, self.name_edit)
        form.addRow(self.key_id_caption, self.key_id_edit)
        form.addRow(self.secret_caption, secret_row)
        form.addRow(self.region_caption, self.region_combo)
        form.addRow(self.endpoint_caption, self.endpoint_edit)
        form.addRow(self.signature_caption, self.signature_combo)
        form.addRow("", self.default_check)
        for caption, field in (
            (self.name_caption, self.name_edit),
            (self.key_id_caption, self.key_id_edit),
            (self.secret_caption, self.secret_edit),
            (self.region_caption, self.region_combo),
            (self.endpoint_caption, self.endpoint_edit),
            (self.signature_caption, self.signature_combo),
        ):
            caption.setBuddy(field)
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("saveProfile")
        self.save_button.setDefault(True)
        self.test_button = QPushButton(self)
        self.test_button.setObjectName("testConnection")
        form_buttons = QHBoxLayout()
        form_buttons.addStretch(1)
        form_buttons.addWidget(self.test_button)
        form_buttons.addWidget(self.save_button)
        self.result_label = QLabel("", self)
        self.result_label.setObjectName("resultMessage")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addLayout(form_buttons)
        right.addWidget(self.result_label)
        right.addStretch(1)

        # Import from the environment and the aliyun CLI config / credentials.ini.
        self.import_combo = QComboBox(self)
        self.import_combo.setObjectName("importSource")
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("importProfile")
        self.rescan_button = QPushButton(self)
        import_row = QHBoxLayout()
        import_row.addWidget(self.import_combo, 1)
        import_row.addWidget(self.import_button)
        import_row.addWidget(self.rescan_button)
        self.import_note = QLabel("", self)
        self.import_note.setWordWrap(True)
        self.import_box = import_box = QGroupBox(self)
        import_layout = QVBoxLayout(import_box)
        import_layout.addLayout(import_row)
        import_layout.addWidget(self.import_note)

        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.keychain_label)
        layout.addWidget(self.session_only_check)
        layout.addLayout(columns, 1)
        layout.addWidget(import_box)
        layout.addWidget(buttons)
        self.resize(820, 560)
