"""What a started caster costs: the origin's CPU with no viewers and with PVW + PGM watched.

The origin runs in its own process so that only its CPU is counted, not the clients'.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.media.conftest import wait_until
from tests.media.players import RtmpProbe

pytestmark = [pytest.mark.media, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
BUDGET_PERCENT = 10.0
WINDOW_S = 3.0
CASTER = "0123456789abcdef0123456789abcdef"


class OriginProcess:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.media.origin_process"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.ports = json.loads(self.proc.stdout.readline())

    def ask(self, command: str) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def cpu_percent(self, seconds: float) -> float:
        cpu_before, wall_before = float(self.ask("cpu")), time.monotonic()
        deadline = wall_before + seconds
        while time.monotonic() < deadline:  # measuring over a span of time is the point here
            time.sleep(0.05)
        cpu_after, wall_after = float(self.ask("cpu")), time.monotonic()
        return 100.0 * (cpu_after - cpu_before) / (wall_after - wall_before)

    def close(self) -> None:
        try:
            self.ask("quit")
        finally:
            self.proc.wait(10)


@pytest.fixture
def origin_process() -> Iterator[OriginProcess]:
    process = OriginProcess()
    try:
        yield process
    finally:
        process.close()


class _Reader(threading.Thread):
    """Reads a stream as fast as it comes, without decoding (a player's socket)."""

    def __init__(self, name: str) -> None:
        super().__init__(name=name)
        self.received = 0
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


class FlvReader(_Reader):
    def __init__(self, url: str) -> None:
        super().__init__("flv-reader")
        parts = urlsplit(url)
        self.sock = socket.create_connection((parts.hostname or "", parts.port or 80), 5)
        self.sock.sendall(f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())

    def run(self) -> None:
        try:
            while not self.stopped:
                data = self.sock.recv(65536)
                if not data:
                    break
                self.received += len(data)
        except OSError:
            pass

    def stop(self) -> None:
        super().stop()
        self.sock.shutdown(socket.SHUT_RDWR)
        self.join(5)
        self.sock.close()


class RtmpReader(_Reader):
    def __init__(self, url: str) -> None:
        super().__init__("rtmp-reader")
        self.probe = RtmpProbe(url)
        self.codes = self.probe.play(until_media=1)

    def run(self) -> None:
        try:
            while not self.stopped:
                self.received += len(self.probe.read_message()[2])
        except OSError:
            pass

    def stop(self) -> None:
        super().stop()
        self.probe.sock.shutdown(socket.SHUT_RDWR)
        self.join(5)
        self.probe.close()


def test_a_started_caster_costs_under_a_tenth_of_a_core(origin_process: OriginProcess) -> None:
    streams = {f"{CASTER}_pvw": "pvw", f"{CASTER}_pgm": "pgm"}
    streams |= {f"{CASTER}_pgm_{tier}": tier for tier in ("lld", "lsd", "lhd", "lud")}
    for name, rendition in streams.items():
        assert origin_process.ask(f"publish {name} {rendition}") == "ok"

    idle = origin_process.cpu_percent(WINDOW_S)

    pvw = RtmpReader(origin_process.ask(f"url rtmp {CASTER}_pvw"))
    pgm = FlvReader(origin_process.ask(f"url flv {CASTER}_pgm"))
    assert pvw.codes[-1] == "NetStream.Play.Start"
    for reader in (pvw, pgm):
        reader.start()
    try:
        wait_until(lambda: pvw.received > 100_000 and pgm.received > 100_000, 5, "media")
        watched = origin_process.cpu_percent(WINDOW_S)
        assert origin_process.ask(f"viewers {CASTER}_pvw") == "1"
        assert origin_process.ask(f"viewers {CASTER}_pgm") == "1"
    finally:
        pvw.stop()
        pgm.stop()
    print(
        f"origin CPU for one started caster (6 streams): idle {idle:.2f} %, "
        f"PVW (RTMP) + PGM (HTTP-FLV) watched {watched:.2f} % of one core; "
        f"sent {pvw.received + pgm.received} bytes"
    )
    assert idle < BUDGET_PERCENT
    assert watched < BUDGET_PERCENT
