#!/usr/bin/env python3
"""Render the sandbox's pre-encoded live loops into ``resources/sandbox/<look>_<height>p.flv``.

Dev-only: needs PyAV (``av``, pinned in requirements/dev.txt). The app never runs this; at run
time the media origin (``app/sandbox/media``) only re-timestamps these files, so a started
caster costs no encoding at all, and switching layouts only changes which file's samples follow.

    .venv/bin/python scripts/make_sandbox_media.py                          # every file
    .venv/bin/python scripts/make_sandbox_media.py --only cam2 --height 360 # one file

What each loop holds (the tables are ``RENDITIONS`` and ``LOOKS`` in
``app.sandbox.media.renditions``): every look (CAM 1, CAM 2, SLIDES, CAM 1 with CAM 2 PiP,
STANDBY) at every distinct picture size (270p, 360p shared by PVW/PGM/lsd, 720p, 1080p).

* video: H.264 High, yuv420p, BT.709, 25 fps, an IDR frame every second (fixed GOP, no scene cut,
  closed GOP), no B-frames (so PTS = DTS). 8 s = 200 frames. CBR with filler at the size's
  nominal bitrate, so the tiers' real bitrates follow their nominal order lld < lsd < lhd < lud
  even though a flat colour needs few bits; a fine film grain gives the encoder some detail.
  x264 runs with ``stitchable=1`` and the same settings for every look of a size, so their
  SPS/PPS are identical (checked here and on load): a stream can switch look at any IDR.
  The picture: the source's own background colour, its name large, the resolution, a frame
  counter, the time within the loop and a bar sweeping across the bottom; the PiP look adds a
  CAM 2 box lower right. Text comes from a 5x7 bitmap font drawn here (no fonts, no numpy, no
  Pillow needed).
* audio: AAC-LC stereo 48 kHz, 375 frames = exactly 8 s. Silence with a 200 ms beep at each
  second in the look's own pitch (an octave up at the loop start). The loop is cut from the
  middle of three encoded periods, so its seam is as clean as any other frame boundary.

``--fault-stills`` writes what the sandbox's media faults (``--media-fault``) need, derived at run
time without encoding: ``black_<height>p.264``, one black IDR access unit (AVCC, filler dropped)
per size, encoded with that size's settings so its SPS/PPS are the looks' own; and
``silence.aac``, one raw AAC-LC frame of digital silence with the looks' AudioSpecificConfig.

Output is deterministic: seeded grain and single-threaded x264, so re-running it on the same PyAV
build gives the same bytes. Run it again after changing the tables, and commit the files.
"""

from __future__ import annotations

import argparse
import array
import math
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.sandbox.media import amf0, flv  # noqa: E402
from app.sandbox.media.avc import (  # noqa: E402
    NAL_AUD,
    NAL_PPS,
    NAL_SEI,
    NAL_SPS,
    AacConfig,
    AvcConfig,
    join_avcc,
    nal_type,
    split_annexb,
    split_avcc,
)
from app.sandbox.media.renditions import (  # noqa: E402
    AAC_FRAME_SAMPLES,
    AUDIO_SAMPLE_RATE,
    FPS,
    GOP_FRAMES,
    INSET_BOX,
    LOOKS,
    LOOP_AUDIO_FRAMES,
    LOOP_SECONDS,
    LOOP_VIDEO_FRAMES,
    RENDITIONS,
    Look,
    Rendition,
)

OUT_DIR = ROOT / "resources" / "sandbox"
GRAIN = 6  # luma noise amplitude (+/-), keeps the encoder busy at every tier

# 5x7 bitmap font, one string of 7 rows of 5 columns per glyph.
_FONT_ROWS = {
    "0": "01110 10001 10011 10101 11001 10001 01110",
    "1": "00100 01100 00100 00100 00100 00100 01110",
    "2": "01110 10001 00001 00010 00100 01000 11111",
    "3": "11111 00010 00100 00010 00001 10001 01110",
    "4": "00010 00110 01010 10010 11111 00010 00010",
    "5": "11111 10000 11110 00001 00001 10001 01110",
    "6": "00110 01000 10000 11110 10001 10001 01110",
    "7": "11111 00001 00010 00100 01000 01000 01000",
    "8": "01110 10001 10001 01110 10001 10001 01110",
    "9": "01110 10001 10001 01111 00001 00010 01100",
    "A": "01110 10001 10001 11111 10001 10001 10001",
    "B": "11110 10001 10001 11110 10001 10001 11110",
    "C": "01110 10001 10000 10000 10000 10001 01110",
    "D": "11100 10010 10001 10001 10001 10010 11100",
    "E": "11111 10000 10000 11110 10000 10000 11111",
    "F": "11111 10000 10000 11110 10000 10000 10000",
    "G": "01110 10001 10000 10111 10001 10001 01111",
    "H": "10001 10001 10001 11111 10001 10001 10001",
    "I": "01110 00100 00100 00100 00100 00100 01110",
    "K": "10001 10010 10100 11000 10100 10010 10001",
    "L": "10000 10000 10000 10000 10000 10000 11111",
    "M": "10001 11011 10101 10101 10001 10001 10001",
    "N": "10001 10001 11001 10101 10011 10001 10001",
    "O": "01110 10001 10001 10001 10001 10001 01110",
    "P": "11110 10001 10001 11110 10000 10000 10000",
    "R": "11110 10001 10001 11110 10100 10010 10001",
    "S": "01111 10000 10000 01110 00001 00001 11110",
    "T": "11111 00100 00100 00100 00100 00100 00100",
    "U": "10001 10001 10001 10001 10001 10001 01110",
    "V": "10001 10001 10001 10001 10001 01010 00100",
    "W": "10001 10001 10001 10101 10101 10101 01010",
    "X": "10001 10001 01010 00100 01010 10001 10001",
    "Y": "10001 10001 01010 00100 00100 00100 00100",
    ":": "00000 01100 01100 00000 01100 01100 00000",
    ".": "00000 00000 00000 00000 00000 01100 01100",
    "-": "00000 00000 00000 11111 00000 00000 00000",
    " ": "00000 00000 00000 00000 00000 00000 00000",
}
FONT = {ch: [row for row in rows.split()] for ch, rows in _FONT_ROWS.items()}

Yuv = tuple[int, int, int]


def rgb_to_yuv(r: int, g: int, b: int) -> Yuv:
    """8-bit RGB to limited-range BT.709 Y'CbCr."""
    rf, gf, bf = r / 255, g / 255, b / 255
    y = 0.2126 * rf + 0.7152 * gf + 0.0722 * bf
    return (
        round(16 + 219 * y),
        round(128 + 224 * (bf - y) / 1.8556),
        round(128 + 224 * (rf - y) / 1.5748),
    )


WHITE = rgb_to_yuv(245, 245, 245)
DIM = rgb_to_yuv(90, 90, 90)
BLACK = rgb_to_yuv(10, 10, 10)
YELLOW = rgb_to_yuv(250, 210, 40)


class Canvas:
    """Three yuv420p planes as bytearrays with the strides of the target ``av.VideoFrame``."""

    def __init__(self, frame: av.VideoFrame) -> None:
        self.width, self.height = frame.width, frame.height
        self.strides = [plane.line_size for plane in frame.planes]
        self.planes = [bytearray(plane.buffer_size) for plane in frame.planes]

    def fill_background(self, colour: Yuv, grain: bytes | None) -> None:
        if grain is not None:
            self.planes[0][:] = grain
        else:
            self.planes[0][:] = bytes((colour[0],)) * len(self.planes[0])
        self.planes[1][:] = bytes((colour[1],)) * len(self.planes[1])
        self.planes[2][:] = bytes((colour[2],)) * len(self.planes[2])

    def rect(self, x: int, y: int, w: int, h: int, colour: Yuv) -> None:
        x0, y0 = max(0, x), max(0, y)
        x1, y1 = min(self.width, x + w), min(self.height, y + h)
        if x1 <= x0 or y1 <= y0:
            return
        self._fill(0, x0, y0, x1, y1, colour[0])
        cx0, cy0, cx1, cy1 = x0 // 2, y0 // 2, (x1 + 1) // 2, (y1 + 1) // 2
        self._fill(1, cx0, cy0, cx1, cy1, colour[1])
        self._fill(2, cx0, cy0, cx1, cy1, colour[2])

    def _fill(self, index: int, x0: int, y0: int, x1: int, y1: int, value: int) -> None:
        plane, stride = self.planes[index], self.strides[index]
        run = bytes((value,)) * (x1 - x0)
        for row in range(y0, y1):
            start = row * stride + x0
            plane[start : start + len(run)] = run

    def frame_box(self, x: int, y: int, w: int, h: int, t: int, colour: Yuv) -> None:
        self.rect(x, y, w, t, colour)
        self.rect(x, y + h - t, w, t, colour)
        self.rect(x, y, t, h, colour)
        self.rect(x + w - t, y, t, h, colour)

    def text(self, x: int, y: int, text: str, scale: int, colour: Yuv) -> int:
        """Draw ``text`` with its top-left at (x, y); returns the x after the last glyph."""
        for ch in text:
            rows = FONT[ch]
            for r, bits in enumerate(rows):
                c = 0
                while c < 5:  # merge horizontal runs of set pixels into one rectangle
                    if bits[c] == "1":
                        start = c
                        while c < 5 and bits[c] == "1":
                            c += 1
                        self.rect(x + start * scale, y + r * scale, (c - start) * scale, scale,
                                  colour)  # fmt: skip
                    else:
                        c += 1
            x += 6 * scale
        return x

    def to_frame(self, frame: av.VideoFrame) -> None:
        for plane, data in zip(frame.planes, self.planes, strict=True):
            plane.update(bytes(data))


def grain_table(level: int) -> bytes:
    span = 2 * GRAIN + 1
    return bytes(min(235, max(16, level + (b % span) - GRAIN)) for b in range(256))


def draw_frame(canvas: Canvas, rendition: Rendition, look: Look, index: int, grain: bytes) -> None:
    """Paint loop frame ``index`` of ``look`` at ``rendition``'s size."""
    w, h = canvas.width, canvas.height
    s = h / 360
    canvas.fill_background(rgb_to_yuv(*look.background), grain)
    margin = round(24 * s)

    big = max(1, round(14 * s))
    canvas.text(margin, margin, look.label, big, WHITE)
    small = max(1, round(4 * s))
    cap_y = margin + 7 * big + round(14 * s)
    canvas.text(margin, cap_y, f"{rendition.width}X{rendition.height}", small, WHITE)

    # Frame counter and clock below the caption, clear of the colour probes.
    seconds = index / FPS
    canvas.text(margin, round(180 * s), f"FRAME {index:03d}", small, WHITE)
    canvas.text(margin, round(216 * s), f"TIME {seconds:4.2f}", small, YELLOW)

    if look.inset is not None:
        inset = LOOKS[look.inset]
        bx, by, bw, bh = (round(f * d) for f, d in zip(INSET_BOX, (w, h, w, h), strict=True))
        canvas.rect(bx, by, bw, bh, rgb_to_yuv(*inset.background))
        canvas.frame_box(bx, by, bw, bh, max(1, round(3 * s)), WHITE)
        pad = round(10 * s)
        canvas.text(bx + pad, by + pad, inset.label, max(1, round(5 * s)), WHITE)

    # A bar sweeping across the bottom once per loop.
    bar_h = round(22 * s)
    bar_y = h - margin - bar_h
    canvas.rect(margin, bar_y, w - 2 * margin, bar_h, BLACK)
    pos = margin + round((w - 2 * margin - bar_h * 2) * index / (LOOP_VIDEO_FRAMES - 1))
    canvas.rect(pos, bar_y, bar_h * 2, bar_h, YELLOW)


@dataclass
class EncodedVideo:
    config: AvcConfig
    frames: list[tuple[bool, bytes]]  # (keyframe, AVCC access unit) per loop frame


def encode_video(rendition: Rendition, look: Look, *, black: bool = False) -> EncodedVideo:
    """Encode two loops and keep the second, so rate control has settled.

    ``black``: every frame is plain video black (Y=16), for the black fault still.
    """
    ctx = av.CodecContext.create("libx264", "w")
    ctx.width, ctx.height = rendition.width, rendition.height
    ctx.pix_fmt = "yuv420p"
    ctx.time_base = Fraction(1, FPS)
    ctx.framerate = Fraction(FPS, 1)
    ctx.bit_rate = rendition.video_bitrate
    kbps = rendition.video_bitrate // 1000
    ctx.options = {
        "preset": "medium",
        "profile": "high",
        "threads": "1",
        "x264-params": ":".join(
            (
                f"keyint={GOP_FRAMES}",
                f"min-keyint={GOP_FRAMES}",
                "scenecut=0",
                "bframes=0",
                "open-gop=0",
                # Same SPS/PPS for every look of a size, so streams can switch looks at an IDR.
                "stitchable=1",
                # CBR with filler: a flat colour needs few bits, but each tier must still
                # carry its nominal rate so the tiers' real bitrates stay ordered.
                "nal-hrd=cbr",
                "filler=1",
                f"vbv-maxrate={kbps}",
                f"vbv-bufsize={kbps}",
                "colorprim=bt709",
                "transfer=bt709",
                "colormatrix=bt709",
            )
        ),
    }
    rng = random.Random(f"sandbox-{look.key}-{rendition.height}")
    template = av.VideoFrame(rendition.width, rendition.height, "yuv420p")
    canvas = Canvas(template)
    table = grain_table(rgb_to_yuv(*look.background)[0])
    packets: list[Any] = []
    for n in range(2 * LOOP_VIDEO_FRAMES):
        index = n % LOOP_VIDEO_FRAMES
        if black:
            canvas.fill_background(rgb_to_yuv(0, 0, 0), None)
        else:
            grain = rng.randbytes(len(canvas.planes[0])).translate(table)
            draw_frame(canvas, rendition, look, index, grain)
        frame = av.VideoFrame(rendition.width, rendition.height, "yuv420p")
        canvas.to_frame(frame)
        frame.pts = n
        frame.time_base = ctx.time_base
        packets.extend(ctx.encode(frame))
    packets.extend(ctx.encode(None))
    if len(packets) != 2 * LOOP_VIDEO_FRAMES:
        raise SystemExit(f"{rendition.name}: expected {2 * LOOP_VIDEO_FRAMES} packets")

    sps: bytes | None = None
    pps: bytes | None = None
    frames: list[tuple[bool, bytes]] = []
    for n, packet in enumerate(packets[LOOP_VIDEO_FRAMES:]):
        keyframe = bool(packet.is_keyframe)
        if keyframe != (n % GOP_FRAMES == 0):
            raise SystemExit(f"{rendition.name}: frame {n} keyframe={keyframe}, GOP is not fixed")
        kept = []
        for nal in split_annexb(bytes(packet)):
            kind = nal_type(nal)
            if kind == NAL_SPS:
                sps = sps or nal
            elif kind == NAL_PPS:
                pps = pps or nal
            elif kind not in (NAL_AUD, NAL_SEI):
                kept.append(nal)
        frames.append((keyframe, join_avcc(kept)))
    if sps is None or pps is None:
        raise SystemExit(f"{rendition.name}: x264 gave no SPS/PPS in-band")
    return EncodedVideo(AvcConfig((sps,), (pps,), 4), frames)


def tone_samples(look: Look) -> array.array[float]:
    """One loop of mono audio: a short beep in the look's own pitch each second, silence between."""
    rate = AUDIO_SAMPLE_RATE
    base = look.tone_hz
    beep = int(0.2 * rate)
    fade = int(0.005 * rate)
    out = array.array("f", bytes(4 * rate * LOOP_SECONDS))
    for second in range(LOOP_SECONDS):
        freq = base * 2 if second == 0 else base
        start = second * rate
        for i in range(beep):
            env = min(1.0, i / fade, (beep - i) / fade)
            out[start + i] = 0.12 * env * math.sin(2 * math.pi * freq * i / rate)
    return out


def encode_audio(rendition: Rendition, look: Look) -> tuple[AacConfig, list[bytes]]:
    """Encode three periods of the loop and keep the middle one's 375 frames."""
    ctx = av.CodecContext.create("aac", "w")
    ctx.sample_rate = AUDIO_SAMPLE_RATE
    ctx.layout = "stereo"
    ctx.format = "fltp"
    ctx.bit_rate = rendition.audio_bitrate
    ctx.time_base = Fraction(1, AUDIO_SAMPLE_RATE)
    mono = tone_samples(look)
    packets: list[Any] = []
    for n in range(3 * LOOP_AUDIO_FRAMES):
        offset = (n % LOOP_AUDIO_FRAMES) * AAC_FRAME_SAMPLES
        chunk = mono[offset : offset + AAC_FRAME_SAMPLES].tobytes()
        frame = av.AudioFrame(format="fltp", layout="stereo", samples=AAC_FRAME_SAMPLES)
        for plane in frame.planes:
            plane.update(chunk)
        frame.sample_rate = AUDIO_SAMPLE_RATE
        frame.pts = n * AAC_FRAME_SAMPLES
        frame.time_base = ctx.time_base
        packets.extend(ctx.encode(frame))
    packets.extend(ctx.encode(None))
    start, end = LOOP_AUDIO_FRAMES * AAC_FRAME_SAMPLES, 2 * LOOP_AUDIO_FRAMES * AAC_FRAME_SAMPLES
    chosen = [bytes(p) for p in packets if p.pts is not None and start <= p.pts < end]
    if len(chosen) != LOOP_AUDIO_FRAMES:
        raise SystemExit(f"{rendition.name}: got {len(chosen)} AAC frames for one loop")
    config = AacConfig.parse(bytes(ctx.extradata or b""))
    return config, chosen


def flv_tags(
    rendition: Rendition, look: Look, video: EncodedVideo, aac: AacConfig, audio: list[bytes]
) -> Iterator[bytes]:
    yield flv.file_header()
    video_bytes = sum(len(au) for _, au in video.frames)
    audio_bytes = sum(len(f) for f in audio)
    metadata: dict[str, amf0.AmfValue] = {
        "duration": float(LOOP_SECONDS),
        "width": float(rendition.width),
        "height": float(rendition.height),
        "framerate": float(FPS),
        "videocodecid": 7.0,
        "videodatarate": video_bytes * 8 / LOOP_SECONDS / 1000,
        "audiocodecid": 10.0,
        "audiodatarate": audio_bytes * 8 / LOOP_SECONDS / 1000,
        "audiosamplerate": float(AUDIO_SAMPLE_RATE),
        "audiosamplesize": 16.0,
        "stereo": True,
        "look": look.key,
        "encoder": "casterdesk scripts/make_sandbox_media.py",
    }
    yield flv.tag(flv.TAG_SCRIPT, 0, flv.metadata_body(metadata))
    yield flv.tag(
        flv.TAG_VIDEO, 0, flv.video_body(True, flv.AVC_SEQUENCE_HEADER, video.config.record())
    )
    yield flv.tag(flv.TAG_AUDIO, 0, flv.audio_body(flv.AAC_SEQUENCE_HEADER, aac.record()))
    timeline: list[tuple[int, int, bytes]] = []
    for i, (keyframe, au) in enumerate(video.frames):
        body = flv.video_body(keyframe, flv.AVC_NALU, au)
        timeline.append((i * 1000 // FPS, 0, flv.tag(flv.TAG_VIDEO, i * 1000 // FPS, body)))
    for j, raw in enumerate(audio):
        ms = j * AAC_FRAME_SAMPLES * 1000 // AUDIO_SAMPLE_RATE
        timeline.append((ms, 1, flv.tag(flv.TAG_AUDIO, ms, flv.audio_body(flv.AAC_RAW, raw))))
    timeline.sort(key=lambda item: (item[0], item[1]))
    for _, _, data in timeline:
        yield data


NAL_FILLER = 12


def write_fault_stills(out: Path, by_height: dict[int, Rendition]) -> None:
    """The black IDR per size and the silent AAC frame (see the module docstring)."""
    reference = LOOKS["cam1"]
    for height, rendition in sorted(by_height.items()):
        black = encode_video(rendition, reference, black=True)
        if black.config.record() != encode_video(rendition, reference).config.record():
            raise SystemExit(f"{height}p: the black still's SPS/PPS differ from the looks'")
        keyframe, au = black.frames[0]
        assert keyframe
        nals = [n for n in split_avcc(au) if nal_type(n) != NAL_FILLER]
        path = out / f"black_{height}p.264"
        path.write_bytes(join_avcc(nals))
        print(f"{path.name}: {path.stat().st_size} bytes", flush=True)
    silent = Look("silent", "", (0, 0, 0), 0.0)  # a 0 Hz beep: every sample is exactly 0.0
    config, frames = encode_audio(RENDITIONS["pgm"], silent)
    if config.record() != encode_audio(RENDITIONS["pgm"], reference)[0].record():
        raise SystemExit("the silent frame's AudioSpecificConfig differs from the looks'")
    frame = frames[len(frames) // 2]
    (out / "silence.aac").write_bytes(frame)
    print(f"silence.aac: {len(frame)} bytes", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=sorted(LOOKS), action="append")
    parser.add_argument("--height", type=int, action="append", help="only these picture heights")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument(
        "--fault-stills", action="store_true", help="write only the black and silent stills"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    by_height: dict[int, Rendition] = {}
    for rendition in RENDITIONS.values():
        shared = by_height.setdefault(rendition.height, rendition)
        if (shared.width, shared.video_bitrate, shared.audio_bitrate) != (
            rendition.width,
            rendition.video_bitrate,
            rendition.audio_bitrate,
        ):
            raise SystemExit(f"{rendition.name} shares {shared.name}'s files but not its settings")
    if args.fault_stills:
        write_fault_stills(args.out, by_height)
        return
    for height, rendition in sorted(by_height.items()):
        if args.height and height not in args.height:
            continue
        headers: set[tuple[bytes, bytes]] = set()
        for key in args.only or list(LOOKS):
            look = LOOKS[key]
            started = time.monotonic()
            video = encode_video(rendition, look)
            aac, audio = encode_audio(rendition, look)
            headers.add((video.config.record(), aac.record()))
            data = b"".join(flv_tags(rendition, look, video, aac, audio))
            path = args.out / rendition.filename(key)
            path.write_bytes(data)
            video_kbps = sum(len(au) for _, au in video.frames) * 8 / LOOP_SECONDS / 1000
            print(
                f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
                f"{rendition.width}x{rendition.height} {len(data) / 1e6:.2f} MB, "
                f"video {video_kbps:.0f} kbit/s, {time.monotonic() - started:.1f} s",
                flush=True,
            )
        if len(headers) > 1:
            raise SystemExit(f"{height}p: the looks' codec headers differ; they cannot switch")


if __name__ == "__main__":
    main()
