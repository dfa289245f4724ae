"""Hostile or broken answers end in a clear error (or an unknown value), never a traceback.

Each case talks to a scripted loopback server; the CLI cases check the exit code and the
plain-language line, the client cases what the window gets.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from typing import Any

import httpx
import pytest

import app.api.client as client_module
from app.api.client import LiveClient
from app.api.errors import OutcomeUnknownError, ProtocolError, RequestTimeoutError
from app.api.signing import SigningKey
from app.api.transport import proxy_for, proxy_label
from app.cli.main import run_cli
from app.redaction import RedactingFilter
from tests.scripted_server import Recorded, Reply, ScriptedServer, error_body, scripted_server

HUGE = "9" * 4301  # one digit past Python's int-from-text limit


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_cli(args, out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def creds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "AKID")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "the-secret")


def make_client(server: ScriptedServer, timeout: float = 2.0) -> LiveClient:
    client = LiveClient(
        SigningKey("AKID", "secret"),
        region_id="cn-shanghai",
        endpoint=server.endpoint,
        timeout=timeout,
    )
    client.settle_delays_s = (0.01, 0.01)
    return client


def caster_row(caster_id: str = "c1", status: int = 1, **extra: Any) -> dict[str, Any]:
    return {"CasterId": caster_id, "CasterName": "Show", "Status": status, **extra}


# --- a JSON integer over 4,300 digits ----------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["casters"], ["start", "c1"], ["urls", "c1"], ["stop", "c1", "--yes"]]
)
def test_an_integer_past_4300_digits_is_a_protocol_error(command: list[str]) -> None:
    body = f'{{"RequestId": "RID-HUGE", "Total": {HUGE}, "Status": {HUGE}}}'.encode()
    with scripted_server(lambda r: Reply(200, body)) as server:
        code, _, err = run([*command, "--endpoint", server.endpoint])
    assert code == 3, err
    assert "Traceback" not in err and "ValueError" not in err
    assert "number too long to be real" in err and "RequestId: RID-HUGE" in err
    action = {
        "casters": "DescribeCasters",
        "start": "StartCaster",
        "urls": "DescribeCasterStreamUrl",
        "stop": "StopCaster",
    }[command[0]]
    assert f"Error: {action}: " in err, err


def test_the_window_gets_the_action_and_the_request_id_of_a_huge_integer() -> None:
    body = f'{{"RequestId": "RID-HUGE", "Total": {HUGE}}}'.encode()
    with scripted_server(lambda r: Reply(200, body)) as server, make_client(server) as client:
        with pytest.raises(ProtocolError) as caught:
            client.describe_casters()
    assert caught.value.action == "DescribeCasters"
    assert caught.value.request_id == "RID-HUGE"
    assert "too long" in caught.value.detail


# --- out-of-range durations and dates ------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        '"Duration": 1e20',
        '"Duration": 1e999',
        '"Duration": "inf"',
        '"Duration": -5',
        '"CreateTime": "0001-01-01T00:00:00+23:59"',
        '"ExpireTime": "9999-12-31T23:59:59Z"',
    ],
)
def test_out_of_range_values_are_unknown_and_the_row_still_lists(raw: str) -> None:
    body = (
        '{"RequestId": "R1", "Total": 1, "CasterList": {"Caster": [{"CasterId": "c1", '
        f'"CasterName": "Gala", "Status": 1, {raw}}}]}}}}'
    ).encode()
    with scripted_server(lambda r: Reply(200, body)) as server:
        code, out, err = run(["casters", "--endpoint", server.endpoint])
        assert code == 0, err
        assert "Gala" in out and "c1" in out and "Traceback" not in err
        code, out, err = run(["casters", "--json", "--endpoint", server.endpoint])
    assert code == 0, err
    listed = json.loads(out)["Casters"][0]
    field = raw.split('"')[1]
    assert listed.get(field) is None


# --- paging that would never end ------------------------------------------------------------------


def test_a_lying_total_stops_at_the_first_short_page() -> None:
    def script(r: Recorded) -> Reply:
        number = int(r.query["PageNum"])
        return Reply(
            200,
            {"RequestId": f"P{number}", "Total": 10**12, "CasterList": [caster_row(f"c{number}")]},
        )

    with scripted_server(script) as server:
        code, out, err = run(["casters", "--endpoint", server.endpoint])
        pages = server.actions().count("DescribeCasters")
    assert code == 0
    assert "c1" in out
    assert pages == 1
    assert "1000000000000" in err and "pages ended" in err


def test_full_pages_without_end_stop_at_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_module, "MAX_CASTERS", 300)

    def script(r: Recorded) -> Reply:
        number, size = int(r.query["PageNum"]), int(r.query["PageSize"])
        rows = [caster_row(f"c{number}-{i}") for i in range(size)]
        return Reply(200, {"RequestId": f"P{number}", "Total": 10**12, "CasterList": rows})

    with scripted_server(script) as server, make_client(server) as client:
        result = client.describe_all_casters()
        pages = server.actions().count("DescribeCasters")
    assert len(result.casters) == 300
    assert pages == 3
    assert result.stopped_early == "cap"


# --- a body trickled one byte every 0.5 s ---------------------------------------------------------


def test_the_timeout_bounds_the_whole_call_including_a_trickled_body() -> None:
    body = json.dumps({"RequestId": "R", "Total": 0, "CasterList": [], "Pad": "x" * 200})
    reply = Reply(200, body, behaviour="trickle", trickle_s=0.2)
    with scripted_server(lambda r: reply) as server, make_client(server, timeout=1.0) as client:
        client.retry = client_module.NO_RETRY
        began = time.monotonic()
        with pytest.raises(RequestTimeoutError):
            client.describe_casters()
        took = time.monotonic() - began
    assert took < 3.0, took  # 1 s budget; the whole trickle would take about 50 s


def test_a_slow_start_ends_within_about_three_timeouts() -> None:
    reply = Reply(200, json.dumps({"RequestId": "R", "X": "y" * 300}), behaviour="trickle")
    with scripted_server(lambda r: reply) as server, make_client(server, timeout=1.0) as client:
        client.retry = client_module.NO_RETRY
        began = time.monotonic()
        with pytest.raises(OutcomeUnknownError):
            client.start_caster("c1")
        took = time.monotonic() - began
        starts = server.actions().count("StartCaster")
    assert starts == 1  # never sent twice
    assert took < 3 * 1.0 + 2.0, took  # ~3x the timeout, with a generous guard


# --- empty answers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"RequestId": None, "PvwSceneInfos": None, "PgmSceneInfos": None},
        {"RequestId": "RID-NULL", "PvwSceneInfos": None, "PgmSceneInfos": None},
    ],
)
def test_a_start_answer_without_scenes_is_a_protocol_error(body: dict[str, Any]) -> None:
    def script(r: Recorded) -> Reply:
        if r.action == "StartCaster":
            return Reply(200, body)
        return Reply(200, {"RequestId": "RD", "Total": 1, "CasterList": [caster_row(status=0)]})

    with scripted_server(script) as server:
        code, out, err = run(["start", "c1", "--endpoint", server.endpoint])
    assert code == 3, err
    assert out == ""
    assert "Error: StartCaster" in err
    assert "RequestId: \n" not in err
    if body.get("RequestId"):
        assert "held no scene information" in err and "RequestId: RID-NULL" in err


def test_a_stop_confirmed_by_rereading_says_so_and_prints_no_empty_request_id() -> None:
    def script(r: Recorded) -> Reply:
        if r.action == "StopCaster":
            return Reply(200, {})
        return Reply(200, {"RequestId": "RD", "Total": 1, "CasterList": [caster_row(status=0)]})

    with scripted_server(script) as server:
        code, out, err = run(["stop", "c1", "--yes", "--endpoint", server.endpoint])
    assert code == 0, err
    assert "confirmed by re-reading" in out
    assert "RequestId" not in out


# --- terminal control characters -------------------------------------------------------------------


def test_control_characters_are_escaped_on_the_terminal() -> None:
    hostile = "\x1b[2J\x1b]0;pwned\x07\x9b31m"
    body = error_body(f"Bad{hostile}", f"message{hostile}", request_id=f"R{hostile}")
    with scripted_server(lambda r: Reply(400, body)) as server:
        code, _, err = run(["casters", "--endpoint", server.endpoint])
    assert code == 1
    assert not any(c in err for c in "\x1b\x07\x9b")
    assert "\\x1b[2J" in err


def test_control_characters_in_names_are_escaped_in_tables_and_json() -> None:
    rows = [caster_row(caster_id="c\x1b[31m1") | {"CasterName": "Show\x1b]0;x\x07\x9b"}]
    body = {"RequestId": "R", "Total": 1, "CasterList": rows}
    with scripted_server(lambda r: Reply(200, body)) as server:
        _, table, _ = run(["casters", "--endpoint", server.endpoint])
        _, as_json, _ = run(["casters", "--json", "--endpoint", server.endpoint])
    for text in (table, as_json):
        assert not any(c in text for c in "\x1b\x07\x9b"), text
    assert json.loads(as_json)["Casters"][0]["CasterName"] == "Show\x1b]0;x\x07\x9b"


def test_log_records_are_escaped_and_redacted() -> None:
    import logging

    record = logging.LogRecord(
        "casterdesk", logging.INFO, __file__, 1, "got %s", ("a\x1b[2Jb?auth_key=1-2-3-abc",), None
    )
    RedactingFilter().filter(record)
    assert record.getMessage() == "got a\\x1b[2Jb?auth_key=<redacted>"


# --- proxies and endpoints --------------------------------------------------------------------------


def test_plain_http_never_goes_through_a_proxy_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    with scripted_server(lambda r: Reply(200, {"RequestId": "PROXY"})) as proxy:
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.setenv(name, proxy.endpoint)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        body = {"RequestId": "DIRECT", "Total": 0, "CasterList": []}
        with scripted_server(lambda r: Reply(200, body)) as api, make_client(api) as client:
            page = client.describe_casters()
        assert page.request_id == "DIRECT"
        assert proxy.requests == []


def test_https_keeps_the_proxy_and_logs_it_without_credentials() -> None:
    url = httpx.URL("https://live.aliyuncs.com/")
    env = {"HTTPS_PROXY": "http://alice:s3cret@proxy.corp:3128", "NO_PROXY": "localhost"}
    chosen = proxy_for(url, env)
    assert chosen == "http://alice:s3cret@proxy.corp:3128"
    assert proxy_label(chosen) == "http://proxy.corp:3128"
    assert proxy_for(url, {"HTTPS_PROXY": "http://p:1", "NO_PROXY": ".aliyuncs.com"}) is None
    assert proxy_for(httpx.URL("http://127.0.0.1:8/"), {"HTTP_PROXY": "http://p:1"}) is None


def test_a_non_alibaba_endpoint_is_named_on_stderr() -> None:
    body = {"RequestId": "R", "Total": 0, "CasterList": []}
    with scripted_server(lambda r: Reply(200, body)) as server:
        code, _, err = run(["casters", "--endpoint", server.endpoint])
    assert code == 0
    assert "signed requests go to 127.0.0.1" in err


# --- a closed pipe ------------------------------------------------------------------------------------


def test_output_into_a_closed_pipe_ends_quietly() -> None:
    rows = [caster_row(f"caster-{i:05d}") for i in range(3000)]
    body = {"RequestId": "R", "Total": len(rows), "CasterList": rows}
    with scripted_server(lambda r: Reply(200, body)) as server:
        env = dict(os.environ, PYTHONPATH=os.getcwd())
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "casters", "--json", "--endpoint", server.endpoint],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert process.stdout and process.stderr
        process.stdout.read(100)
        process.stdout.close()  # like `| head -c 100`
        _, err = process.communicate(timeout=60)
    text = err.decode()
    assert "Traceback" not in text and "BrokenPipe" not in text, text
    assert process.returncode == 0
