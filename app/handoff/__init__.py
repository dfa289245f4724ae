"""The hand-off pack: a caster's play URLs as chat text, JSON, CSV or QR codes (no Qt).

What is handed off is the true URL unless masking is chosen (``mask=True`` hides ``auth_key``
values, for screenshots). Every URL carries its expiry, read from its ``auth_key`` with the
domain's validity period (``app.probe.expiry``); when that period is assumed, the pack says so.

Chat text is grouped by use, HLS (m3u8) first because phones and WeChat's built-in player cannot
play FLV; then HTTP-FLV for web players and PCs, RTMP for relays and broadcast tools, and the
PVW/PGM monitors last.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.probe.expiry import UrlExpiry, url_expiry
from app.probe.judge import TIER_NAMES_EN, TIER_NAMES_ZH, Output, iso

FORMATS = ("text", "json", "csv", "qr-png")
MASK = "<hidden>"
_AUTH_KEY_VALUE = re.compile(r"(auth_key=)[^&#\s]*", re.IGNORECASE)

# (format, English heading, Chinese heading), in the order a director hands them out.
_USES = (
    ("m3u8", "Phones and WeChat (HLS, m3u8)", "手机和微信（HLS，m3u8）"),
    ("flv", "Web players and PCs (HTTP-FLV)", "网页播放器和电脑（HTTP-FLV）"),
    ("rtmp", "Relays and broadcast tools (RTMP)", "转推和直播工具（RTMP）"),
)


def mask_url(url: str) -> str:
    """``url`` with every ``auth_key`` value replaced by ``<hidden>``."""
    return _AUTH_KEY_VALUE.sub(rf"\g<1>{MASK}", url)


def tier_name(tier: str | None, lang: str = "en") -> str:
    """``HD 高清`` for lhd (both names, English first unless ``lang`` is zh); the raw id else."""
    if tier not in TIER_NAMES_EN:
        return tier or ""
    en, zh = TIER_NAMES_EN[tier], TIER_NAMES_ZH[tier]
    return f"{zh} {en}" if lang == "zh" else f"{en} {zh}"


def local_time(timestamp: float) -> str:
    """``18:40 CST`` (today) or ``2026-12-01 18:40 CST``, in this computer's time zone."""
    moment = datetime.fromtimestamp(timestamp).astimezone()
    today = datetime.now().astimezone().date()
    stamp = (
        moment.strftime("%H:%M %Z")
        if moment.date() == today
        else moment.strftime("%Y-%m-%d %H:%M %Z")
    )
    return stamp.strip()


@dataclass(frozen=True, slots=True)
class HandoffItem:
    """One URL of the pack with its expiry."""

    output: Output
    expiry: UrlExpiry | None

    def url(self, mask: bool) -> str:
        return mask_url(self.output.url) if mask else self.output.url


@dataclass(frozen=True, slots=True)
class HandoffPack:
    """Everything handed off for one caster."""

    caster_id: str
    caster_name: str
    generated_at: float
    items: tuple[HandoffItem, ...]
    validity_s: int | None = None
    validity_assumed: bool = False

    @classmethod
    def build(
        cls,
        caster_id: str,
        caster_name: str,
        outputs: Sequence[Output],
        *,
        validity_s: int | None = None,
        now: float | None = None,
    ) -> HandoffPack:
        items = tuple(HandoffItem(o, url_expiry(o.url, validity_s)) for o in outputs)
        first = next((i.expiry for i in items if i.expiry is not None), None)
        return cls(
            caster_id,
            caster_name,
            time.time() if now is None else now,
            items,
            first.validity_s if first else validity_s,
            first.assumed if first else False,
        )

    def _grouped(self) -> list[tuple[str, str, list[HandoffItem]]]:
        groups = []
        for fmt, en, zh in _USES:
            chosen = [i for i in self.items if i.output.tier and i.output.format == fmt]
            if chosen:
                groups.append((en, zh, chosen))
        others = [
            i for i in self.items if i.output.tier and i.output.format not in {u[0] for u in _USES}
        ]
        if others:
            groups.append(("Other outputs", "其他输出", others))
        monitors = [i for i in self.items if not i.output.tier]
        if monitors:
            groups.append(
                ("Monitors (PVW preview, PGM program)", "监看（PVW 预览，PGM 节目）", monitors)
            )
        return groups

    def text(self, lang: str = "en", *, mask: bool = False) -> str:
        """Chat text for WeChat / DingTalk."""
        zh = lang == "zh"
        name = self.caster_name or self.caster_id
        when = local_time(self.generated_at)
        lines = [f"{name} · 播放地址 · {when}" if zh else f"{name} · play URLs · {when}"]
        for en_head, zh_head, items in self._grouped():
            lines += ["", zh_head if zh else en_head]
            for item in items:
                label = tier_name(item.output.tier, lang) or item.output.scene.upper()
                if item.output.tier and item.output.format == "rtmp":
                    label += " RTMP"
                if item.expiry is not None:
                    until = local_time(item.expiry.expires_at)
                    label += f"（有效至 {until}）" if zh else f" (valid until {until})"
                lines += [label, item.url(mask)]
        if self.validity_assumed and self.validity_s is not None:
            minutes = self.validity_s // 60
            lines += [
                "",
                f"注：有效期按域名鉴权有效时长 {minutes} 分钟估算。"
                if zh
                else f"Note: expiry assumes the domain's URL validity period is {minutes} min.",
            ]
        return "\n".join(lines) + "\n"

    def _records(self, mask: bool) -> list[dict[str, object]]:
        return [
            {
                "scene": i.output.scene,
                "tier": i.output.tier,
                "tier_name_en": TIER_NAMES_EN.get(i.output.tier or ""),
                "tier_name_zh": TIER_NAMES_ZH.get(i.output.tier or ""),
                "format": i.output.format,
                "url": i.url(mask),
                "expires_at": iso(i.expiry.expires_at) if i.expiry else None,
            }
            for i in self.items
        ]

    def json(self, *, mask: bool = False) -> str:
        data = {
            "caster_id": self.caster_id,
            "caster_name": self.caster_name,
            "generated_at": iso(self.generated_at),
            "url_validity_s": self.validity_s,
            "url_validity_assumed": self.validity_assumed,
            "outputs": self._records(mask),
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def csv(self, *, mask: bool = False) -> str:
        buffer = io.StringIO()
        fields = ["scene", "tier", "tier_name_en", "tier_name_zh", "format", "url", "expires_at"]
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\r\n")
        writer.writeheader()
        for record in self._records(mask):
            writer.writerow({k: "" if v is None else v for k, v in record.items()})
        return buffer.getvalue()

    def qr_pngs(self, folder: Path, *, mask: bool = False, scale: int = 6) -> list[Path]:
        """One QR code PNG per URL in ``folder`` (created), named after the output; returns the
        paths, monitors last. Uses ``segno`` (no imaging library needed)."""
        import segno  # noqa: PLC0415  (only this format needs it)

        folder.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        for item in [i for i in self.items if i.output.tier] + [
            i for i in self.items if not i.output.tier
        ]:
            o = item.output
            stem = "_".join(p for p in (o.scene, o.tier or "monitor", o.format) if p)
            path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', stem)}.png"
            segno.make(item.url(mask), error="m", micro=False).save(
                str(path), kind="png", scale=scale, border=4
            )
            written.append(path)
        return written
