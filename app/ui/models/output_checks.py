"""How the playability matrix and URL expiry read in the window, in the UI's language.

The figures and verdicts come from :mod:`app.probe` (the same engine as ``casterdesk check``);
this module only words them: the ✓ / ⚠ / ✗ mark and short text of a status cell, its tooltip
(every figure and problem), the countdown of an expiry and the summary line over all outputs.

Expiry is judged *now*, not when the probe ran: a verdict's ``expires-soon``/``expired`` words
are dropped and worked out again from the URL's expiry, the current time and the event length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from app.handoff import local_time
from app.probe.expiry import UrlExpiry
from app.probe.judge import Output, Verdict
from app.ui.copy_text import format_name
from app.ui.names import tier_name

MARK_OK, MARK_WARN, MARK_FAIL = "✓", "⚠", "✗"
EXPIRY_WORDS = ("expired", "expires-soon")
DEFAULT_EVENT_HOURS = 4.0
# (scene, tier or None, format): how an output is found again after its URL was re-signed.
OutputKey = tuple[str, str | None, str]


def output_key(output: Output) -> OutputKey:
    return (output.scene, output.tier, output.format)


@dataclass(frozen=True, slots=True)
class ExpiryPolicy:
    """How long signed URLs last (``assumed`` when Caster Desk had to guess) and how long the
    event runs: a URL that expires before the event ends is flagged."""

    validity_s: int | None = None
    assumed: bool = True
    event_hours: float = DEFAULT_EVENT_HOURS

    def state(self, expiry: UrlExpiry | None, now: float) -> str:
        """``expired``, ``expires-soon`` or '' (fine, or never expires)."""
        if expiry is None:
            return ""
        left = expiry.seconds_left(now)
        if left <= 0:
            return "expired"
        if left < self.event_hours * 3600:
            return "expires-soon"
        return ""


def problem_name(word: str) -> str:
    """A stable problem word (``black``) in the UI's language."""
    names = {
        "unplayable": QCoreApplication.translate("OutputChecks", "does not play"),
        "wrong-size": QCoreApplication.translate("OutputChecks", "wrong size"),
        "tier-order": QCoreApplication.translate("OutputChecks", "tier sizes out of order"),
        "black": QCoreApplication.translate("OutputChecks", "black picture"),
        "frozen": QCoreApplication.translate("OutputChecks", "frozen picture"),
        "silent": QCoreApplication.translate("OutputChecks", "silent audio"),
        "expired": QCoreApplication.translate("OutputChecks", "URL expired"),
        "expires-soon": QCoreApplication.translate("OutputChecks", "URL expires during the event"),
    }
    return names.get(word, word)


def reason_text(reason: str) -> str:
    """The probe's reason (plain English words from app.probe.engine) in the UI's language."""
    reasons = {
        "not found (HTTP 404)": QCoreApplication.translate("OutputChecks", "not found (HTTP 404)"),
        "refused (HTTP 403: auth_key expired or wrong)": QCoreApplication.translate(
            "OutputChecks", "refused (HTTP 403: auth_key expired or wrong)"
        ),
        "refused (HTTP 401)": QCoreApplication.translate("OutputChecks", "refused (HTTP 401)"),
        "server error (HTTP 5xx)": QCoreApplication.translate(
            "OutputChecks", "server error (HTTP 5xx)"
        ),
        "refused (HTTP 4xx)": QCoreApplication.translate("OutputChecks", "refused (HTTP 4xx)"),
        "connection refused": QCoreApplication.translate("OutputChecks", "connection refused"),
        "refused by the RTMP server (stream not found or access denied)": QCoreApplication.translate(
            "OutputChecks", "refused by the RTMP server (stream not found or access denied)"
        ),
        "timed out": QCoreApplication.translate("OutputChecks", "timed out"),
        "not a playable stream (invalid data)": QCoreApplication.translate(
            "OutputChecks", "not a playable stream (invalid data)"
        ),
        "no video stream": QCoreApplication.translate("OutputChecks", "no video stream"),
        "no picture before the stream ended": QCoreApplication.translate(
            "OutputChecks", "no picture before the stream ended"
        ),
        "cancelled": QCoreApplication.translate("OutputChecks", "cancelled"),
    }
    return reasons.get(reason, reason)


def output_name(output: Output) -> str:
    """``HD FLV`` for a tier, ``PGM monitor`` for a monitor (readable, in the UI's language)."""
    if output.tier:
        return f"{tier_name(output.tier)} {format_name(output.format)}"
    if output.scene == "pvw":
        return QCoreApplication.translate("OutputChecks", "PVW monitor")
    return QCoreApplication.translate("OutputChecks", "PGM monitor")


def live_problems(verdict: Verdict, policy: ExpiryPolicy, now: float) -> list[str]:
    """The verdict's problems with the expiry judged again at ``now``."""
    words = play_problems(verdict)
    expiry = policy.state(verdict.expiry, now)
    return [*words, expiry] if expiry else words


def play_problems(verdict: Verdict) -> list[str]:
    """What the probe found wrong with the stream itself (expiry has its own column)."""
    return [p for p in verdict.problems if p not in EXPIRY_WORDS]


def mark(verdict: Verdict, policy: ExpiryPolicy, now: float) -> str:
    """✗ does not play, ⚠ plays with a problem, ✓ plays. The expiry is judged apart (the
    Expires column and the header), so a stream that plays well keeps its ✓."""
    if not verdict.result.playable:
        return MARK_FAIL
    return MARK_WARN if play_problems(verdict) else MARK_OK


def status_text(verdict: Verdict, policy: ExpiryPolicy, now: float) -> str:
    """``✓ 1280×720``, ``⚠ black picture``, ``✗ not found (HTTP 404)``."""
    symbol = mark(verdict, policy, now)
    result = verdict.result
    if not result.playable:
        return f"{symbol} {reason_text(result.reason)}"
    problems = play_problems(verdict)
    if problems:
        return f"{symbol} {', '.join(problem_name(p) for p in problems)}"
    return f"{symbol} {result.width}×{result.height}"


def countdown(seconds: float) -> str:
    """``3 h 20 min``, ``12 min``, ``45 s``; ``expired`` once past."""
    if seconds <= 0:
        return QCoreApplication.translate("OutputChecks", "expired")
    whole = int(seconds)
    if whole < 120:
        return QCoreApplication.translate("OutputChecks", "{0} s").format(whole)
    hours, minutes = divmod(whole // 60, 60)
    if hours >= 48:
        return QCoreApplication.translate("OutputChecks", "{0} days").format(hours // 24)
    if hours:
        return QCoreApplication.translate("OutputChecks", "{0} h {1} min").format(hours, minutes)
    return QCoreApplication.translate("OutputChecks", "{0} min").format(minutes)


def expiry_text(expiry: UrlExpiry | None, now: float) -> str:
    """The Expires cell: the countdown, or ``—`` for an unsigned URL."""
    return "—" if expiry is None else countdown(expiry.seconds_left(now))


def expiry_tooltip(expiry: UrlExpiry | None, policy: ExpiryPolicy, now: float) -> str:
    if expiry is None:
        return QCoreApplication.translate(
            "OutputChecks", "This URL carries no auth_key: it does not expire by signature."
        )
    lines = [
        QCoreApplication.translate("OutputChecks", "Valid until {0} ({1})").format(
            local_time(expiry.expires_at), countdown(expiry.seconds_left(now))
        )
    ]
    state = policy.state(expiry, now)
    if state == "expired":
        lines.append(
            QCoreApplication.translate(
                "OutputChecks",
                "Expired: players are refused. Refresh URLs (Caster menu) to get new ones.",
            )
        )
    elif state == "expires-soon":
        lines.append(
            QCoreApplication.translate(
                "OutputChecks",
                "Expires before a {0} h event ends: refresh the URLs before handing them off.",
            ).format(f"{policy.event_hours:g}")
        )
    if expiry.assumed:
        lines.append(
            QCoreApplication.translate(
                "OutputChecks",
                "Assumes the streaming domain's URL validity is {0} min (the API does not say; "
                "set CASTERDESK_URL_VALIDITY).",
            ).format(expiry.validity_s // 60)
        )
    return "\n".join(lines)


def status_tooltip(verdict: Verdict, policy: ExpiryPolicy, now: float) -> str:
    """Every figure of the probe and every problem, one a line."""
    r = verdict.result
    lines = [output_name(verdict.output)]
    if not r.playable:
        lines.append(
            QCoreApplication.translate("OutputChecks", "Does not play: {0}").format(
                reason_text(r.reason)
            )
        )
    else:
        lines.append(
            QCoreApplication.translate("OutputChecks", "First frame after {0} ms").format(
                r.first_frame_ms
            )
        )
        video = f"{r.video_codec or '?'} {r.width}×{r.height}"
        if r.fps:
            video += f" · {r.fps:.1f} fps"
        lines.append(QCoreApplication.translate("OutputChecks", "Video: {0}").format(video))
        if r.bitrate_kbps is not None:
            lines.append(
                QCoreApplication.translate("OutputChecks", "Bitrate: {0} kbit/s").format(
                    f"{r.bitrate_kbps:.0f}"
                )
            )
        lines.append(
            QCoreApplication.translate("OutputChecks", "Audio: {0}").format(r.audio_codec or "?")
            if r.audio
            else QCoreApplication.translate("OutputChecks", "Audio: none")
        )
    if verdict.expiry is not None:
        lines.append(
            QCoreApplication.translate("OutputChecks", "Valid until {0} ({1})").format(
                local_time(verdict.expiry.expires_at),
                countdown(verdict.expiry.seconds_left(now)),
            )
        )
    problems = live_problems(verdict, policy, now)
    if problems:
        lines.append(
            QCoreApplication.translate("OutputChecks", "Problems: {0}").format(
                ", ".join(problem_name(p) for p in problems)
            )
        )
    return "\n".join(lines)


def summary_text(verdicts: Sequence[Verdict]) -> str:
    """``13 of 14 outputs play · HD FLV: not found (HTTP 404) (+2 more)`` (expiry apart)."""
    playing = sum(1 for v in verdicts if v.result.playable)
    text = QCoreApplication.translate("OutputChecks", "{0} of {1} outputs play").format(
        playing, len(verdicts)
    )
    # The worst first: an output that does not play before one that plays badly.
    flagged = sorted((v for v in verdicts if play_problems(v)), key=lambda v: v.result.playable)
    if flagged:
        first = flagged[0]
        if not first.result.playable:
            what = reason_text(first.result.reason)
        else:
            what = ", ".join(problem_name(p) for p in play_problems(first))
        text += f" · {output_name(first.output)}: {what}"
        if len(flagged) > 1:
            text += " " + QCoreApplication.translate("OutputChecks", "(+{0} more)").format(
                len(flagged) - 1
            )
    return text


def header_expiry_text(expiry: UrlExpiry | None, policy: ExpiryPolicy, now: float) -> str:
    """The panel header's line about the earliest expiry ('' when no URL is signed)."""
    if expiry is None:
        return ""
    until = local_time(expiry.expires_at)
    state = policy.state(expiry, now)
    if state == "expired":
        return QCoreApplication.translate(
            "OutputChecks", "{0} URLs expired at {1}: refresh them"
        ).format(MARK_FAIL, until)
    left = countdown(expiry.seconds_left(now))
    if state == "expires-soon":
        # Short, for the header's room at 960 px: the time and the event length are in its
        # tooltip (expiry_tooltip).
        return QCoreApplication.translate("OutputChecks", "{0} URLs expire in {1}").format(
            MARK_WARN, left
        )
    return QCoreApplication.translate("OutputChecks", "URLs valid for {0}").format(left)
