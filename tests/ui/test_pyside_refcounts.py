"""Guard against a PySide6 release that over-releases None/True (seen in 6.12.0 on Python 3.11).

PySide6 6.12.0 dropped one reference to ``None`` per void-returning call and one to ``True``
per ``Signal.emit()``; on CPython 3.11 (no immortal objects) a playing preview aborted the
interpreter within a minute ("Fatal Python error: bool_dealloc"). The project pins 6.11.3,
which is clean; this test fails if a future pin brings the leak back.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget


class _Emitter(QObject):
    fired = Signal(int)


def test_void_calls_and_emits_do_not_leak_singleton_references(qapp: Any) -> None:
    timer, widget, emitter = QTimer(), QWidget(), _Emitter()
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(500):
        timer.start(1000)
        widget.parent()
        emitter.fired.emit(1)
    timer.stop()
    after = sys.getrefcount(None), sys.getrefcount(True)
    assert after[0] - before[0] > -50, "PySide6 drops references to None (void calls)"
    assert after[1] - before[1] > -50, "PySide6 drops references to True (Signal.emit)"
