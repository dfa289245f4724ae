"""``python -m benchmarks`` (``./dev bench``): run every benchmark, print the table, write JSON.

Each group runs in its own process (see :mod:`benchmarks.group`). ``--quick`` and ``--tiny``
shrink the runs for development; ``--only B3`` picks groups by benchmark id.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.group import GROUPS
from benchmarks.isolation import ROOT, child_env
from benchmarks.machine import describe_machine
from benchmarks.results import Entry, read_json, table, write_json
from benchmarks.sizes import PRESETS

DEFAULT_OUT = Path(__file__).with_name("results.json")
# Which group measures which benchmark id (for --only).
IDS = {
    "cold_start": ("B1", "B1a", "B1b"),
    "start": ("B2", "B3"),
    "responsiveness": ("B4",),
    "scale": ("B5", "B5b"),
    "preview_cost": ("B6", "B8"),
    "stall": ("B7",),
    "back_on_air": ("B9",),
    "take": ("B11",),
    "matrix": ("B10",),
    "take_window": ("B11b",),
    "monitor_cost": ("B12",),
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Run Caster Desk's benchmarks against the sandbox and write results.json.",
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="fewer runs, 2,000 casters in B5")
    size.add_argument("--tiny", action="store_true", help="one run of each at toy sizes")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="ID",
        help="run only these benchmarks (B1 … B12; repeatable or comma-separated)",
    )
    parser.add_argument("--runs", type=int, help="measured runs per benchmark (default 5)")
    parser.add_argument(
        "--show",
        type=Path,
        metavar="JSON",
        help="print the table of a results file (and its notes) without running anything",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"where to write the JSON (default {DEFAULT_OUT.relative_to(ROOT)}; "
        "--quick/--tiny/--only/--runs print only unless --out is given)",
    )
    return parser.parse_args(argv)


def selected_groups(only: list[str]) -> list[str]:
    wanted = {item.strip().upper() for value in only for item in value.split(",") if item.strip()}
    if not wanted:
        return list(GROUPS)
    known = {i.upper() for ids in IDS.values() for i in ids}
    unknown = wanted - known
    if unknown:
        raise SystemExit(f"unknown benchmark id(s): {', '.join(sorted(unknown))}")
    return [g for g, ids in IDS.items() if wanted & {i.upper() for i in ids}]


def run_group(name: str, sizes_json: str, folder: Path) -> list[Entry]:
    out = folder / f"{name}.json"
    started = time.monotonic()
    print(f"[bench] {name} …", file=sys.stderr, flush=True)
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.group", name, sizes_json, str(out)],
        env=child_env(folder / f"home-{name}"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    if completed.returncode != 0 or not out.exists():
        log = folder / f"{name}.log"
        log.write_text(completed.stdout, encoding="utf-8")
        tail = "\n".join(completed.stdout.splitlines()[-25:])
        raise SystemExit(f"[bench] {name} failed (exit {completed.returncode}):\n{tail}")
    print(f"[bench] {name} done in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return read_json(out)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.show is not None:
        saved = read_json(args.show)
        print(table(saved))
        for entry in saved:
            print(f"\n{entry.name}: {entry.notes}")
        return 0
    preset = "tiny" if args.tiny else "quick" if args.quick else "full"
    sizes = PRESETS[preset]
    if args.runs is not None:
        sizes = dataclasses.replace(sizes, runs=max(1, args.runs))
    groups = selected_groups(args.only)
    partial = preset != "full" or bool(args.only) or args.runs is not None
    out = args.out if args.out is not None else (None if partial else DEFAULT_OUT)

    load = os.getloadavg()[0]
    print(describe_machine(), file=sys.stderr)
    print(
        f"[bench] preset {preset}: {sizes.runs} run(s) after {sizes.warmup} warm-up; "
        f"load average {load:.2f}; groups: {', '.join(groups)}",
        file=sys.stderr,
    )
    entries: list[Entry] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="casterdesk-bench-") as folder:
        for name in groups:
            entries.extend(run_group(name, sizes.to_json(), Path(folder)))
    print(table(entries))
    missed = [e.name for e in entries if not e.met]
    print(
        f"\n{len(entries) - len(missed)} of {len(entries)} targets met"
        + (f"; missed: {', '.join(missed)}" if missed else "")
        + f". Took {time.monotonic() - started:.0f} s; load average before "
        f"{load:.2f}, after {os.getloadavg()[0]:.2f}."
    )
    if out is not None:
        write_json(entries, out)
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
