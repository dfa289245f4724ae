"""How big and how long each benchmark runs: the full run, ``--quick`` and ``--tiny``."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Sizes:
    """Run counts and sizes. ``runs`` are measured after ``warmup`` unrecorded runs."""

    runs: int = 5
    warmup: int = 1
    scale_casters: int = 10_000  # B5: generated casters on top of the 8 seed ones
    keystrokes: int = 40  # B5b: filter keystrokes per run
    cpu_window_s: float = 3.0  # B6: CPU is averaged over this long, per run
    latency_s: float = 0.5  # B4: injected on every sandbox action
    settle_s: float = 1.0  # B4: keep watching this long after both first frames
    timeout_s: float = 30.0  # any single wait; a benchmark that hangs fails loudly
    cuts_s: tuple[float, ...] = (3.0, 10.0, 30.0)  # B9: how long the PGM stream is cut

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Sizes:
        data: dict[str, Any] = json.loads(text)
        if "cuts_s" in data:
            data["cuts_s"] = tuple(data["cuts_s"])
        return cls(**data)


FULL = Sizes()
QUICK = Sizes(runs=3, warmup=1, scale_casters=2_000, keystrokes=20, cpu_window_s=2.0)
# One run of everything at toy sizes: proves the harness works (the test suite uses it).
TINY = Sizes(
    runs=1,
    warmup=0,
    scale_casters=250,
    keystrokes=6,
    cpu_window_s=0.5,
    settle_s=0.2,
    timeout_s=30.0,
    cuts_s=(2.0,),
)
PRESETS = {"full": FULL, "quick": QUICK, "tiny": TINY}
