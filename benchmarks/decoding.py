"""The FFmpeg limits, through PyAV: time to a stream's first decoded video frame, and decoding
streams continuously the way a preview does (decode, then convert to RGB)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import av

OPEN_TIMEOUT_S = 10.0


@dataclass
class FirstFrame:
    """``ms``: av.open() → first decoded video frame. ``error`` if it never came."""

    url: str
    ms: float = 0.0
    width: int = 0
    height: int = 0
    error: str = ""


def first_frame(url: str, timeout_s: float = OPEN_TIMEOUT_S) -> FirstFrame:
    """Open ``url`` with FFmpeg's defaults and decode up to the first video frame."""
    result = FirstFrame(url)
    started = time.monotonic()
    try:
        with av.open(url, timeout=timeout_s) as container:
            for frame in container.decode(video=0):
                result.ms = (time.monotonic() - started) * 1000
                result.width, result.height = frame.width, frame.height
                break
    except (av.FFmpegError, OSError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    if not result.ms and not result.error:
        result.error = "the stream ended before a video frame"
    return result


def first_frames_together(urls: list[str]) -> list[FirstFrame]:
    """Open every URL at the same moment (one thread each, as two players would)."""
    results: list[FirstFrame | None] = [None] * len(urls)

    def one(index: int) -> None:
        results[index] = first_frame(urls[index])

    threads = [
        threading.Thread(target=one, args=(i,), name=f"pyav-first-frame-{i}")
        for i in range(len(urls))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(OPEN_TIMEOUT_S * 3)
    return [
        r if r is not None else FirstFrame(u, error="no answer")
        for r, u in zip(results, urls, strict=True)
    ]


class ContinuousDecoder(threading.Thread):
    """Decodes one live stream until stopped: every video frame is converted to RGB, like the
    preview's paint path; audio packets are read off the socket but not decoded (the preview
    is muted)."""

    def __init__(self, url: str) -> None:
        super().__init__(name="pyav-decoder", daemon=True)
        self.url = url
        self.frames = 0
        self.error = ""
        self._stop = threading.Event()
        self.started_decoding = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        try:
            with av.open(self.url, timeout=OPEN_TIMEOUT_S) as container:
                video = container.streams.video[0]
                for packet in container.demux():
                    if self._stop.is_set():
                        break
                    if packet.stream is not video:
                        continue
                    for frame in packet.decode():
                        assert isinstance(frame, av.VideoFrame)
                        frame.reformat(format="rgb24")  # swscale into a new RGB frame
                        self.frames += 1
                        self.started_decoding.set()
        except Exception as exc:  # reported to the parent, never a silent thread death
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.started_decoding.set()
