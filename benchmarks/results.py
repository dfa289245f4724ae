"""Result entries (the issue's JSON shape), run statistics, and the printed table."""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENTRY_KEYS = (
    "name",
    "value",
    "unit",
    "limit_value",
    "ratio",
    "target",
    "met",
    "runs",
    "spread",
)


@dataclass
class Entry:
    """One row of results.json.

    ``value`` and ``limit_value`` are medians over ``runs`` runs; ``spread`` is the value's
    ``[min, max]``. ``ratio`` is ``value / limit_value`` (None when there is no limit or the
    limit is 0). ``notes`` is free text (the limit's own spread, what exactly was timed).
    """

    name: str
    value: float
    unit: str
    limit_value: float | None
    ratio: float | None
    target: str
    met: bool
    runs: int
    spread: list[float]
    notes: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {key: getattr(self, key) for key in ENTRY_KEYS}
        if self.notes:
            data["notes"] = self.notes
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        return cls(**{k: data[k] for k in ENTRY_KEYS}, notes=data.get("notes", ""))


@dataclass
class Samples:
    """Per-run measurements of one quantity (after the warm-up)."""

    values: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.values.append(float(value))

    @property
    def median(self) -> float:
        return float(statistics.median(self.values)) if self.values else math.nan

    @property
    def spread(self) -> list[float]:
        if not self.values:
            return [math.nan, math.nan]
        return [rounded(min(self.values)), rounded(max(self.values))]

    def describe(self, unit: str) -> str:
        low, high = self.spread
        return f"median {rounded(self.median)} {unit} (min {low}, max {high})"


def rounded(value: float, digits: int = 1) -> float:
    """Round for the report; keeps small values readable."""
    if not math.isfinite(value):  # NaN / inf stay as they are
        return value
    if abs(value) < 10:
        return round(value, max(digits, 2)) + 0.0  # + 0.0 turns -0.0 into 0.0
    return round(value, digits) + 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100), linear between closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def make_entry(
    name: str,
    samples: Samples,
    unit: str,
    *,
    limit: Samples | float | None,
    target: str,
    met: Callable[[float, float | None], bool],
    notes: str = "",
) -> Entry:
    """Summarise runs: median value, median limit, ratio and whether the target is met."""
    value = samples.median
    if isinstance(limit, Samples):
        limit_value: float | None = limit.median
        if limit.values:
            notes = f"limit {limit.describe(unit)}. {notes}".strip()
    else:
        limit_value = limit
    ratio = None
    if limit_value is not None and limit_value > 0 and not math.isnan(value):
        ratio = round(value / limit_value, 3)
    ok = bool(not math.isnan(value) and met(value, limit_value))
    return Entry(
        name=name,
        value=rounded(value),
        unit=unit,
        limit_value=None if limit_value is None else rounded(limit_value),
        ratio=ratio,
        target=target,
        met=ok,
        runs=len(samples.values),
        spread=samples.spread,
        notes=notes,
    )


def write_json(entries: Iterable[Entry], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = [e.to_json() for e in entries]
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_json(path: Path) -> list[Entry]:
    return [Entry.from_json(item) for item in json.loads(path.read_text(encoding="utf-8"))]


def _cell(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:g}"


def table(entries: Sequence[Entry]) -> str:
    """A plain-text table (also valid Markdown)."""
    header = ["#", "value", "limit", "ratio", "target", "met", "runs", "spread (min to max)"]
    rows = [
        [
            e.name,
            f"{_cell(e.value)} {e.unit}",
            "-" if e.limit_value is None else f"{_cell(e.limit_value)} {e.unit}",
            _cell(e.ratio),
            e.target,
            "yes" if e.met else "NO",
            str(e.runs),
            f"{_cell(e.spread[0])} to {_cell(e.spread[1])}",
        ]
        for e in entries
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def stall_entries(
    p99_name: str, max_name: str, p99s: Samples, maxima: Samples, notes: str, max_notes: str
) -> list[Entry]:
    """The two GUI-stall rows every heartbeat benchmark reports: p99 ≤ 16 ms (a frame at
    60 Hz) and the worst gap ≤ 50 ms."""
    return [
        make_entry(
            p99_name,
            p99s,
            "ms",
            limit=0.0,
            target="<= 16 ms",
            met=lambda v, _lim: v <= 16,
            notes=notes,
        ),
        make_entry(
            max_name,
            maxima,
            "ms",
            limit=0.0,
            target="<= 50 ms",
            met=lambda v, _lim: v <= 50,
            notes=max_notes,
        ),
    ]
