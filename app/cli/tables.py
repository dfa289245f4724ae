"""Readable terminal tables for casters and scene URLs (CJK-aware column widths)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime

from app.api.explanations import Language
from app.api.models import (
    Caster,
    CasterLayouts,
    CasterScenes,
    StartResult,
    scene_role,
    sorted_stream_infos,
    tally,
)
from app.api.parsing import format_duration

NORM_TYPES = {0: "playlist", 1: "general", 3: "carousel", 4: "virtual", 6: "playlist"}
NORM_TYPES_ZH = {0: "轮播台", 1: "通用", 3: "轻量轮播", 4: "虚拟演播", 6: "轮播台"}


def display_width(text: str) -> int:
    """Terminal columns: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [display_width(h) for h in headers]
    for row in rows:
        widths = [max(w, display_width(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    return "\n".join(lines) + "\n"


def _date(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "-"


def status_text(caster: Caster, lang: Language = "en") -> str:
    if caster.is_streaming:
        label = "导播中" if lang == "zh" else "streaming"
        return f"{label} {format_duration(caster.duration)}" if caster.duration else label
    if caster.status == 0:
        return "空闲" if lang == "zh" else "idle"
    return str(caster.status)


def format_casters(casters: Sequence[Caster], lang: Language = "en") -> str:
    if not casters:
        return "没有导播台。\n" if lang == "zh" else "No casters.\n"
    types = NORM_TYPES_ZH if lang == "zh" else NORM_TYPES
    headers = (
        ["名称", "ID", "状态", "类型", "规格", "创建时间", "到期时间"]
        if lang == "zh"
        else ["NAME", "ID", "STATUS", "TYPE", "TEMPLATE", "CREATED", "EXPIRES"]
    )
    rows = [
        [
            c.name or "-",
            c.caster_id,
            status_text(c, lang),
            types.get(c.norm_type, str(c.norm_type)) if c.norm_type is not None else "-",
            c.template or "-",
            _date(c.create_time),
            _date(c.expire_time),
        ]
        for c in casters
    ]
    return render_table(headers, rows)


def format_scenes(result: StartResult, lang: Language = "en") -> str:
    """PVW and PGM monitor URLs, then PGM's outputs as a tier × format table."""
    lines: list[str] = []
    for label, scenes in (("PVW", result.pvw), ("PGM", result.pgm)):
        for scene in scenes:
            lines.append(f"{label}  SceneId {scene.scene_id}")
            lines.append(f"     {scene.stream_url or '-'}")
    outputs = [info for scene in result.pgm for info in scene.stream_infos]
    text = "\n".join(lines) + "\n"
    if outputs:
        headers = ["档位", "格式", "播放地址"] if lang == "zh" else ["TIER", "FORMAT", "URL"]
        rows = [
            [i.transcode_config, i.video_format, i.output_stream_url]
            for i in sorted_stream_infos(outputs)
        ]
        text += "\n" + render_table(headers, rows)
    if result.request_id:
        text += f"\nRequestId: {result.request_id}\n"
    return text


_TALLY_ZH = {"ON AIR": "播出中", "PREVIEW": "预览", "off": "未启动"}


def format_scene_table(
    scenes: CasterScenes, names: Mapping[str, str], lang: Language = "en"
) -> str:
    """PVW and PGM with their layout names and tally (ON AIR / PREVIEW)."""
    if not scenes.scenes:
        return (
            "没有场景：导播台尚未启动过。\n"
            if lang == "zh"
            else "No scenes: the caster has never been started.\n"
        )
    headers = (
        ["场景", "状态", "布局", "布局 ID", "场景 ID"]
        if lang == "zh"
        else ["SCENE", "TALLY", "LAYOUT", "LAYOUT ID", "SCENE ID"]
    )
    rows = []
    for scene in sorted(
        scenes.scenes, key=lambda s: -1 if s.output_type is None else s.output_type
    ):
        label = tally(scene)
        rows.append(
            [
                scene_role(scene) or scene.name or "-",
                _TALLY_ZH.get(label, label) if lang == "zh" else label,
                names.get(scene.layout_id or "", "-") if scene.layout_id else "-",
                scene.layout_id or "-",
                scene.scene_id,
            ]
        )
    return render_table(headers, rows)


def format_layouts(
    layouts: CasterLayouts,
    names: Mapping[str, str],
    scenes: CasterScenes | None,
    lang: Language = "en",
) -> str:
    """Every layout with its sources, and which scene shows it now."""
    if not layouts.layouts:
        return "没有布局。\n" if lang == "zh" else "No layouts.\n"
    used: dict[str, list[str]] = {}
    for scene in scenes.scenes if scenes else ():
        if scene.layout_id:
            used.setdefault(scene.layout_id, []).append(scene_role(scene) or scene.name)
    headers = (
        ["布局", "布局 ID", "画面", "当前场景"]
        if lang == "zh"
        else ["LAYOUT", "LAYOUT ID", "PICTURES", "ON"]
    )
    rows = [
        [
            names.get(layout.layout_id, layout.layout_id),
            layout.layout_id,
            str(len(layout.video_layers)),
            " ".join(sorted(used.get(layout.layout_id, []))) or "-",
        ]
        for layout in layouts.layouts
    ]
    return render_table(headers, rows)
