"""B1's limit: a bare PySide6 process that shows an empty QMainWindow and exits.

Prints ``time.monotonic()`` at the window's first show event and at its first paint event (the
same markers the app's event log gives: ``window_shown``, ``window_painted``), then quits. Run as a script, so it imports nothing but PySide6.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPaintEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QMainWindow


class BareWindow(QMainWindow):
    """Reports its first show and first paint, then asks the event loop to end."""

    painted = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        print(f"shown {time.monotonic()!r}", flush=True)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.painted:
            self.painted = True
            print(f"painted {time.monotonic()!r}", flush=True)
            QTimer.singleShot(0, QApplication.quit)
        super().paintEvent(event)


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = BareWindow()
    window.resize(1280, 860)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
