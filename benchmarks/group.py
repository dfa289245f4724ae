"""Runs one benchmark group in this process and writes its entries as JSON.

``python -m benchmarks.group NAME SIZES_JSON OUT_PATH``. The command in ``__main__`` starts one
such process per group, so that each group gets a fresh process (no thread pools, caches or
FFmpeg state left over from another group) and a crash in one cannot take the others down.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from benchmarks.results import write_json
from benchmarks.sizes import Sizes

GROUPS = {
    "cold_start": "benchmarks.bench_cold_start",
    "start": "benchmarks.bench_start",
    "responsiveness": "benchmarks.bench_responsiveness",
    "scale": "benchmarks.bench_scale",
    "preview_cost": "benchmarks.bench_preview_cost",
    "stall": "benchmarks.bench_stall",
    "back_on_air": "benchmarks.bench_back_on_air",
    "take": "benchmarks.bench_take",
    "matrix": "benchmarks.bench_matrix",
    "take_window": "benchmarks.bench_take_window",
    "monitor_cost": "benchmarks.bench_monitor_cost",
}


def main(argv: list[str]) -> int:
    name, sizes_json, out = argv
    sizes = Sizes.from_json(sizes_json)
    module = importlib.import_module(GROUPS[name])
    entries = module.measure(sizes)
    write_json(entries, Path(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
