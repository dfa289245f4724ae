"""The ``casterdesk`` command line: the same core as the GUI, for scripts and terminals.

Exit codes: 0 ok, 1 API error, 2 usage, 3 network/timeout/protocol, 4 credentials.
No failure prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import locale
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

from app import __version__
from app.api.client import LiveClient
from app.api.errors import ApiError, ConfigurationError, LiveError
from app.api.explanations import Language
from app.api.models import Caster, CasterList, StartResult
from app.cli.tables import format_casters, format_scenes
from app.credentials.connect import ClientOptions, connect
from app.credentials.errors import CredentialsError, NoCredentialsError
from app.redaction import RedactingFilter

EXIT_OK, EXIT_API, EXIT_USAGE, EXIT_TRANSPORT, EXIT_CREDENTIALS = 0, 1, 2, 3, 4
ENDPOINT_ENV = "CASTERDESK_ENDPOINT"


class UsageError(Exception):
    """Bad arguments: printed with the usage line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise UsageError(message)


def _global_options(defaults: bool) -> _Parser:
    """Global options, accepted before or after the sub-command."""
    parent = _Parser(add_help=False)
    default = None if defaults else argparse.SUPPRESS
    parent.add_argument("--profile", metavar="NAME", default=default, help="credentials profile")
    parent.add_argument("--region", metavar="ID", default=default, help="region, e.g. cn-shanghai")
    parent.add_argument(
        "--endpoint",
        metavar="URL",
        default=default,
        help=f"API endpoint (default live.aliyuncs.com, or ${ENDPOINT_ENV})",
    )
    parent.add_argument("--signature", choices=("v3", "v1"), default=default, help="signing")
    parent.add_argument(
        "--timeout", type=float, metavar="S", default=default, help="read timeout in seconds"
    )
    parent.add_argument(
        "-v", "--verbose", action="store_true", default=False if defaults else argparse.SUPPRESS
    )
    return parent


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="casterdesk",
        description="Caster Desk: list, start and stop ApsaraVideo Live production studios.",
        parents=[_global_options(defaults=True)],
        epilog="Run without a command to open the window; 'casterdesk gui --sandbox' tries it "
        "on the embedded sandbox.",
    )
    parser.add_argument("--version", action="version", version=f"casterdesk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub_parent = [_global_options(defaults=False)]

    casters = commands.add_parser("casters", parents=sub_parent, help="list production studios")
    casters.add_argument("--status", choices=("idle", "streaming"))
    casters.add_argument("--name", metavar="TEXT", help="filter by name (CasterName)")
    casters.add_argument("--json", action="store_true", help="print the API's JSON")

    start = commands.add_parser("start", parents=sub_parent, help="StartCaster, print the URLs")
    start.add_argument("caster_id", metavar="CASTER_ID")
    start.add_argument("--json", action="store_true", help="print the API's JSON")

    stop = commands.add_parser("stop", parents=sub_parent, help="StopCaster (ends live output)")
    stop.add_argument("caster_id", metavar="CASTER_ID")
    stop.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    urls = commands.add_parser("urls", parents=sub_parent, help="DescribeCasterStreamUrl")
    urls.add_argument("caster_id", metavar="CASTER_ID")
    urls.add_argument("--json", action="store_true", help="print the API's JSON")

    commands.add_parser(
        "sandbox", add_help=False, help="run the local sandbox API and media server"
    )
    commands.add_parser("gui", add_help=False, help="open the window (--sandbox to try it)")
    return parser


def cli_language() -> Language:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    code = locale.getlocale()[0] or ""
    return "zh" if code.lower().startswith("zh") else "en"


class Cli:
    """One invocation: parsed options, output streams, and a lazily built client."""

    def __init__(self, options: argparse.Namespace, out: TextIO, err: TextIO) -> None:
        self.options = options
        self.out = out
        self.err = err
        self.lang = cli_language()

    def client(self) -> LiveClient:
        options = self.options
        client_options = ClientOptions(timeout=options.timeout) if options.timeout else None
        client, _resolved = connect(
            options.profile,
            region_id=options.region,
            endpoint=options.endpoint or os.environ.get(ENDPOINT_ENV),
            signature_version=options.signature,
            options=client_options,
        )
        return client

    def print_json(self, data: Any) -> None:
        json.dump(data, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")

    # --- commands --------------------------------------------------------------------

    def casters(self) -> int:
        status = {"idle": 0, "streaming": 1}.get(self.options.status or "")
        with self.client() as client:
            result: CasterList = client.describe_all_casters(
                status=status, caster_name=self.options.name
            )
        if self.options.json:
            self.print_json(result.to_api())
        else:
            self.out.write(format_casters(result.casters, self.lang))
        return EXIT_OK

    def start(self) -> int:
        with self.client() as client:
            result: StartResult = client.start_caster(self.options.caster_id)
        if self.options.json:
            self.print_json(result.to_api())
        else:
            if result.confirmed_by:
                self.err.write(
                    f"StartCaster's answer was lost; {result.confirmed_by} confirms the "
                    "caster is streaming.\n"
                )
            self.out.write(format_scenes(result, self.lang))
        return EXIT_OK

    def urls(self) -> int:
        with self.client() as client:
            urls = client.describe_caster_stream_url(self.options.caster_id)
        if self.options.json:
            self.print_json(urls.to_api())
        else:
            self.out.write(format_scenes(urls.as_start_result(), self.lang))
        return EXIT_OK

    def stop(self) -> int:
        caster_id = self.options.caster_id
        with self.client() as client:
            if not self.options.yes:
                page = client.describe_casters(caster_id=caster_id)
                found: Caster | None = next(
                    (c for c in page.casters if c.caster_id == caster_id), None
                )
                name = f"{found.name} ({caster_id})" if found and found.name else caster_id
                if not self.confirm(f"Stop {name}? Its live output will end. [y/N] "):
                    self.err.write("Not stopped.\n")
                    return EXIT_OK
            result = client.stop_caster(caster_id)
        self.out.write(f"Stopped {caster_id}. RequestId: {result.request_id}\n")
        return EXIT_OK

    def confirm(self, question: str) -> bool:
        if not sys.stdin or not sys.stdin.isatty():
            raise UsageError("stop needs --yes when not run interactively")
        self.err.write(question)
        self.err.flush()
        return sys.stdin.readline().strip().lower() in ("y", "yes")

    # --- errors ----------------------------------------------------------------------

    def report_credentials(self, error: CredentialsError) -> None:
        zh = self.lang == "zh"
        if isinstance(error, NoCredentialsError):
            self.err.write(
                "错误：未找到阿里云访问凭证。依次尝试了：\n"
                if zh
                else "Error: no Alibaba Cloud credentials were found. Tried, in order:\n"
            )
            for attempt in error.tried:
                self.err.write(f"  - {attempt.source}: {attempt.reason.text(self.lang)}\n")
        else:
            self.err.write(f"Error: {error.message_zh if zh else error.message}\n")
        fix = error.fix_zh if zh else error.fix
        if fix:
            self.err.write(f"Fix: {fix}\n")

    def report(self, error: LiveError) -> int:
        text = error.explanation(self.lang)
        code = error.code if isinstance(error, ApiError) else type(error).__name__
        self.err.write(f"Error: {code}: {text.summary}\n")
        if text.fix:
            self.err.write(f"Fix: {text.fix}\n")
        if text.detail:
            label = (
                "Server string to sign"
                if isinstance(error, ApiError) and error.code == "SignatureDoesNotMatch"
                else "Detail"
            )
            self.err.write(f"{label}: {text.detail}\n")
        if error.request_id:
            self.err.write(f"RequestId: {error.request_id}\n")
        if isinstance(error, ApiError):
            return EXIT_API
        if isinstance(error, ConfigurationError):
            return EXIT_USAGE
        return EXIT_TRANSPORT


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("casterdesk")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)


def run_cli(argv: Sequence[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run one command; returns the exit code. Never raises for expected failures."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = list(argv)
    if args and args[0] == "sandbox":
        from app.sandbox.serve import run  # noqa: PLC0415  (only this command needs it)

        return int(run(args[1:]))
    try:
        options = build_parser().parse_args(args)
    except UsageError as exc:
        err.write(f"casterdesk: error: {exc}\n")
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    if not options.command:
        build_parser().print_help(out)
        return EXIT_USAGE
    _setup_logging(options.verbose)
    cli = Cli(options, out, err)
    handlers: dict[str, Callable[[], int]] = {
        "casters": cli.casters,
        "start": cli.start,
        "stop": cli.stop,
        "urls": cli.urls,
    }
    try:
        return handlers[options.command]()
    except UsageError as exc:
        err.write(f"casterdesk: error: {exc}\n")
        return EXIT_USAGE
    except CredentialsError as exc:
        cli.report_credentials(exc)
        return EXIT_CREDENTIALS
    except LiveError as exc:
        return cli.report(exc)
    except KeyboardInterrupt:
        err.write("Interrupted.\n")
        return 130
