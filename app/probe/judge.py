"""A caster's outputs, and what is wrong with each once probed (the playability matrix).

The outputs come from DescribeCasterStreamUrl: the PVW and PGM monitor URLs and PGM's bypass
``StreamInfos`` (a transcode tier in rtmp, flv or m3u8). The judgement gives each output a list
of stable problem words:

``unplayable``, ``wrong-size``, ``tier-order``, ``black``, ``frozen``, ``silent``, ``expired``,
``expires-soon``.

Sizes. A tier's label promises a picture height (the short side, so portrait streams count too).
Alibaba Cloud's standard templates are lld 360, lsd 432, lhd 648 and lud 1080 lines (width
follows the source); casters built on other templates use 270/360/720/1080. ``TIER_BANDS`` holds
both: a tier outside its band is ``wrong-size``. Among the outputs of one format whose size fits
their label, the sizes must grow lld < lsd < lhd < lud (by pixel count); one that does not is
``tier-order``. The two monitors have no label; a caster renders both scenes alike, so when their
sizes differ both are ``wrong-size`` (nothing says which one is right).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from app.api.models import TRANSCODE_TIERS, CasterStreamUrls, SceneInfo
from app.probe.engine import ProbeResult
from app.probe.expiry import UrlExpiry, url_expiry

PROBLEMS = (
    "unplayable",
    "wrong-size",
    "tier-order",
    "black",
    "frozen",
    "silent",
    "expired",
    "expires-soon",
)
# Short-side height bands (inclusive) each tier label allows.
TIER_BANDS: dict[str, tuple[int, int]] = {
    "lld": (1, 360),
    "lsd": (360, 540),
    "lhd": (541, 720),
    "lud": (721, 4320),
}
TIER_NAMES_EN = {"lld": "Fluent", "lsd": "SD", "lhd": "HD", "lud": "Ultra HD"}
TIER_NAMES_ZH = {"lld": "流畅", "lsd": "标清", "lhd": "高清", "lud": "超清"}
FORMATS = ("rtmp", "flv", "m3u8")


@dataclass(frozen=True, slots=True)
class Output:
    """One play URL of a caster: its scene, tier (None for the monitors) and format."""

    scene: str  # "pvw" or "pgm"
    tier: str | None
    format: str  # "rtmp", "flv", "m3u8" (or what the API said)
    url: str

    @property
    def label(self) -> str:
        """``PGM lhd FLV``, ``PVW RTMP``: how a person names it."""
        parts = [self.scene.upper()]
        if self.tier:
            parts.append(self.tier)
        parts.append(self.format.upper())
        return " ".join(parts)


def url_format(url: str) -> str:
    """``rtmp``, ``flv`` or ``m3u8`` from a URL's scheme and path."""
    head = url.split("?", 1)[0].lower()
    if head.startswith(("rtmp://", "rtmps://")):
        return "rtmp"
    if head.endswith(".m3u8"):
        return "m3u8"
    if head.endswith(".flv"):
        return "flv"
    return head.split("://", 1)[0] or "?"


def caster_outputs(urls: CasterStreamUrls) -> list[Output]:
    """Every play URL of a streaming caster: monitors first (PVW, PGM), then the tiers in
    order lld → lud, each as RTMP, FLV, m3u8."""
    monitors: list[Output] = []
    tiers: list[Output] = []
    for stream in sorted(urls.streams, key=lambda s: s.output_type or 0):
        scene = "pgm" if stream.output_type == 1 else "pvw"
        url = stream.stream_url or stream.rtmp_url or ""
        if url:
            monitors.append(Output(scene, None, url_format(url), url))
        for info in stream.stream_infos:
            fmt = info.video_format or url_format(info.output_stream_url)
            tiers.append(Output(scene, info.transcode_config or None, fmt, info.output_stream_url))

    def rank(output: Output) -> tuple[int, int]:
        tier = output.tier or ""
        return (
            TRANSCODE_TIERS.index(tier) if tier in TRANSCODE_TIERS else len(TRANSCODE_TIERS),
            FORMATS.index(output.format) if output.format in FORMATS else len(FORMATS),
        )

    return monitors + sorted(tiers, key=rank)


def scene_outputs(pvw: Sequence[SceneInfo], pgm: Sequence[SceneInfo]) -> list[Output]:
    """The same outputs as :func:`caster_outputs`, from a StartResult's scenes (the window
    holds those): monitors first (PVW, PGM), then PGM's tiers lld → lud, RTMP, FLV, m3u8."""
    monitors: list[Output] = []
    tiers: list[Output] = []
    for scene_name, scenes in (("pvw", pvw), ("pgm", pgm)):
        for scene in scenes:
            if scene.stream_url:
                monitors.append(
                    Output(scene_name, None, url_format(scene.stream_url), scene.stream_url)
                )
            for info in scene.stream_infos:
                fmt = info.video_format or url_format(info.output_stream_url)
                tiers.append(
                    Output(scene_name, info.transcode_config or None, fmt, info.output_stream_url)
                )
    return monitors + sorted(tiers, key=_rank)


def _rank(output: Output) -> tuple[int, int]:
    tier = output.tier or ""
    return (
        TRANSCODE_TIERS.index(tier) if tier in TRANSCODE_TIERS else len(TRANSCODE_TIERS),
        FORMATS.index(output.format) if output.format in FORMATS else len(FORMATS),
    )


@dataclass(slots=True)
class Verdict:
    """One output, its probe, its URL expiry and its problems."""

    output: Output
    result: ProbeResult
    expiry: UrlExpiry | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, object]:
        """The ``casterdesk check --json`` entry (no URL: it carries the auth_key)."""
        r = self.result
        return {
            "scene": self.output.scene,
            "tier": self.output.tier,
            "format": self.output.format,
            "playable": r.playable,
            "first_frame_ms": r.first_frame_ms,
            "width": r.width,
            "height": r.height,
            "fps": r.fps,
            "video_codec": r.video_codec,
            "audio": r.audio,
            "expires_at": iso(self.expiry.expires_at) if self.expiry else None,
            "problems": list(self.problems),
            "reason": r.reason or None,
            "audio_codec": r.audio_codec,
            "bitrate_kbps": r.bitrate_kbps,
        }


def iso(timestamp: float) -> str:
    """``2026-11-30T10:40:00Z``."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _short_side(result: ProbeResult) -> int:
    return min(result.width or 0, result.height or 0)


def judge(
    outputs: Sequence[Output],
    results: Sequence[ProbeResult],
    *,
    now: float | None = None,
    event_hours: float = 4.0,
    validity_s: int | None = None,
) -> list[Verdict]:
    """Problems of every output (same order), from its probe and its URL's expiry."""
    now = time.time() if now is None else now
    verdicts = [
        Verdict(o, r, url_expiry(o.url, validity_s)) for o, r in zip(outputs, results, strict=True)
    ]
    for v in verdicts:
        r = v.result
        if not r.playable:
            v.problems.append("unplayable")
            continue
        band = TIER_BANDS.get(v.output.tier or "")
        if band is not None and not band[0] <= _short_side(r) <= band[1]:
            v.problems.append("wrong-size")
        for word, flagged in (("black", r.black), ("frozen", r.frozen), ("silent", r.silent)):
            if flagged:
                v.problems.append(word)
    _judge_monitors([v for v in verdicts if v.output.tier is None and v.result.playable])
    _judge_order(verdicts)
    for v in verdicts:
        if v.expiry is not None:
            left = v.expiry.seconds_left(now)
            if left <= 0:
                v.problems.append("expired")
            elif left < event_hours * 3600:
                v.problems.append("expires-soon")
        v.problems.sort(key=PROBLEMS.index)
    return verdicts


def _judge_monitors(monitors: Iterable[Verdict]) -> None:
    listed = list(monitors)
    sizes = {(v.result.width, v.result.height) for v in listed}
    if len(sizes) > 1:
        for v in listed:
            v.problems.append("wrong-size")


def _judge_order(verdicts: Sequence[Verdict]) -> None:
    """``tier-order`` for tiers whose (label-conforming) size does not grow with the tier."""
    for fmt in {v.output.format for v in verdicts}:
        ranked = [
            v
            for v in verdicts
            if v.output.format == fmt
            and v.output.tier in TRANSCODE_TIERS
            and v.result.playable
            and "wrong-size" not in v.problems
        ]
        ranked.sort(key=lambda v: TRANSCODE_TIERS.index(v.output.tier or ""))
        area = [(v.result.width or 0) * (v.result.height or 0) for v in ranked]
        for i, v in enumerate(ranked):
            lower_ok = all(area[j] < area[i] for j in range(i))
            higher_ok = all(area[i] < area[j] for j in range(i + 1, len(ranked)))
            if not (lower_ok and higher_ok):
                v.problems.append("tier-order")


def summary(verdicts: Sequence[Verdict]) -> str:
    """``11 of 14 outputs play · lhd FLV: not found (HTTP 404)`` (first problem named)."""
    playing = sum(1 for v in verdicts if v.result.playable)
    text = f"{playing} of {len(verdicts)} outputs play"
    flagged = [v for v in verdicts if v.problems and set(v.problems) != {"expires-soon"}]
    if flagged:
        first = flagged[0]
        what = first.result.reason if not first.result.playable else ", ".join(first.problems)
        name = first.output.label.removeprefix("PGM ") if first.output.tier else first.output.label
        text += f" · {name}: {what}"
        if len(flagged) > 1:
            text += f" (+{len(flagged) - 1} more)"
    return text
