"""``casterdesk check`` (the playability matrix) and ``casterdesk handoff`` (the hand-off pack)."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.handoff import HandoffPack, local_time
from app.probe.engine import Prober, ProbeResult
from app.probe.expiry import validity_from_env
from app.probe.judge import Output, Verdict, caster_outputs, judge, summary

if TYPE_CHECKING:
    from app.cli.main import Cli

__all__ = ["format_matrix", "run_check", "run_handoff"]

EXIT_OK, EXIT_OUTPUTS = 0, 5
RETRY_INTERVAL_S = 1.0


def _validity(cli: Cli) -> tuple[int, bool]:
    """(seconds, assumed?) from --url-validity, the environment, or the default."""
    given = cli.options.url_validity
    if given is not None:
        if given <= 0:
            from app.cli.main import UsageError  # noqa: PLC0415  (main imports this module)

            raise UsageError("--url-validity must be a positive number of seconds")
        return int(given), False
    return validity_from_env()


def _outputs(cli: Cli) -> list[Output]:
    with cli.client() as client:
        urls = client.describe_caster_stream_url(cli.options.caster_id)
    return caster_outputs(urls)


def run_check(cli: Cli) -> int:
    """Probe every output; print the matrix; 0 when all play at the expected size, else 5."""
    from app.cli.main import UsageError  # noqa: PLC0415

    options = cli.options
    if options.wait < 0 or options.event_hours < 0:
        raise UsageError("--wait and --event-hours must be 0 or more")
    if not 1 <= options.concurrency <= 16:
        raise UsageError("--concurrency must be between 1 and 16")
    validity_s, assumed = _validity(cli)
    outputs = _outputs(cli)
    if not outputs:
        cli.say(
            f"{options.caster_id} has no outputs: it is not streaming. Start it first "
            f"(casterdesk start {options.caster_id}).",
            f"{options.caster_id} 没有输出：导播台未在直播。请先启动它"
            f"（casterdesk start {options.caster_id}）。",
        )
        return EXIT_OUTPUTS
    started = time.monotonic()
    results = _probe_until(cli, outputs, started + options.wait)
    elapsed = time.monotonic() - started
    verdicts = judge(outputs, results, event_hours=options.event_hours, validity_s=validity_s)
    if options.json:
        cli.print_json(
            {
                "caster_id": options.caster_id,
                "checked_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "outputs": [v.to_json() for v in verdicts],
                "elapsed_s": round(elapsed, 3),
                "url_validity_s": validity_s,
                "url_validity_assumed": assumed,
            }
        )
    else:
        cli.out.write(format_matrix(verdicts, cli.lang))
        cli.out.write(f"{summary(verdicts)} · {elapsed:.1f} s\n")
    if assumed:
        cli.say(
            f"Note: URL expiry assumes the streaming domain's validity period is "
            f"{validity_s // 60} min (the API does not report it); set --url-validity or "
            "CASTERDESK_URL_VALIDITY.",
            f"注意：URL 过期时间按播流域名鉴权有效时长 {validity_s // 60} 分钟估算（API 不提供该值）；"
            "可用 --url-validity 或 CASTERDESK_URL_VALIDITY 设置。",
        )
    return EXIT_OK if all(v.ok for v in verdicts) else EXIT_OUTPUTS


def _probe_until(cli: Cli, outputs: list[Output], deadline: float) -> list[ProbeResult]:
    """One probe of every output; with --wait, again for those that do not play, until all do
    or the deadline passes."""
    prober = Prober(concurrency=cli.options.concurrency)
    results = prober.probe_all([o.url for o in outputs])
    pause = threading.Event()  # never set: a bounded wait between rounds, not a sync point
    while True:
        failing = [i for i, r in enumerate(results) if not r.playable]
        if not failing or time.monotonic() + RETRY_INTERVAL_S >= deadline:
            return results
        pause.wait(RETRY_INTERVAL_S)
        again = prober.probe_all([outputs[i].url for i in failing])
        for index, result in zip(failing, again, strict=True):
            results[index] = result


def _cell(verdict: Verdict, lang: str) -> list[str]:
    r = verdict.result
    expires = local_time(verdict.expiry.expires_at) if verdict.expiry else "-"
    mark = "✓" if verdict.ok else ("✗" if not r.playable else "⚠")
    if not r.playable:
        problems = ", ".join(verdict.problems)
        return [
            mark,
            verdict.output.label,
            "-",
            "-",
            "-",
            "-",
            "-",
            "-",
            expires,
            f"{problems}: {r.reason}",
        ]
    return [
        mark,
        verdict.output.label,
        f"{r.width}×{r.height}",
        f"{r.fps:g}" if r.fps else "-",
        r.video_codec or "-",
        f"{r.bitrate_kbps:.0f}" if r.bitrate_kbps is not None else "-",
        r.audio_codec or ("无" if lang == "zh" else "none"),
        f"{r.first_frame_ms} ms" if r.first_frame_ms is not None else "-",
        expires,
        ", ".join(verdict.problems),
    ]


def format_matrix(verdicts: list[Verdict], lang: str = "en") -> str:
    """The playability matrix as a plain-text table."""
    head = (
        ["", "输出", "尺寸", "帧率", "视频", "kbit/s", "音频", "首帧", "过期", "问题"]
        if lang == "zh"
        else [
            "",
            "OUTPUT",
            "SIZE",
            "FPS",
            "VIDEO",
            "KBIT/S",
            "AUDIO",
            "FIRST",
            "EXPIRES",
            "PROBLEMS",
        ]
    )
    rows = [head] + [_cell(v, lang) for v in verdicts]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    return "\n".join(lines) + "\n"


def run_handoff(cli: Cli) -> int:
    """Write the hand-off pack in the chosen format."""
    from app.cli.main import UsageError  # noqa: PLC0415

    options = cli.options
    validity_s, assumed = _validity(cli)
    with cli.client() as client:
        urls = client.describe_caster_stream_url(options.caster_id)
        name = client.describe_caster_config(options.caster_id).name
    outputs = caster_outputs(urls)
    if not outputs:
        cli.say(
            f"{options.caster_id} has no outputs: it is not streaming.",
            f"{options.caster_id} 没有输出：导播台未在直播。",
        )
        return EXIT_OUTPUTS
    pack = replace(
        HandoffPack.build(options.caster_id, name, outputs, validity_s=validity_s),
        validity_assumed=assumed,
    )
    if options.format == "qr-png":
        if options.out == "-":
            raise UsageError("qr-png needs --out FOLDER")
        written = pack.qr_pngs(Path(options.out), mask=options.mask)
        cli.say(
            f"Wrote {len(written)} QR codes to {options.out}.",
            f"已将 {len(written)} 个二维码写入 {options.out}。",
        )
        return EXIT_OK
    if options.format == "json":
        text = pack.json(mask=options.mask)
    elif options.format == "csv":
        text = pack.csv(mask=options.mask)
    else:
        text = pack.text(cli.lang, mask=options.mask)
    if options.out == "-":
        cli.out.write(text)
        return EXIT_OK
    try:
        # newline="" keeps CSV's CRLF rows as written.
        Path(options.out).write_text(
            text, encoding="utf-8", newline="" if options.format == "csv" else None
        )
    except OSError as exc:
        raise UsageError(f"cannot write {options.out}: {exc.strerror or exc}") from None
    cli.say(f"Wrote {options.out}.", f"已写入 {options.out}。")
    return EXIT_OK
