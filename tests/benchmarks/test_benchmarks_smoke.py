"""The benchmark command works: one run of every benchmark at toy sizes, its JSON complete.

Only the harness is checked here. No timing is asserted: speed is judged by ``./dev bench``,
on a quiet machine, against limits measured in the same run.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.results import ENTRY_KEYS

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {
    "B1a Window visible",
    "B1b List filled",
    "B2 Start latency",
    "B3 First frame PGM",
    "B3 First frame PVW",
    "B4 Stall p99",
    "B4 Stall max",
    "B5 First page visible",
    "B5 All rows loaded",
    "B5b Filter keystroke p99",
    "B6 Preview CPU (llvmpipe)",
    "B6 Preview CPU (Xvfb, no GPU)",
    "B6 Preview CPU (offscreen)",
    "B6 Hidden panes CPU",
    "B7 GUI stall p99 (hide, Preview this, Stop)",
    "B7 GUI stall max (hide, Preview this, Stop)",
    "B8 RSS idle",
    "B8 RSS with two previews",
    "B9 Back on air after a cut",
    "B11 Take → PGM frame (CLI)",
    "B10 Full matrix (14 URLs)",
    "B10 Matrix via QtMultimedia (alternative)",
    "B11b Take → PGM frame (window)",
    "B12 Monitor CPU cost",
}
RATIO_ROWS = {  # rows whose limit is a measurement, so a ratio must come out
    "B1a Window visible",
    "B1b List filled",
    "B2 Start latency",
    "B3 First frame PGM",
    "B3 First frame PVW",
    "B5 All rows loaded",
    "B6 Preview CPU (llvmpipe)",
    "B6 Preview CPU (Xvfb, no GPU)",
    "B6 Preview CPU (offscreen)",
    "B8 RSS with two previews",
    "B11 Take → PGM frame (CLI)",
    "B10 Full matrix (14 URLs)",
    "B10 Matrix via QtMultimedia (alternative)",
    "B11b Take → PGM frame (window)",
    "B12 Monitor CPU cost",
}


@pytest.mark.slow
@pytest.mark.media
@pytest.mark.gui
def test_the_benchmark_command_runs_every_benchmark_once_at_tiny_sizes(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--tiny", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=480,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]

    entries = json.loads(out.read_text(encoding="utf-8"))
    assert {e["name"] for e in entries} == EXPECTED
    for entry in entries:
        assert set(entry) - {"notes"} == set(ENTRY_KEYS), entry["name"]
        assert entry["runs"] == 1
        assert isinstance(entry["met"], bool)
        assert isinstance(entry["value"], int | float) and math.isfinite(entry["value"])
        low, high = entry["spread"]
        assert low <= entry["value"] <= high
        assert entry["unit"] and entry["target"]
        if entry["name"] in RATIO_ROWS:
            assert entry["limit_value"] > 0, entry["name"]
            assert entry["ratio"] == pytest.approx(entry["value"] / entry["limit_value"], rel=0.05)
    # The table names every row and says how many targets were met.
    for name in EXPECTED:
        assert name in completed.stdout
    assert f"of {len(EXPECTED)} targets met" in completed.stdout


def test_only_picks_the_groups_that_measure_the_ids_asked_for() -> None:
    from benchmarks.__main__ import selected_groups

    assert selected_groups(["B3"]) == ["start"]
    assert selected_groups(["b5b,B1"]) == ["cold_start", "scale"]
    assert selected_groups(["B8"]) == ["preview_cost"]
    with pytest.raises(SystemExit):
        selected_groups(["B99"])


def test_percentile_and_summary_follow_their_definitions() -> None:
    from benchmarks.results import Samples, make_entry, percentile

    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert percentile(list(range(101)), 99) == pytest.approx(99.0)
    value, limit = Samples([30.0, 10.0, 20.0]), Samples([10.0, 12.0, 8.0])
    entry = make_entry(
        "x",
        value,
        "ms",
        limit=limit,
        target="ratio <= 1.5",
        met=lambda v, lim: lim is not None and v <= lim * 1.5,
    )
    assert (entry.value, entry.limit_value, entry.ratio) == (20.0, 10.0, 2.0)
    assert entry.notes.startswith("limit median 10.0 ms")
    assert entry.spread == [10.0, 30.0] and entry.runs == 3 and entry.met is False
