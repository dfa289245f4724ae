"""Start the GUI: ``casterdesk`` and ``casterdesk gui [--sandbox] [--log-file PATH] ...``.

Creates the QApplication, the event log and the window, logs which keychain backend and which
Qt multimedia backend are in use, and installs an exception hook so that no traceback ever
reaches the user (it goes to the log file; the user sees one plain sentence).

The window comes first: it is built and painted with QtWidgets and its own modules only (see
benchmarks B1a/B1b). Reading the accounts and connecting start on the turn of the event loop
after its first paint, on workers that import httpx, the API client and the sandbox then; which
keyring backend answers (keyring probes every backend it knows, 75 ms measured) is found out on
a thread once the session has settled, and logged then as its own ``keyring_backend`` event.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import logging.handlers
import os
import platform
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QObject,
    QSocketNotifier,
    Qt,
    QTimer,
    Signal,
    Slot,
    qVersion,
)
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app import __version__
from app.logging_setup import LoggingSetup
from app.native_output import NativeOutput
from app.ui import i18n, theme
from app.ui.controllers.session_state import SANDBOX_PROFILE, SessionState
from app.ui.event_log import EventLog, default_log_dir
from app.ui.instance_knock import RUNNING, can_knock_early, claim, server_name
from app.ui.settings import APPLICATION, ORGANIZATION, Settings
from app.ui.video_backend import choose_video_conversion
from app.ui.widgets.main_window import MainWindow

if TYPE_CHECKING:
    from app.sandbox import Sandbox
    from app.ui.single_instance import SingleInstance
    from app.ui.smoke import SmokeTest

log = logging.getLogger("casterdesk.ui")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


_ALREADY_RUNNING = (
    "casterdesk: Caster Desk is already running; its window was brought to the front."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casterdesk gui",
        description="Open the Caster Desk window.",
    )
    parser.add_argument(
        "--sandbox", action="store_true", help="sign in to the embedded sandbox (a local demo)"
    )
    parser.add_argument("--log-file", metavar="PATH", type=Path, help="event log file (JSON lines)")
    parser.add_argument("--profile", metavar="NAME", help="account profile to open")
    parser.add_argument("--region", metavar="ID", help="region, e.g. cn-shanghai")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="start a sandbox caster, wait for PVW and PGM frames, print a JSON report, quit "
        "(implies --sandbox and --new-instance)",
    )
    parser.add_argument(
        "--new-instance",
        action="store_true",
        help="open another window even if Caster Desk is already running",
    )
    parser.add_argument(
        "--language",
        choices=i18n.CHOICES,
        help="UI language for this run (default: the View menu's choice, else the system's)",
    )
    parser.add_argument(
        "--theme",
        choices=theme.CHOICES,
        help="colour theme for this run (default: the View menu's choice, else the system's)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also show Qt's and FFmpeg's own messages (redacted) and info lines on the terminal",
    )
    return parser


def _new_sandbox() -> Sandbox:
    """Import the sandbox where it is built (a worker): ~40 ms kept off the GUI thread."""
    from app.sandbox import Sandbox  # noqa: PLC0415

    return Sandbox()


def _platform_text() -> str:
    """``platform.platform()``'s text, e.g. ``Linux-6.1.0-x86_64-with-glibc2.36``, without the
    processor lookup it does first: on Linux that runs ``uname -p`` in a subprocess, ~5 ms
    before the window can paint (and the machine is already in the text)."""
    if sys.platform != "linux":
        return platform.platform()
    uname = os.uname()
    libc, version = platform.libc_ver()
    text = f"{uname.sysname}-{uname.release}-{uname.machine}"
    return f"{text}-with-{libc}{version}" if libc else text


def multimedia_backend() -> str:
    """Which Qt multimedia backend will be used, and which plugins are installed."""
    chosen = os.environ.get("QT_MEDIA_BACKEND", "")
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "multimedia"
    plugins = sorted(
        p.name.removeprefix("lib").split("mediaplugin")[0] for p in folder.glob("*mediaplugin*")
    )
    default = "ffmpeg" if "ffmpeg" in plugins or not plugins else plugins[0]
    return f"{chosen or default} (installed: {', '.join(plugins) or 'none'})"


def _unexpected_error_text(log_path: Path | None) -> str:
    text = QCoreApplication.translate(
        "Launch", "Something unexpected went wrong, and Caster Desk kept running."
    )
    if log_path is not None:
        text += " " + QCoreApplication.translate("Launch", "Details are in {0}.").format(log_path)
    return (
        text
        + " "
        + QCoreApplication.translate("Launch", "If it happens again, restart Caster Desk.")
    )


class _ErrorReporter(QObject):
    """Shows unexpected errors from any thread as one plain message box on the GUI thread."""

    report = Signal(str)

    def __init__(self, parent_widget: Callable[[], QWidget | None]) -> None:
        super().__init__()
        self._parent_widget = parent_widget
        self._showing = False
        self.report.connect(self._show, Qt.ConnectionType.QueuedConnection)

    @Slot(str)
    def _show(self, text: str) -> None:
        if self._showing:  # one box at a time; the rest are in the log
            return
        self._showing = True
        try:
            QMessageBox.critical(self._parent_widget(), "Caster Desk", text)
        finally:
            self._showing = False


class _KeyringProbe(QObject):
    """Names the keyring backend on a thread (``keyring`` probes all of its backends)."""

    done = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._worker: threading.Thread | None = None

    def start(self) -> None:
        if self._worker is None:
            self._worker = threading.Thread(target=self._run, name="keyring-probe", daemon=True)
            self._worker.start()

    def _run(self) -> None:
        try:
            from app.credentials import describe_backend  # noqa: PLC0415  (keyring: here only)

            name = describe_backend()
        except Exception as exc:  # a broken backend must not take the app down
            name = f"unknown ({type(exc).__name__}: {exc})"
        with contextlib.suppress(RuntimeError):  # the runtime is gone (closed meanwhile)
            self.done.emit(name)

    def join(self, timeout_s: float) -> None:
        if self._worker is not None:
            self._worker.join(timeout_s)


class _FirstPaint(QObject):
    """Logs ``window_painted`` when the window paints for the first time (its chrome is on
    screen from then on), in ms since the process started, like ``window_shown``; then runs
    ``then`` on the next turn of the event loop (at the latest ``FALLBACK_MS`` after it was
    shown, should no paint come)."""

    FALLBACK_MS = 1000

    def __init__(
        self, window: QWidget, event_log: EventLog, started: float, then: Callable[[], None]
    ) -> None:
        super().__init__(window)
        self._event_log = event_log
        self._started = started
        self._then: Callable[[], None] | None = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            QTimer.singleShot(self.FALLBACK_MS, self, self._run_then)
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            watched.removeEventFilter(self)
            ms = round((time.monotonic() - self._started) * 1000, 1)
            self._event_log.emit("window_painted", ms=ms)
            QTimer.singleShot(0, self, self._run_then)
        return False

    def _run_then(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()


class _SignalBridge:
    """Turns SIGTERM / SIGINT into a normal window close, from inside the Qt event loop.

    Python runs signal handlers only when Python code runs; the wakeup socket makes Qt's loop
    notice the signal at once instead.
    """

    def __init__(self, on_signal: Callable[[int], None]) -> None:
        self._on_signal = on_signal
        self._previous: dict[int, Any] = {}
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._old_wakeup = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        for signum in (signal.SIGTERM, signal.SIGINT):
            self._previous[signum] = signal.signal(signum, lambda *_args: None)
        self.notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read)
        self.notifier.activated.connect(self._drain)

    def _drain(self) -> None:
        try:
            data = self._reader.recv(64)
        except OSError:
            return
        for signum in data:
            self._on_signal(signum)

    def close(self) -> None:
        self.notifier.setEnabled(False)
        signal.set_wakeup_fd(self._old_wakeup)
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._reader.close()
        self._writer.close()


class GuiRuntime:
    """Everything the GUI process sets up, so it can be taken down again in order."""

    def __init__(
        self,
        options: argparse.Namespace,
        app: QApplication,
        started: float,
        instance: SingleInstance | None = None,
        native: NativeOutput | None = None,
        *,
        video_conversion: str = "",
        listen_as: str | None = None,
        claimed: socket.socket | None = None,
    ) -> None:
        self.app = app
        self.started = started
        self.instance = instance
        # The single-instance name to serve after the first paint (nobody answered the knock
        # before it), and the socket the launcher took for it then, if it could; see _listen.
        self._listen_as = listen_as
        self._claimed = claimed
        log_path: Path = options.log_file or default_log_dir() / "events.jsonl"
        self.logging = LoggingSetup(
            log_path.parent if options.log_file else default_log_dir(),
            verbose=bool(getattr(options, "verbose", False)),
        )
        self.native = native
        if native is not None:
            native.forward()
        self.event_log = EventLog(log_path)
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        self._closed = False
        self.window: MainWindow | None = None
        self.smoke: SmokeTest | None = None
        self.reporter = _ErrorReporter(lambda: self.window)
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_excepthook

        self.media_backend = media_backend = multimedia_backend()
        log.info(
            "Caster Desk %s starting; Qt %s (PySide6 %s); Qt multimedia backend: %s; "
            "video converted on: %s",
            __version__,
            qVersion(),
            pyside_version,
            media_backend,
            video_conversion or "Qt's default",
        )
        self.event_log.emit(
            "app_started",
            version=__version__,
            python=platform.python_version(),
            qt=qVersion(),
            platform=_platform_text(),
            multimedia_backend=media_backend,
            video_conversion=video_conversion,
            sandbox=bool(options.sandbox),
        )
        self.keyring_backend = ""
        self.keyring_probe = _KeyringProbe()
        self.keyring_probe.done.connect(
            self._on_keyring_backend, Qt.ConnectionType.QueuedConnection
        )
        factory = None
        profile = options.profile
        if options.sandbox or options.smoke_test:
            factory = _new_sandbox  # imported and started on the session's worker
            profile = SANDBOX_PROFILE
        settings = Settings()
        language = i18n.apply_language(options.language or settings.language())
        shown_theme = theme.apply_theme(options.theme or settings.theme())
        self.event_log.emit(
            "ui_settings",
            language=language,
            language_choice=i18n.current_choice(),
            theme=shown_theme,
            theme_choice=theme.current_choice(),
        )
        self._sandbox_factory = factory
        if options.smoke_test:  # drives the content from the start: built with the window
            from app.ui.app import build_main_window  # noqa: PLC0415

            self.window = build_main_window(
                settings=settings,
                event_log=self.event_log,
                sandbox_factory=factory,
                profile=profile,
                region=options.region,
                app_started_at=started,
                start_session=False,
            )
        else:
            # The frame alone (menus, toolbar, status bar): its content, the controllers and
            # their modules come on the turn after its first paint (see _after_paint).
            self.window = MainWindow(
                settings=settings,
                event_log=self.event_log,
                profile=profile,
                region=options.region,
                app_started_at=started,
            )
        self.first_paint = _FirstPaint(self.window, self.event_log, started, self._after_paint)
        app.setQuitOnLastWindowClosed(False)
        self.window.shutdown_finished.connect(app.quit)
        if instance is not None:
            instance.raise_requested.connect(self.window.bring_to_front)
        self.second_launch = False  # another launch won the race to listen: see _listen
        if options.smoke_test:
            from app.ui.smoke import SmokeTest  # noqa: PLC0415

            self.smoke = SmokeTest(
                self.window, keyring_backend="", multimedia_backend=media_backend
            )
        self.signals: _SignalBridge | None = None
        if threading.current_thread() is threading.main_thread():
            self.signals = _SignalBridge(self._on_signal)

    def _after_paint(self) -> None:
        """Once the window's frame is on screen: build its content (the caster list, the studio,
        the outputs and the controllers, ~100 ms of imports and widgets that the first paint
        does not wait for), then read the accounts and connect (on workers, which import what
        the window did not need: httpx, the API client, the sandbox). Started earlier, they
        would hold the GIL while the window paints.

        The keyring probe (keyring and its backends: ~100 ms of imports and D-Bus, measured to
        delay the filled list by 50-100 ms when run beside the first connection) waits until the
        session has settled: connected, failed, or nothing to open. It only names the backend
        for the log; a connection that needs a secret asks the keychain itself.
        """
        window = self.window
        if window is None or self._closed or window.shutting_down or window.shutdown_complete:
            return
        if not self._listen():
            return
        if not window.content_ready:
            from app.ui.app import complete_main_window  # noqa: PLC0415

            complete_main_window(window, sandbox_factory=self._sandbox_factory, start_session=False)
            ms = round((time.monotonic() - self.started) * 1000, 1)
            self.event_log.emit("window_completed", ms=ms)
        session = window.session
        # Connected after the window's own slots: by then an account being opened is CONNECTING.
        session.state_changed.connect(self._probe_once_settled)
        session.profiles_loaded.connect(self._probe_once_settled)
        session.load_profiles(initial=True)

    def _listen(self) -> bool:
        """Become the instance that later launches raise (Qt's local server, imported now).
        False if another launch started at the same moment and listens already: it was asked
        to raise its window, and this one closes (before its content was built)."""
        name, self._listen_as = self._listen_as, None
        claimed, self._claimed = self._claimed, None
        if name is None or self.window is None:
            if claimed is not None:
                claimed.close()
            return True
        from app.ui.single_instance import SingleInstance  # noqa: PLC0415

        instance = SingleInstance(name)
        if claimed is not None:  # taken before the paint: later launches wait for us on it
            if instance.adopt(claimed):
                self.instance = instance
                instance.raise_requested.connect(self.window.bring_to_front)
            return True
        if not instance.acquire():
            print(_ALREADY_RUNNING, file=sys.stderr)
            log.info("single instance: another launch listens already; closing this window")
            self.second_launch = True
            self.window.close()
            return False
        self.instance = instance
        instance.raise_requested.connect(self.window.bring_to_front)
        return True

    @staticmethod
    def _release_claim(claimed: socket.socket) -> None:
        """Close a claimed socket that Qt never served, and remove its file."""
        try:
            path = claimed.getsockname()
            claimed.close()
            if isinstance(path, str) and path:
                os.unlink(path)
        except OSError as exc:
            log.debug("single instance: releasing the socket: %s", exc)

    def _probe_once_settled(self, *_args: object) -> None:
        window = self.window
        session = window.session if window is not None and window.content_ready else None
        if (
            session is not None
            and not session.closed
            and session.state is not SessionState.CONNECTING
        ):
            self.keyring_probe.start()

    @Slot(str)
    def _on_keyring_backend(self, name: str) -> None:
        self.keyring_backend = name
        # Named after the window was shown; the line names both backends, as support reads it.
        log.info("keyring backend: %s; Qt multimedia backend: %s", name, self.media_backend)
        self.event_log.emit("keyring_backend", backend=name)
        if self.smoke is not None:
            self.smoke.report["keyring_backend"] = name

    def _on_signal(self, signum: int) -> None:
        log.info("signal %d: closing the window", signum)
        if self.window is not None:
            self.window.close()

    def _report(self, exc_type: type[BaseException], exc: BaseException) -> None:
        self.event_log.emit("unhandled_error", type=exc_type.__name__, message=str(exc)[:300])
        with contextlib.suppress(RuntimeError):  # the reporter is gone at exit
            self.reporter.report.emit(_unexpected_error_text(self.logging.path))

    def _excepthook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self.app.quit()
            return
        log.error("unexpected error: %s: %s", exc_type.__name__, exc, exc_info=(exc_type, exc, tb))
        self._report(exc_type, exc)

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        log.error(
            "unexpected error in thread %s: %s",
            args.thread.name if args.thread else "?",
            args.exc_value,
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )
        self._report(args.exc_type, args.exc_value)

    def exec(self) -> int:
        assert self.window is not None
        self.window.show()
        try:
            code = int(self.app.exec())
        finally:
            self.close()
        return self.smoke.exit_code if self.smoke is not None and code == 0 else code

    def close(self) -> None:
        """Restore hooks, flush the event log and stop the logging thread. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self.window is not None and not self.window.shutdown_complete:
            self.window.begin_shutdown()
        if self.signals is not None:
            self.signals.close()
        if self.instance is not None:
            self.instance.close()
        if self._claimed is not None:  # closed before its first paint: give the socket up
            self._release_claim(self._claimed)
            self._claimed = None
        sys.excepthook, threading.excepthook = self._previous_hooks
        self.keyring_probe.join(5.0)
        QCoreApplication.sendPostedEvents(self.keyring_probe)  # its answer, if it came late
        self.event_log.emit("app_exit")
        self.event_log.close()
        if self.native is not None:
            self.native.stop()  # before logging closes: its last lines still reach the file
        self.logging.close()


def create_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationDisplayName("Caster Desk")
    app.setApplicationVersion(__version__)
    return app


def run_gui(argv: list[str], *, native: NativeOutput | None = None) -> int:
    """Open the window; returns the process exit code (2 for bad arguments)."""
    started = time.monotonic()
    try:
        options = build_parser().parse_args(argv)
    except SystemExit as exit_:
        if native is not None:
            native.stop()
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else 2
    # Before Qt starts: its platform plugins already print while the application is created.
    if native is None:
        native = NativeOutput(echo=options.verbose)
    native.start()
    video = choose_video_conversion()  # before Qt's platform plugin loads
    app = create_application()
    instance = None
    listen_as = None
    claimed = None
    if not (options.new_instance or options.smoke_test):
        # The sandbox demo and the real accounts are separate windows, each single.
        name = server_name("sandbox" if options.sandbox else "gui")
        if can_knock_early():  # without Qt's network module: Qt serves it after the paint
            outcome, claimed = claim(name)
            running = outcome == RUNNING
            listen_as = name
        else:
            from app.ui.single_instance import SingleInstance  # noqa: PLC0415

            instance = SingleInstance(name)
            running = not instance.acquire()
        if running:
            print(_ALREADY_RUNNING, file=sys.stderr)
            native.stop()
            return 0
    runtime = GuiRuntime(
        options,
        app,
        started,
        instance,
        native,
        video_conversion=video,
        listen_as=listen_as,
        claimed=claimed,
    )
    return runtime.exec()
