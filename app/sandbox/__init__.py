"""The sandbox: a local stand-in for Alibaba Cloud's Live caster API and its media streams.

``from app.sandbox import Sandbox`` gives the in-process emulator; ``casterdesk sandbox`` runs it
in the foreground (``app.sandbox.serve``). No Qt here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.sandbox.faults import FaultInjector, FaultRule
    from app.sandbox.runtime import Sandbox

__all__ = ["FaultInjector", "FaultRule", "Sandbox"]


def __getattr__(name: str) -> Any:
    # Lazy, so that ``app.sandbox.http`` (used by the media origin) imports without the runtime.
    if name == "Sandbox":
        from app.sandbox.runtime import Sandbox  # noqa: PLC0415

        return Sandbox
    if name in ("FaultInjector", "FaultRule"):
        from app.sandbox import faults  # noqa: PLC0415

        return getattr(faults, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
