"""Small helpers shared by the window tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtWidgets import QLineEdit, QWidget

from app.sandbox import Sandbox

if TYPE_CHECKING:
    from app.ui.widgets.main_window import MainWindow

W = TypeVar("W", bound=QWidget)

WAIT_MS = 15_000

SPRING_GALA = "春晚主会场"  # streaming when the sandbox boots
PRODUCT_LAUNCH = "Product Launch Keynote"  # idle
WEBINAR_NO_DOMAIN = "Weekly Webinar Studio"  # StartCaster → InvalidDomainName.NotFound
FINANCE_FORBIDDEN = "财务部季度会议"  # another team's: PermissionDenied
SEED_COUNT = 8


def caster_id(sandbox: Sandbox, name: str) -> str:
    """The id of the seed caster called ``name``."""
    for cid in sandbox.caster_ids:
        if sandbox.caster(cid)["CasterName"] == name:
            return cid
    raise KeyError(name)


def accessible(window: MainWindow, kind: type[W], name: str) -> W:
    """The one widget of ``kind`` in ``window`` whose accessible name is ``name``."""
    found = [w for w in window.findChildren(kind) if w.accessibleName() == name]
    assert len(found) == 1, f"{len(found)} {kind.__name__} named {name!r}"
    return found[0]


def filter_box(window: MainWindow) -> QLineEdit:
    """The caster filter, found as a screen reader finds it."""
    return accessible(window, QLineEdit, "Filter casters")


def select(window: MainWindow, cid: str) -> None:
    assert window.caster_list.select_caster(cid), f"{cid} is not visible in the list"
    selected = window.selected_caster()
    assert selected is not None and selected.caster_id == cid


def start(qtbot: Any, window: MainWindow, timeout: int = WAIT_MS) -> bool:
    """Press Start and wait for the answer; True if it succeeded."""
    with qtbot.waitSignal(window.casters.start_finished, timeout=timeout) as blocker:
        window.commands.start_action.trigger()
    return bool(blocker.args[0])


def events(window: MainWindow, name: str) -> list[dict[str, Any]]:
    return window.event_log.events(name)
