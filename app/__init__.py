"""Caster Desk.

The version has one source, ``[project] version`` in ``pyproject.toml``: pip writes it into
the package metadata, and the frozen builds carry a copy of that metadata (see
``packaging/casterdesk.spec``), so ``casterdesk --version`` reads the same number everywhere.
"""

import os
import sys

# httpx imports its command line (``httpx._main``: rich, click and pygments, ~50 ms) whenever
# those happen to be installed, as development tools bring them; Caster Desk never runs it.
# ``None`` in sys.modules makes that import fail, and httpx then goes without it, as it does
# where they are not installed (the frozen app leaves them out too).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

_DIST = "casterdesk"


def _installed_version() -> str:
    """The ``Version:`` of the first ``casterdesk-*.dist-info`` on ``sys.path``, as
    ``importlib.metadata.version`` finds it; read directly because importing
    ``importlib.metadata`` (its e-mail header parser) costs ~23 ms before the window can show.
    Falls back to ``importlib.metadata`` for any other layout."""
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:  # a zip file, a missing folder
            continue
        for name in names:
            if name.startswith(f"{_DIST}-") and name.endswith(".dist-info"):
                try:
                    with open(os.path.join(entry, name, "METADATA"), encoding="utf-8") as file:
                        for line in file:
                            if line.startswith("Version:"):
                                return line.removeprefix("Version:").strip()
                            if not line.strip():  # the headers end here
                                break
                except OSError:
                    pass
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version(_DIST)
    except PackageNotFoundError:  # app/ on sys.path without `pip install -e .` (./dev does it)
        return "0+unknown"


__version__ = _installed_version()
