"""Caster Desk.

The version has one source, ``[project] version`` in ``pyproject.toml``: pip writes it into
the package metadata, and the frozen builds carry a copy of that metadata (see
``packaging/casterdesk.spec``), so ``casterdesk --version`` reads the same number everywhere.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("casterdesk")
except PackageNotFoundError:  # app/ on sys.path without `pip install -e .` (./dev does it)
    __version__ = "0+unknown"
