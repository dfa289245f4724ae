"""Probe play URLs with PyAV (FFmpeg): does it play, what does it carry, is it black, frozen
or silent. No Qt: the CLI calls it directly and the window can run it on a worker thread.

One probe opens the URL, then demuxes and decodes until it has seen ``window_s`` of media time of
video and of audio (2 s by default: the ``d`` of FFmpeg's blackdetect, freezedetect and
silencedetect, so the verdicts mean what FFmpeg's would) or its deadline passes. Live origins
and CDNs send a GOP cache at once (the sandbox two seconds or more, HLS three segments), so a
healthy stream usually takes a fraction of a second of wall time.

:class:`Prober` runs many probes on a bounded thread pool (4 by default): PyAV releases the GIL
while FFmpeg connects and decodes, so threads overlap the waiting and use the cores.
"""

from __future__ import annotations

import array
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from types import ModuleType
from typing import TYPE_CHECKING, Any

from app.probe.detect import DURATION_S, Detector

if TYPE_CHECKING:
    import av


def _av() -> ModuleType:
    """PyAV, imported on first use (56 ms): on a probe's worker thread, so the window can
    import this module (for its types) before its first paint."""
    import av  # noqa: PLC0415
    import av.error  # noqa: PLC0415

    return av


DEFAULT_CONCURRENCY = 4
DEFAULT_TIMEOUT_S = 8.0
# Small analysis pictures: enough to see a frame counter tick, cheap to compare in Python.
ANALYSIS_SIZE = (80, 45)
# Ask FFmpeg not to read more than this before it hands out packets (it would otherwise buffer
# up to 5 s of a live stream just to guess the frame rate).
_OPEN_OPTIONS = {"probesize": "262144", "analyzeduration": "1000000"}


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """What one probe of one URL found. Figures are None when nothing was decoded."""

    url: str
    playable: bool
    reason: str = ""  # plain words, never the URL; "" when it played
    first_frame_ms: int | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    video_codec: str | None = None
    bitrate_kbps: float | None = None
    audio: bool = False
    audio_codec: str | None = None
    black: bool = False
    frozen: bool = False
    silent: bool = False
    observed_s: float = 0.0  # media time of video looked at
    elapsed_s: float = 0.0  # wall time of the whole probe
    cpu_s: float = 0.0  # CPU time of the probing thread (FFmpeg's own threads not counted)

    def figures(self) -> str:
        """One line for a tooltip or a log: ``1280×720 25.0 fps h264 412 kbit/s aac``."""
        if not self.playable:
            return self.reason
        parts = [f"{self.width}×{self.height}"]
        if self.fps:
            parts.append(f"{self.fps:.1f} fps")
        parts.append(self.video_codec or "?")
        if self.bitrate_kbps is not None:
            parts.append(f"{self.bitrate_kbps:.0f} kbit/s")
        parts.append((self.audio_codec or "?") if self.audio else "no audio")
        if self.first_frame_ms is not None:
            parts.append(f"first frame {self.first_frame_ms} ms")
        return " · ".join(p for p in parts if p)


class ProbeCancelledError(Exception):
    """The prober was cancelled while this probe ran."""


def describe_error(error: BaseException) -> str:
    """Why a URL did not open, in plain words, without the URL (it carries the auth_key)."""
    av = _av()
    if isinstance(error, av.error.HTTPNotFoundError):
        return "not found (HTTP 404)"
    if isinstance(error, av.error.HTTPForbiddenError):
        return "refused (HTTP 403: auth_key expired or wrong)"
    if isinstance(error, av.error.HTTPUnauthorizedError):
        return "refused (HTTP 401)"
    if isinstance(error, av.error.HTTPServerError):
        return "server error (HTTP 5xx)"
    if isinstance(error, av.error.HTTPClientError):
        return "refused (HTTP 4xx)"
    if isinstance(error, av.error.ConnectionRefusedError | ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, av.error.PermissionError):
        # FFmpeg's RTMP client maps NetStream.Play.StreamNotFound / Failed to EPERM.
        return "refused by the RTMP server (stream not found or access denied)"
    if isinstance(error, av.error.ExitError | TimeoutError | av.error.TimeoutError):
        return "timed out"
    if isinstance(error, av.error.InvalidDataError):
        return "not a playable stream (invalid data)"
    if isinstance(error, av.error.FFmpegError):
        return f"could not play ({error.strerror or type(error).__name__})"
    if isinstance(error, OSError):
        return f"cannot reach the server ({error.strerror or type(error).__name__})"
    return f"could not play ({type(error).__name__})"


def _float_samples(frame: av.AudioFrame, resampler: list[Any]) -> array.array[float]:
    """All channels' samples of ``frame`` as float PCM (converted when the codec gives ints)."""
    av = _av()
    if frame.format.name not in ("fltp", "flt"):
        if not resampler:
            resampler.append(av.AudioResampler(format="fltp"))
        converted = resampler[0].resample(frame)
        out: array.array[float] = array.array("f")
        for piece in converted:
            out.extend(_float_samples(piece, resampler))
        return out
    out = array.array("f")
    per_plane = frame.samples * (1 if frame.format.is_planar else len(frame.layout.channels))
    for plane in frame.planes:
        values = array.array("f", bytes(plane))
        out.extend(values[:per_plane])
    return out


def probe_url(
    url: str,
    *,
    window_s: float = DURATION_S,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    cancel: threading.Event | None = None,
) -> ProbeResult:
    """Open ``url`` and watch ``window_s`` of it (or until ``timeout_s`` of wall time)."""
    av = _av()
    started = time.perf_counter()
    cpu_started = time.thread_time()
    deadline = started + timeout_s
    try:
        container = av.open(
            url, timeout=(timeout_s, min(timeout_s, 5.0)), options=dict(_OPEN_OPTIONS)
        )
    except Exception as error:  # every failure to open is an answer, not a crash
        result = ProbeResult(url, False, describe_error(error), elapsed_s=_since(started))
    else:
        try:
            result = _watch(url, container, started, deadline, window_s, cancel)
        except ProbeCancelledError:
            result = ProbeResult(url, False, "cancelled", elapsed_s=_since(started))
        finally:
            container.close()
    return replace(result, cpu_s=time.thread_time() - cpu_started)


def _since(started: float) -> float:
    return time.perf_counter() - started


def _watch(
    url: str,
    container: Any,
    started: float,
    deadline: float,
    window_s: float,
    cancel: threading.Event | None,
) -> ProbeResult:
    av = _av()
    if not container.streams.video:
        return ProbeResult(url, False, "no video stream", elapsed_s=_since(started))
    video = container.streams.video[0]
    audio = container.streams.audio[0] if container.streams.audio else None
    streams = [video] + ([audio] if audio is not None else [])
    detector = Detector(duration_s=window_s)
    resampler: list[Any] = []
    first_frame_ms: int | None = None
    width = height = 0
    video_times: list[float] = []
    frame_s = 1 / 25
    audio_start: float | None = None
    audio_end = 0.0
    audio_frames = 0
    packet_bytes = 0
    reason = ""
    try:
        for packet in container.demux(*streams):
            if cancel is not None and cancel.is_set():
                raise ProbeCancelledError
            if time.perf_counter() > deadline:
                reason = "timed out"
                break
            packet_bytes += packet.size
            for frame in packet.decode():
                if isinstance(frame, av.VideoFrame):
                    now_s = float(frame.time) if frame.time is not None else len(video_times) / 25
                    if first_frame_ms is None:
                        first_frame_ms = round(_since(started) * 1000)
                    if video_times and now_s > video_times[-1]:
                        frame_s = now_s - video_times[-1]
                    video_times.append(now_s)
                    width, height = frame.width, frame.height
                    grey = frame.reformat(
                        width=ANALYSIS_SIZE[0], height=ANALYSIS_SIZE[1], format="gray"
                    )
                    plane = grey.planes[0]
                    data = bytes(plane)
                    if plane.line_size != ANALYSIS_SIZE[0]:
                        data = b"".join(
                            data[row * plane.line_size : row * plane.line_size + ANALYSIS_SIZE[0]]
                            for row in range(ANALYSIS_SIZE[1])
                        )
                    detector.picture(data, now_s, frame_s)
                elif isinstance(frame, av.AudioFrame):
                    at = float(frame.time) if frame.time is not None else audio_end
                    length = frame.samples / (frame.sample_rate or 48_000)
                    if audio_start is None:
                        audio_start = at
                    audio_end = at + length
                    audio_frames += 1
                    detector.audio(_float_samples(frame, resampler), at, length)
            video_span = video_times[-1] + frame_s - video_times[0] if video_times else 0.0
            audio_span = audio_end - audio_start if audio_start is not None else 0.0
            if video_span >= window_s - 1e-6 and (audio is None or audio_span >= window_s - 1e-6):
                break
    except ProbeCancelledError:
        raise
    except Exception as error:  # a stream that breaks mid-way still tells what it showed
        if not video_times:
            return ProbeResult(url, False, describe_error(error), elapsed_s=_since(started))
        reason = describe_error(error)
    if not video_times:
        return ProbeResult(
            url, False, reason or "no picture before the stream ended", elapsed_s=_since(started)
        )
    span = video_times[-1] + frame_s - video_times[0]
    fps = (len(video_times) - 1) / (video_times[-1] - video_times[0]) if span > frame_s else None
    return ProbeResult(
        url,
        True,
        reason,
        first_frame_ms=first_frame_ms,
        width=width,
        height=height,
        fps=round(fps, 2) if fps else None,
        video_codec=video.codec_context.name,
        bitrate_kbps=round(packet_bytes * 8 / span / 1000, 1) if span > 0 else None,
        audio=audio_frames > 0,
        audio_codec=audio.codec_context.name if audio is not None and audio_frames else None,
        black=detector.black,
        frozen=detector.frozen and not detector.black,  # black is trivially frozen too
        silent=audio_frames > 0 and detector.silent,
        observed_s=round(span, 3),
        elapsed_s=_since(started),
    )


class Prober:
    """Probes many URLs at once on at most ``concurrency`` threads; cancellable.

    ``probe_all`` blocks until every probe is done (call it off the GUI thread); ``on_result``
    is called from the worker threads as each one finishes.
    """

    def __init__(
        self,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        window_s: float = DURATION_S,
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.concurrency = concurrency
        self.window_s = window_s
        self.timeout_s = timeout_s
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Stop every running probe at its next packet; pending ones are not started."""
        self._cancel.set()

    def probe_all(
        self,
        urls: Sequence[str],
        on_result: Callable[[int, ProbeResult], None] | None = None,
    ) -> list[ProbeResult]:
        """Probe ``urls``; results in the same order."""
        results: list[ProbeResult | None] = [None] * len(urls)

        def one(index: int) -> None:
            if self._cancel.is_set():
                result = ProbeResult(urls[index], False, "cancelled")
            else:
                result = probe_url(
                    urls[index],
                    window_s=self.window_s,
                    timeout_s=self.timeout_s,
                    cancel=self._cancel,
                )
            results[index] = result
            if on_result is not None:
                on_result(index, result)

        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="casterdesk-probe") as pool:
            futures: list[Future[None]] = [pool.submit(one, i) for i in range(len(urls))]
            for future in futures:
                future.result()
        return [
            r if r is not None else ProbeResult(u, False, "cancelled")
            for r, u in zip(results, urls, strict=True)
        ]
