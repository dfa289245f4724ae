"""``casterdesk sandbox``: run the sandbox in the foreground until Ctrl-C or SIGTERM.

The first line on stdout is one JSON object with everything a client needs (endpoint, demo
credentials, region, caster ids), so scripts and tests can read it and connect.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import json
import logging
import signal
import sys
import threading
from collections.abc import Mapping
from types import FrameType

from app.sandbox.announce import announce, env_lines, running_endpoint, withdraw
from app.sandbox.faults import FaultRule, parse_fault
from app.sandbox.media.media_faults import MediaFault, parse_media_fault
from app.sandbox.ratelimit import DEFAULT_LIMITS
from app.sandbox.runtime import Sandbox


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casterdesk sandbox",
        description=(
            "Run a local stand-in for the Alibaba Cloud Live caster API, with real RTMP, "
            "HTTP-FLV and HLS streams. It accepts well-known demo credentials."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--port", type=int, default=0, help="API port (default: a free one)")
    parser.add_argument(
        "--casters", type=int, default=0, metavar="N", help="add N generated casters"
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="SPEC",
        help=(
            "inject a fault, e.g. StartCaster:latency=0.5, '*:error=InternalError,rate=0.3', "
            "DescribeCasters:reset (also truncate, html, html200, slow=S, times=N, status=N); "
            "repeatable"
        ),
    )
    parser.add_argument(
        "--media-fault",
        action="append",
        default=[],
        metavar="SPEC",
        help=(
            "break one output of every caster: RENDITION[/FORMAT]:KIND with RENDITION pvw, pgm, "
            "lld, lsd, lhd or lud, FORMAT rtmp, flv or m3u8, KIND dead, black, frozen, silent, "
            "wrong-size or expire=SECONDS, e.g. lhd/flv:dead or lud:black; repeatable"
        ),
    )
    parser.add_argument(
        "--region",
        default=None,
        metavar="REGION_ID",
        help="the region whose casters it serves (default cn-shanghai); one without casters, "
        "e.g. us-west-1, fails Caster Desk's preflight",
    )
    parser.add_argument(
        "--clock-offset",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="run the server clock this far ahead (negative: behind), in its Date header and "
        "its timestamp check: 600 warns in the preflight, 1000 is refused",
    )
    parser.add_argument(
        "--no-rate-limits", action="store_true", help="turn per-API flow control off"
    )
    parser.add_argument(
        "--rate-limit",
        action="append",
        default=[],
        metavar="ACTION=QPS",
        help="change one action's calls-per-second limit; repeatable",
    )
    parser.add_argument("--media-port", type=int, default=0, help="HTTP-FLV/HLS port")
    parser.add_argument("--rtmp-port", type=int, default=0, help="RTMP port")
    parser.add_argument(
        "--no-media", action="store_true", help="sign stream URLs but serve no video"
    )
    parser.add_argument(
        "--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"]
    )
    parser.add_argument(
        "--print-env",
        action="store_true",
        help="do not serve: print export lines for the sandbox running in another terminal "
        '(eval "$(casterdesk sandbox --print-env)")',
    )
    return parser


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _rate_limits(no_limits: bool, overrides: list[str]) -> bool | Mapping[str, float]:
    if no_limits:
        return False
    limits: dict[str, float] = {}
    for item in overrides:
        action, sep, value = item.partition("=")
        if not sep or not action:
            raise ValueError(f"--rate-limit {item!r} is not ACTION=QPS")
        if action not in DEFAULT_LIMITS:
            known = ", ".join(sorted(DEFAULT_LIMITS))
            raise ValueError(f"--rate-limit: unknown action {action!r} (known: {known})")
        limits[action] = float(value)
        if limits[action] <= 0:
            raise ValueError("--rate-limit needs a positive number")
    return limits or True


def run(argv: list[str]) -> int:
    """Serve until interrupted. Returns the process exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed by argparse
        return int(exc.code or 0)
    if args.print_env:
        endpoint = running_endpoint()
        if endpoint is None:
            print(
                "casterdesk sandbox: no sandbox is running; start one with "
                "'casterdesk sandbox' in another terminal first.",
                file=sys.stderr,
            )
            return 1
        sys.stdout.write(env_lines(endpoint))
        return 0
    logging.basicConfig(level=args.log_level, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.casters < 0:
            raise ValueError("--casters must be 0 or more")
        faults: list[FaultRule | str] = [parse_fault(spec) for spec in args.fault]
        media_faults: list[MediaFault | str] = [parse_media_fault(s) for s in args.media_fault]
        rate_limits = _rate_limits(args.no_rate_limits, args.rate_limit)
    except ValueError as exc:
        print(f"casterdesk sandbox: {exc}", file=sys.stderr)
        return 2

    if not _is_loopback(args.host):
        print(
            f"WARNING: the sandbox is listening on {args.host}, not only on this computer. "
            "It accepts well-known demo credentials, so anyone who can reach this address "
            "can use it.",
            file=sys.stderr,
            flush=True,
        )

    stop = threading.Event()
    previous: dict[signal.Signals, object] = {}

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    in_main_thread = threading.current_thread() is threading.main_thread()
    if in_main_thread:
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, on_signal)

    sandbox = Sandbox(
        casters=args.casters,
        faults=faults,
        rate_limits=rate_limits,
        host=args.host,
        port=args.port,
        media=not args.no_media,
        media_http_port=args.media_port,
        rtmp_port=args.rtmp_port,
        media_faults=media_faults,
        **({"region_id": args.region} if args.region else {}),
    )
    sandbox.clock_offset = args.clock_offset
    try:
        try:
            sandbox.start()
        except (OSError, RuntimeError) as exc:
            print(f"casterdesk sandbox: could not start: {exc}", file=sys.stderr)
            return 1
        banner = {
            "endpoint": sandbox.endpoint,
            "access_key_id": sandbox.access_key_id,
            "access_key_secret": sandbox.access_key_secret,
            "region_id": sandbox.region_id,
            "caster_ids": sandbox.caster_ids,
            "url_validity_s": sandbox.url_validity_s,
            "media_faults": [str(f) for f in sandbox.media_faults],
        }
        with contextlib.suppress(OSError):
            announce(sandbox.endpoint)
        with contextlib.suppress(BrokenPipeError):
            print(json.dumps(banner, ensure_ascii=False), flush=True)
        print(
            f"Sandbox API on {sandbox.endpoint} (region {sandbox.region_id}, "
            f"{len(sandbox.caster_ids)} casters). Press Ctrl-C to stop. In another "
            """terminal, eval "$(casterdesk sandbox --print-env)" points the CLI here.""",
            file=sys.stderr,
            flush=True,
        )
        while not stop.wait(0.5):
            if not sandbox.running:
                print("casterdesk sandbox: the server stopped unexpectedly", file=sys.stderr)
                return 1
        return 0
    finally:
        withdraw()
        sandbox.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
