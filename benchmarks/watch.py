"""Watching which look a stream shows, frame by frame, the way a player decodes it.

``Watch`` plays one URL in a thread with FFmpeg (PyAV) and records, for every decoded video
frame, when it came out (monotonic clock), its timestamp and which look it shows, told apart by
the colours at the two probe strips (``MAIN_PROBE`` and ``INSET_PROBE``) read straight from the
decoded YUV planes.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import av

from app.sandbox.media.renditions import INSET_PROBE, LOOKS, MAIN_PROBE

Yuv = tuple[float, float, float]


def rgb_to_yuv(rgb: tuple[int, int, int]) -> Yuv:
    """sRGB to limited-range BT.709 Y'CbCr (what the loops are encoded in)."""
    r, g, b = (c / 255 for c in rgb)
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 16 + 219 * y, 128 + 224 * (b - y) / 1.8556, 128 + 224 * (r - y) / 1.5748


_EXPECTED = {
    key: (
        rgb_to_yuv(look.background),
        rgb_to_yuv(LOOKS[look.inset].background if look.inset else look.background),
    )
    for key, look in LOOKS.items()
}


def _strip_yuv(frame: av.VideoFrame, probe: tuple[float, float, float]) -> Yuv:
    """Mean Y, U, V over a horizontal strip of a yuv420p frame (no colour conversion)."""
    x0, x1 = int(frame.width * probe[0]) & ~1, int(frame.width * probe[1]) & ~1
    row = int(frame.height * probe[2]) & ~1
    means = []
    for index, (x_from, x_to, y) in enumerate(((x0, x1, row), (x0 // 2, x1 // 2, row // 2))):
        planes = (0,) if index == 0 else (1, 2)
        for p in planes:
            plane = frame.planes[p]
            start = y * plane.line_size
            data = memoryview(plane)[start + x_from : start + x_to]
            means.append(sum(data) / max(1, len(data)))
    return means[0], means[1], means[2]


def classify(frame: av.VideoFrame) -> str:
    """The look whose colours are nearest to the frame's probe strips."""
    main, inset = _strip_yuv(frame, MAIN_PROBE), _strip_yuv(frame, INSET_PROBE)

    def distance(key: str) -> float:
        want_main, want_inset = _EXPECTED[key]
        return sum(abs(a - b) for a, b in zip(main + inset, want_main + want_inset, strict=True))

    return min(_EXPECTED, key=distance)


@dataclass(frozen=True, slots=True)
class Seen:
    at: float  # time.monotonic() when the frame came out of the decoder
    pts_s: float  # the frame's timestamp in seconds
    look: str


class Watch(threading.Thread):
    """Decode ``url`` until stopped; ``frames`` grows as frames come out."""

    def __init__(self, url: str, label: str = "") -> None:
        super().__init__(name=f"watch {label or url[:40]}", daemon=True)
        self.url = url
        self.label = label
        self.frames: list[Seen] = []
        self.error: BaseException | None = None
        self.reopened = 0
        self._stopping = threading.Event()

    def run(self) -> None:
        try:
            with av.open(self.url, timeout=10.0) as container:
                stream = container.streams.video[0]
                stream.thread_type = "SLICE"  # frame threading would hold frames back
                for packet in container.demux(stream):
                    for frame in packet.decode():
                        assert isinstance(frame, av.VideoFrame)
                        self.frames.append(
                            Seen(time.monotonic(), float(frame.time or 0.0), classify(frame))
                        )
                    if self._stopping.is_set():
                        return
        except BaseException as exc:  # reported by the test through .error
            if not self._stopping.is_set():
                self.error = exc

    def stop(self) -> None:
        self._stopping.set()
        self.join(15)
        assert not self.is_alive(), f"{self.label} did not stop"

    @property
    def look(self) -> str | None:
        return self.frames[-1].look if self.frames else None

    def first(self, look: str, after: float) -> Seen | None:
        """The first frame showing ``look`` that came out after monotonic time ``after``."""
        return next((f for f in self.frames if f.at >= after and f.look == look), None)

    def first_in_media(self, look: str, from_pts_s: float) -> Seen | None:
        """The first frame showing ``look`` with a timestamp at or after ``from_pts_s``."""
        return next((f for f in self.frames if f.pts_s >= from_pts_s and f.look == look), None)
