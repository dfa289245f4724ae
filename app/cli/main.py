"""The ``casterdesk`` command line: the same core as the GUI, for scripts and terminals.

Exit codes: 0 ok, 1 API error, 2 usage, 3 network/timeout/protocol, 4 credentials,
5 ``check`` found an output that does not play or is flagged. No failure prints a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import locale
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn, TextIO

from app import __version__
from app.api.client import LiveClient, is_alibaba_host
from app.api.errors import ApiError, ConfigurationError, LiveError
from app.api.explanations import Language
from app.api.models import (
    Caster,
    CasterLayouts,
    CasterList,
    CasterScenes,
    OutputType,
    Scene,
    SceneChange,
    StartResult,
    layout_names,
    tally,
)
from app.cli.tables import format_casters, format_layouts, format_scene_table, format_scenes
from app.credentials.connect import ENDPOINT_ENV, ClientOptions, connect
from app.credentials.errors import CredentialsError, NoCredentialsError
from app.probe.expiry import DEFAULT_URL_VALIDITY_S, VALIDITY_ENV
from app.redaction import RedactingFilter, escape_controls

EXIT_OK, EXIT_API, EXIT_USAGE, EXIT_TRANSPORT, EXIT_CREDENTIALS = 0, 1, 2, 3, 4
EXIT_OUTPUTS = 5
HANDOFF_FORMATS = ("text", "json", "csv", "qr-png")  # app.handoff.FORMATS, without importing it


class UsageError(Exception):
    """Bad arguments: printed with the usage line, exit 2."""


class _SafeWriter:
    """A text stream that escapes control characters: hostile names or codes cannot drive the
    terminal (ESC, BEL, CSI/OSC). URLs print whole; only control characters change."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(escape_controls(text))

    def flush(self) -> None:
        self.stream.flush()


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
        description="Caster Desk: list, start, stop and direct ApsaraVideo Live production studios.",
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

    scenes = commands.add_parser(
        "scenes", parents=sub_parent, help="PVW and PGM with their layouts (ON AIR / PREVIEW)"
    )
    scenes.add_argument("caster_id", metavar="CASTER_ID")
    scenes.add_argument("--json", action="store_true", help="print the API's JSON")

    layouts = commands.add_parser("layouts", parents=sub_parent, help="the caster's layouts")
    layouts.add_argument("caster_id", metavar="CASTER_ID")
    layouts.add_argument("--json", action="store_true", help="print the API's JSON")

    pvw = commands.add_parser("pvw", parents=sub_parent, help="put a layout on preview (PVW)")
    pvw.add_argument("caster_id", metavar="CASTER_ID")
    pvw.add_argument("--layout", required=True, metavar="LAYOUT_ID_OR_NAME", help='e.g. "CAM 2"')

    take = commands.add_parser("take", parents=sub_parent, help="Take: PVW's layout to PGM")
    take.add_argument("caster_id", metavar="CASTER_ID")

    standby = commands.add_parser(
        "standby", parents=sub_parent, help="cut PGM to the standby source"
    )
    standby.add_argument("caster_id", metavar="CASTER_ID")
    standby.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    check = commands.add_parser(
        "check",
        parents=sub_parent,
        help="probe every output URL of a streaming caster (exit 5 if any is bad)",
        description="Probe every play URL of a streaming caster (from DescribeCasterStreamUrl; "
        "never starts it): does it play, size, fps, codecs, bitrate, audio, black, frozen or "
        "silent picture/sound, URL expiry. Exit 0 when all play at the expected size, 5 when "
        "any is unplayable or flagged.",
    )
    check.add_argument("caster_id", metavar="CASTER_ID")
    check.add_argument("--json", action="store_true", help="print the matrix as JSON")
    check.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="keep probing outputs that do not play until all do or SECONDS pass",
    )
    check.add_argument(
        "--event-hours",
        type=float,
        default=4.0,
        metavar="H",
        help="flag URLs that expire within H hours (default 4)",
    )
    _validity_option(check)
    check.add_argument(
        "--concurrency", type=int, default=4, metavar="N", help="probes at once (default 4)"
    )

    handoff = commands.add_parser(
        "handoff",
        parents=sub_parent,
        help="write the hand-off pack: chat text, JSON, CSV or QR codes of the play URLs",
    )
    handoff.add_argument("caster_id", metavar="CASTER_ID")
    handoff.add_argument("--format", choices=HANDOFF_FORMATS, default="text")
    handoff.add_argument(
        "--out",
        required=True,
        metavar="PATH",
        help="file to write ('-' for stdout); for qr-png a folder (one PNG per URL)",
    )
    handoff.add_argument(
        "--mask", action="store_true", help="hide auth_key values (for screenshots)"
    )
    _validity_option(handoff)

    commands.add_parser(
        "sandbox", add_help=False, help="run the local sandbox API and media server"
    )
    commands.add_parser("gui", add_help=False, help="open the window (--sandbox to try it)")
    return parser


def _validity_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url-validity",
        type=int,
        metavar="SECONDS",
        help="the streaming domain's URL validity period, which the caster API does not report "
        f"(default ${VALIDITY_ENV}, else {DEFAULT_URL_VALIDITY_S} s, marked as assumed)",
    )


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
        self.raw_out = out
        self.out = _SafeWriter(out)
        self.err = _SafeWriter(err)
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
        if not is_alibaba_host(client.url.host):
            self.say(
                f"Note: signed requests go to {client.url.host}, not to Alibaba Cloud "
                "(set by --endpoint, CASTERDESK_ENDPOINT or the profile).",
                f"注意：签名请求将发往 {client.url.host}，而不是阿里云"
                "（由 --endpoint、CASTERDESK_ENDPOINT 或配置档指定）。",
            )
        return client

    def say(self, en: str, zh: str) -> None:
        """One line on stderr, in the CLI's language."""
        self.err.write((zh if self.lang == "zh" else en) + "\n")

    def print_json(self, data: Any) -> None:
        # json escapes C0 controls itself; C1 ones (CSI is \x9b) pass through ensure_ascii=False.
        text = json.dumps(data, ensure_ascii=False, indent=2)
        self.raw_out.write(
            "".join(f"\\u{ord(c):04x}" if 0x7F <= ord(c) <= 0x9F else c for c in text)
        )
        self.raw_out.write("\n")

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
        if result.stopped_early == "cap":
            self.say(
                f"Note: the server claims {result.total} casters; listing stopped at the first "
                f"{len(result.casters)}.",
                f"注意：服务器声称有 {result.total} 个导播台，列表在前 {len(result.casters)} 个处停止。",
            )
        elif result.stopped_early:
            self.say(
                f"Note: the server claims {result.total} casters, but its pages ended after "
                f"{len(result.casters)}; these are all it returned.",
                f"注意：服务器声称有 {result.total} 个导播台，但分页在 {len(result.casters)} 个后结束；"
                "以上是它返回的全部。",
            )
        return EXIT_OK

    def find_caster(self, client: LiveClient, wanted: str) -> Caster | str:
        """The caster whose name is exactly ``wanted``, or why none is, with a suggestion."""
        casters = client.describe_all_casters().casters
        named = [c for c in casters if c.name == wanted]
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            ids = ", ".join(c.caster_id for c in named)
            return f"{len(named)} casters are named {wanted!r}; use an ID: {ids}"
        by_key = {c.caster_id: c for c in casters} | {c.name: c for c in casters if c.name}
        close = difflib.get_close_matches(wanted, list(by_key), n=1, cutoff=0.6)
        hint = (
            f"; did you mean {by_key[close[0]].caster_id} ({by_key[close[0]].name})?"
            if close
            else ""
        )
        return f"no caster has the ID or name {wanted!r}{hint}"

    def start(self) -> int:
        wanted = self.options.caster_id
        with self.client() as client:
            try:
                result: StartResult = client.start_caster(wanted)
            except ApiError as error:
                if error.code != "InvalidCaster.NotFound":
                    raise
                try:
                    caster = self.find_caster(client, wanted)  # a name instead of an ID?
                except LiveError:
                    raise error from None  # the list is out of reach: report the first answer
                if isinstance(caster, str):
                    self.err.write(f"Error: StartCaster: {error.code}: {caster}\n")
                    if error.request_id:
                        self.err.write(f"RequestId: {error.request_id}\n")
                    return EXIT_API
                self.say(
                    f"Starting {caster.name} ({caster.caster_id}).",
                    f"正在启动 {caster.name}（{caster.caster_id}）。",
                )
                result = client.start_caster(caster.caster_id)
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
        if result.confirmed_by:
            self.out.write(
                f"Stopped {caster_id} (confirmed by re-reading the caster: StopCaster's answer "
                "was lost).\n"
            )
        else:
            self.out.write(f"Stopped {caster_id}. RequestId: {result.request_id}\n")
        return EXIT_OK

    def confirm(self, question: str) -> bool:
        if not sys.stdin or not sys.stdin.isatty():
            raise UsageError(f"{self.options.command} needs --yes when not run interactively")
        self.err.write(question)
        self.err.flush()
        return sys.stdin.readline().strip().lower() in ("y", "yes")

    # --- directing ------------------------------------------------------------------

    def _names(self, client: LiveClient, caster_id: str) -> tuple[CasterLayouts, dict[str, str]]:
        layouts = client.describe_caster_layouts(caster_id)
        resources = client.describe_caster_video_resources(caster_id)
        return layouts, layout_names(layouts.layouts, resources.resources)

    def scenes(self) -> int:
        caster_id = self.options.caster_id
        with self.client() as client:
            scenes = client.describe_caster_scenes(caster_id)
            _, names = self._names(client, caster_id)
        if self.options.json:
            data = scenes.to_api()
            for item, scene in zip(data["SceneList"], scenes.scenes, strict=True):
                item["LayoutName"] = names.get(scene.layout_id or "")
                item["Tally"] = tally(scene)
            self.print_json(data)
        else:
            self.out.write(format_scene_table(scenes, names, self.lang))
        return EXIT_OK

    def layouts(self) -> int:
        caster_id = self.options.caster_id
        with self.client() as client:
            layouts, names = self._names(client, caster_id)
            scenes = client.describe_caster_scenes(caster_id)
        if self.options.json:
            self.print_json(
                {
                    "RequestId": layouts.request_id,
                    "Total": len(layouts.layouts),
                    "Layouts": [
                        {**x.to_api(), "LayoutName": names.get(x.layout_id)}
                        for x in layouts.layouts
                    ],
                }
            )
        else:
            self.out.write(format_layouts(layouts, names, scenes, self.lang))
        return EXIT_OK

    def _scene(self, scenes: CasterScenes, kind: OutputType) -> Scene:
        scene = scenes.pvw if kind == OutputType.PREVIEW else scenes.pgm
        if scene is None:
            raise UsageError(
                f"{self.options.caster_id} has no {'PVW' if kind == 0 else 'PGM'} scene yet; "
                f"start it first (casterdesk start {self.options.caster_id})"
            )
        return scene

    def pvw(self) -> int:
        caster_id = self.options.caster_id
        wanted = self.options.layout.strip()
        with self.client() as client:
            layouts, names = self._names(client, caster_id)
            layout_id = resolve_layout(wanted, layouts, names)
            scene = self._scene(client.describe_caster_scenes(caster_id), OutputType.PREVIEW)
            result = client.update_caster_scene_config(caster_id, scene.scene_id, layout_id)
        self._confirmed(result)
        self.out.write(
            f"PVW: {names.get(layout_id, layout_id)} ({layout_id}). "
            f"RequestId: {result.request_id}\n"
        )
        return EXIT_OK

    def take(self) -> int:
        caster_id = self.options.caster_id
        with self.client() as client:
            scenes = client.describe_caster_scenes(caster_id)
            pvw = self._scene(scenes, OutputType.PREVIEW)
            pgm = self._scene(scenes, OutputType.PROGRAM)
            result = client.take(caster_id, pvw.scene_id, pgm.scene_id)
            try:  # only for the message: the Take itself is done
                names = self._names(client, caster_id)[1]
            except LiveError:
                names = {}
        self._confirmed(result)
        name = names.get(pvw.layout_id or "", pvw.layout_id or "-")
        self.out.write(f"PGM (ON AIR): {name}. RequestId: {result.request_id}\n")
        return EXIT_OK

    def standby(self) -> int:
        caster_id = self.options.caster_id
        if not self.options.yes and not self.confirm(
            f"Cut PGM of {caster_id} to standby? Viewers will see the standby source "
            "until the next Take. [y/N] "
        ):
            self.err.write("Not switched.\n")
            return EXIT_OK
        with self.client() as client:
            pgm = self._scene(client.describe_caster_scenes(caster_id), OutputType.PROGRAM)
            result = client.effect_caster_urgent(caster_id, pgm.scene_id)
        self._confirmed(result)
        self.out.write(f"PGM (ON AIR): STANDBY. RequestId: {result.request_id}\n")
        return EXIT_OK

    def _confirmed(self, result: SceneChange) -> None:
        if result.confirmed_by:
            self.err.write(
                f"{result.action}'s answer was lost; {result.confirmed_by} confirms the change.\n"
            )

    def check(self) -> int:
        # Imported here: PyAV (FFmpeg) loads only for the commands that decode.
        from app.cli.outputs import run_check  # noqa: PLC0415

        return run_check(self)

    def handoff(self) -> int:
        from app.cli.outputs import run_handoff  # noqa: PLC0415

        return run_handoff(self)

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
        fix = error.fix_for(self.lang, "cli")
        if fix:
            self.err.write(f"Fix: {fix}\n")

    def report(self, error: LiveError) -> int:
        text = error.explanation(self.lang, "cli")
        code = error.code if isinstance(error, ApiError) else type(error).__name__
        action = f"{error.action}: " if error.action else ""
        self.err.write(f"Error: {action}{code}: {text.summary}\n")
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


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def resolve_layout(wanted: str, layouts: CasterLayouts, names: Mapping[str, str]) -> str:
    """A layout id from an id or a name ("CAM 2", "cam 1 + cam 2 (pip)"); UsageError otherwise."""
    if layouts.find(wanted) is not None:
        return wanted
    matches = [i for i, name in names.items() if _normal(name) == _normal(wanted)]
    if len(matches) == 1:
        return matches[0]
    choices = ", ".join(f'"{names.get(x.layout_id, x.layout_id)}"' for x in layouts.layouts)
    if matches:
        raise UsageError(f"{wanted!r} names several layouts; use a LayoutId. Layouts: {choices}")
    raise UsageError(f"no layout {wanted!r}. Layouts: {choices or 'none'}")


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
        "scenes": cli.scenes,
        "layouts": cli.layouts,
        "pvw": cli.pvw,
        "take": cli.take,
        "standby": cli.standby,
        "check": cli.check,
        "handoff": cli.handoff,
    }
    try:
        return handlers[options.command]()
    except BrokenPipeError:
        # `casterdesk … | head`: the reader has had enough. Point stdout at /dev/null so the
        # interpreter's final flush does not complain either, and end quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        with contextlib.suppress(OSError, ValueError):
            os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_OK
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
