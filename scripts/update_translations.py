"""Regenerate the UI translations: pyside6-lupdate over app/ui/**/*.py, then pyside6-lrelease.

    .venv/bin/python scripts/update_translations.py          # update .ts, rebuild .qm
    .venv/bin/python scripts/update_translations.py --check  # exit 1 if anything is stale

``lupdate`` keeps the translations already in ``resources/translations/casterdesk_<lang>.ts``,
adds new source texts as unfinished and drops vanished ones; translate those in Qt Linguist
(``.venv/bin/pyside6-linguist``) or in the XML, then run this again to compile the ``.qm``.
A text that moved to another class (so another ``tr()`` context) keeps its translation: texts
left unfinished after ``lupdate`` take the finished translation of the same source text from the
catalogue as it was before. ``--check`` changes nothing: it reports texts without a finished translation and a ``.ts`` or
``.qm`` that does not match the sources.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES_DIR = ROOT / "app" / "ui"
TRANSLATIONS_DIR = ROOT / "resources" / "translations"
CATALOG = "casterdesk"
LANGUAGES = ("zh_CN",)


def tool(name: str) -> str:
    """A PySide6 tool from the virtualenv next to this interpreter, else from PATH."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: run this with the project's .venv/bin/python")
    return found


def sources() -> list[Path]:
    return sorted(SOURCES_DIR.rglob("*.py"))


def ts_path(language: str, folder: Path = TRANSLATIONS_DIR) -> Path:
    return folder / f"{CATALOG}_{language}.ts"


def qm_path(language: str, folder: Path = TRANSLATIONS_DIR) -> Path:
    return folder / f"{CATALOG}_{language}.qm"


def lupdate(ts_file: Path, language: str) -> None:
    """Extract every tr()/translate() text into ``ts_file`` (merging what is there)."""
    command = [
        tool("pyside6-lupdate"),
        *(str(p) for p in sources()),
        "-locations",
        "none",
        "-no-obsolete",
        "-target-language",
        language,
        "-silent",
        "-ts",
        str(ts_file),
    ]
    subprocess.run(command, check=True, cwd=ROOT)


def lrelease(ts_file: Path, qm_file: Path) -> None:
    command = [tool("pyside6-lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)]
    subprocess.run(command, check=True, cwd=ROOT)


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translation: str
    finished: bool


def read_ts(ts_file: Path) -> list[Message]:
    """Every message of a .ts file (numerus forms joined)."""
    messages = []
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None:
                text, kind = "", "unfinished"
            else:
                forms = [f.text or "" for f in translation.iter("numerusform")]
                text = "\n".join(forms) if forms else (translation.text or "")
                kind = translation.get("type", "")
            messages.append(
                Message(
                    context=name,
                    source=message.findtext("source") or "",
                    translation=text,
                    finished=kind not in ("unfinished", "vanished", "obsolete") and bool(text),
                )
            )
    return messages


def carry_over(ts_file: Path, before: list[Message]) -> int:
    """Fill unfinished texts with the earlier translation of the same source (any context).

    Returns how many were filled. A source translated differently in two contexts is ambiguous
    and left for a human.
    """
    known: dict[str, set[str]] = {}
    for message in before:
        if message.finished:
            known.setdefault(message.source, set()).add(message.translation)
    tree = ET.parse(ts_file)
    filled = 0
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        # lupdate may have guessed an unfinished translation from a similar text: replace it.
        if translation is None or translation.get("type") != "unfinished":
            continue
        if message.get("numerus") == "yes":
            continue
        choices = known.get(message.findtext("source") or "", set())
        if len(choices) == 1:
            translation.text = next(iter(choices))
            del translation.attrib["type"]
            filled += 1
    if filled:
        tree.write(ts_file, encoding="utf-8", xml_declaration=True)
    return filled


def problems(language: str) -> list[str]:
    """What is stale or untranslated for ``language`` (empty when all is well)."""
    found: list[str] = []
    ts_file, qm_file = ts_path(language), qm_path(language)
    if not ts_file.exists():
        return [f"{ts_file.relative_to(ROOT)} is missing"]
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / ts_file.name
        shutil.copyfile(ts_file, fresh)
        lupdate(fresh, language)
        if fresh.read_bytes() != ts_file.read_bytes():
            committed = {(m.context, m.source) for m in read_ts(ts_file)}
            extracted = {(m.context, m.source) for m in read_ts(fresh)}
            for context, source in sorted(extracted - committed):
                found.append(f"not in the .ts yet: [{context}] {source!r}")
            for context, source in sorted(committed - extracted):
                found.append(f"no longer in the code: [{context}] {source!r}")
            if not found:
                found.append(f"{ts_file.name} differs from what lupdate writes (run this script)")
        for message in read_ts(fresh):
            if not message.finished:
                found.append(f"untranslated: [{message.context}] {message.source!r}")
        built = Path(tmp) / qm_file.name
        lrelease(ts_file, built)
        if not qm_file.exists() or qm_file.read_bytes() != built.read_bytes():
            found.append(f"{qm_file.name} is stale: run this script to rebuild it")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if stale")
    options = parser.parse_args(argv)
    if options.check:
        issues = [f"{lang}: {p}" for lang in LANGUAGES for p in problems(lang)]
        for issue in issues:
            print(issue)
        return 1 if issues else 0
    TRANSLATIONS_DIR.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        ts_file = ts_path(language)
        before = read_ts(ts_file) if ts_file.exists() else []
        lupdate(ts_file, language)
        if carry_over(ts_file, before):
            lupdate(ts_file, language)  # lupdate's own formatting, so --check stays clean
        lrelease(ts_file, qm_path(language))
        unfinished = [m for m in read_ts(ts_file) if not m.finished]
        total = len(read_ts(ts_file))
        print(f"{ts_file.relative_to(ROOT)}: {total} texts, {len(unfinished)} unfinished")
    return 0


if __name__ == "__main__":
    sys.exit(main())
