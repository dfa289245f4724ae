"""Print one version's section of CHANGELOG.md: the release notes of its tag.

    python packaging/changelog.py 1.2.0       the body of "## [1.2.0] - …"
    python packaging/changelog.py v1.2.0      the same (a tag name works too)

Exits 1, naming the file, when the section is missing or empty, so a tag without release
notes stops the release workflow instead of publishing an empty page.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

CHANGELOG = Path(__file__).resolve().parents[1] / "CHANGELOG.md"
_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?\s*$")


def sections(text: str) -> dict[str, tuple[str | None, str]]:
    """Every ``## [version] - date`` section: version → (date or None, body)."""
    found: dict[str, tuple[str | None, str]] = {}
    current: str | None = None
    date: str | None = None
    body: list[str] = []
    for line in [*text.splitlines(), "## [end]"]:
        match = _HEADING.match(line)
        if match:
            if current is not None:
                found[current] = (date, "\n".join(body).strip() + "\n")
            current, date, body = match["version"], match["date"], []
        elif current is not None:
            body.append(line)
    found.pop("end", None)
    return found


def release_notes(version: str, text: str) -> str:
    """The body of ``version``'s section; ``ValueError`` if it is missing or empty."""
    version = version.removeprefix("v")
    date, body = sections(text).get(version, (None, ""))
    if not body.strip():
        raise ValueError(f"CHANGELOG.md has no '## [{version}] - YYYY-MM-DD' section")
    if date is None and version != "Unreleased":
        raise ValueError(f"CHANGELOG.md: the section of {version} has no release date")
    return body


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        print(release_notes(args[0], CHANGELOG.read_text(encoding="utf-8")), end="")
    except ValueError as exc:
        print(f"packaging/changelog.py: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
