"""Keep PySide6 6.12.0 from crashing CPython 3.11 by over-releasing None, True and False.

Measured in this project's pinned environment (PySide6 6.12.0, CPython 3.11.7): every call
of a C++ method that returns void or a null pointer (``QTimer.start()``, ``QPainter.fillRect()``,
``QWidget.parent()`` of a top-level widget, ...) releases one reference to ``None`` that it
never took, and every ``Signal.emit()`` does the same to ``True``. CPython 3.12+ makes these
objects immortal, so nothing happens there; on 3.11 the count reaches zero after a few
thousand calls and the interpreter aborts with "Fatal Python error: none_dealloc" (or
``bool_dealloc``): a running preview gets there within minutes.

:func:`protect_singletons` adds 2**40 to each count once, so that no realistic session can
bring it to zero. The objects are static and never freed, so the extra count costs nothing.
Call it before the QApplication is created (the GUI launcher and the UI test setup do).
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40
_protected = False


def needs_protection() -> bool:
    """True on interpreters where None/True/False can be freed by a refcount bug."""
    return sys.implementation.name == "cpython" and sys.version_info < (3, 12)


def protect_singletons() -> None:
    """Give None, True and False enough extra references to survive the leak. Idempotent."""
    global _protected  # noqa: PLW0603  (once per process)
    if _protected or not needs_protection():
        return
    for obj in (None, True, False):
        # ob_refcnt is the first field of every CPython object (Py_ssize_t).
        ctypes.c_ssize_t.from_address(id(obj)).value += _HEADROOM
    _protected = True
