"""B1's limit: a bare PySide6 process that shows an empty QMainWindow and exits.

Prints ``time.monotonic()`` at the window's first show event (the same kind of marker the app's
event log gives), then quits. Run as a script, so it imports nothing but PySide6.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QMainWindow


class BareWindow(QMainWindow):
    """Reports its first show and asks the event loop to end."""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        print(f"shown {time.monotonic()!r}", flush=True)
        QTimer.singleShot(0, QApplication.quit)


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = BareWindow()
    window.resize(1280, 860)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
