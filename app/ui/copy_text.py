"""What "Copy all" puts on the clipboard: plain text for a chat, or JSON. No Qt here.

The text is grouped the way a director reads it out: caster, PVW monitor, PGM monitor, then
the PGM outputs tier by tier (lld → lud), one URL per line, every URL complete with its
auth_key (these texts are meant to be handed over; they never go to a log).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from app.api.models import SceneInfo, StartResult, sorted_stream_infos

FORMAT_NAMES = {"rtmp": "RTMP", "flv": "FLV", "m3u8": "HLS (m3u8)"}


@dataclass(frozen=True, slots=True)
class TextLabels:
    """The words of the plain-text form (the UI passes translated ones)."""

    caster: str = "Caster"
    pvw: str = "PVW (preview) monitor"
    pgm: str = "PGM (program) monitor"
    outputs: str = "PGM outputs"
    scene: str = "scene"
    request_id: str = "RequestId"
    # Readable tier names ("lhd" → "HD"); a tier without one shows its code.
    tier_names: Mapping[str, str] = field(default_factory=dict)


# The note a heading gets for the URLs under it, e.g. " · valid until 18:40 CST" ("" for none).
UrlsNote = Callable[[Sequence[str]], str]


def format_name(video_format: str) -> str:
    """ "flv" → "FLV"; unknown formats upper-cased."""
    return FORMAT_NAMES.get(video_format.lower(), video_format.upper() or "?")


def _scene_heading(label: str, scene: SceneInfo, index: int, count: int, labels: TextLabels) -> str:
    number = f" {index + 1}" if count > 1 else ""
    return f"{label}{number} ({labels.scene} {scene.scene_id}):"


def copy_all_text(
    caster_name: str,
    result: StartResult,
    labels: TextLabels | None = None,
    note: UrlsNote | None = None,
) -> str:
    """Every URL of ``result``, grouped and labelled, ready to paste into a chat.

    ``note`` adds to each heading what holds for the URLs under it (their expiry): on the
    heading, so that every URL stays alone on its line, whole, for the chat to link it.
    """
    words = labels or TextLabels()
    noted = note or (lambda _urls: "")
    lines = [f"{words.caster}: {caster_name}"]
    for label, scenes in ((words.pvw, result.pvw), (words.pgm, result.pgm)):
        for i, scene in enumerate(scenes):
            lines.append("")
            heading = _scene_heading(label, scene, i, len(scenes), words)
            urls = [scene.stream_url] if scene.stream_url else []
            lines.append(f"{heading.removesuffix(':')}{noted(urls)}:")
            lines.append(scene.stream_url or "-")
    for i, scene in enumerate(result.pgm):
        if not scene.stream_infos:
            continue
        lines.append("")
        number = f" {i + 1}" if len(result.pgm) > 1 else ""
        lines.append(f"{words.outputs}{number}:")
        infos = sorted_stream_infos(scene.stream_infos)
        tier = None
        for info in infos:
            if info.transcode_config != tier:
                tier = info.transcode_config
                name = words.tier_names.get(tier, tier) or "?"
                urls = [i.output_stream_url for i in infos if i.transcode_config == tier]
                lines.append(f"[{name}]{noted(urls)}")
            lines.append(f"{format_name(info.video_format)}: {info.output_stream_url}")
    if result.request_id:
        lines.append("")
        lines.append(f"{words.request_id}: {result.request_id}")
    return "\n".join(lines) + "\n"


def copy_all_json(caster_name: str, result: StartResult) -> str:
    """The API's own shape (``StartResult.to_api()``) with the caster name added."""
    data = {"CasterName": caster_name, **result.to_api()}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def pgm_urls_text(result: StartResult) -> str:
    """Just the PGM URLs, one per line (monitor first, then outputs lld → lud)."""
    urls: list[str] = []
    for scene in result.pgm:
        if scene.stream_url:
            urls.append(scene.stream_url)
        urls.extend(i.output_stream_url for i in sorted_stream_infos(scene.stream_infos))
    return "\n".join(urls) + ("\n" if urls else "")
