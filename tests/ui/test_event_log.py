"""The JSON-lines event log: valid lines, monotonic time, redaction, writes off the caller."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from app.ui.event_log import EventLog, clean_value, default_log_path

URL = "rtmp://127.0.0.1:1935/caster/abc?auth_key=1795487529-0-0-89332373999989bfa64e5f2f6ea4a652"


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_lines_are_json_with_monotonic_and_wall_time(tmp_path: Path):
    path = tmp_path / "nested" / "events.jsonl"
    log = EventLog(path)
    before = time.monotonic()
    log.emit("app_started", version="0.1.0")
    log.emit("casters_loaded", count=8, ms=12.5)
    log.emit("start_succeeded", ms=80.1, request_id="RID-1")
    log.close()
    records = read_lines(path)
    assert [r["event"] for r in records] == ["app_started", "casters_loaded", "start_succeeded"]
    stamps = [r["t"] for r in records]
    assert stamps == sorted(stamps) and stamps[0] >= before
    assert all("T" in r["wall"] and r["wall"][:4].isdigit() for r in records)
    assert records[1]["count"] == 8 and records[2]["request_id"] == "RID-1"


def test_every_string_value_is_redacted(tmp_path: Path):
    path = tmp_path / "events.jsonl"
    log = EventLog(path)
    record = log.emit(
        "preview_state",
        pane="pgm",
        source=URL,
        nested={"urls": [URL, {"deep": URL}]},
        error=RuntimeError(f"could not open {URL}"),
    )
    log.close()
    text = path.read_text(encoding="utf-8")
    assert "89332373999989bfa64e5f2f6ea4a652" not in text
    assert "auth_key=<redacted>" in text
    assert record["nested"]["urls"][1]["deep"].endswith("auth_key=<redacted>")
    assert read_lines(path)[0]["error"].startswith("could not open rtmp://")


def test_reserved_keys_cannot_be_overridden(tmp_path: Path):
    log = EventLog(None, clock=lambda: 42.0)
    record = log.emit("x", t=1, wall="nope", event="other")
    assert record["event"] == "x" and record["t"] == 42.0 and record["wall"] != "nope"


def test_emit_from_many_threads_keeps_every_line(tmp_path: Path):
    path = tmp_path / "events.jsonl"
    log = EventLog(path)

    def burst(n: int) -> None:
        for i in range(200):
            log.emit("tick", thread=n, i=i)

    threads = [threading.Thread(target=burst, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert log.flush()
    assert len(read_lines(path)) == 800
    log.close()


def test_emit_does_not_wait_for_the_disk(tmp_path: Path):
    """The caller only queues: 1,000 events return long before a slow writer could finish."""
    log = EventLog(tmp_path / "events.jsonl")
    started = time.perf_counter()
    for i in range(1000):
        log.emit("tick", i=i)
    elapsed_ms = (time.perf_counter() - started) * 1000
    log.close()
    print(f"\n1000 emits took {elapsed_ms:.1f} ms on the calling thread")
    assert elapsed_ms < 1000
    assert len(read_lines(tmp_path / "events.jsonl")) == 1000


def test_unwritable_path_is_reported_not_raised(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    log = EventLog(blocker / "events.jsonl")  # a file where the folder should be
    log.emit("app_started")
    log.flush()
    log.close()
    assert log.write_error is not None
    assert log.events("app_started")  # still kept in memory


def test_close_is_idempotent_and_later_events_are_ignored(tmp_path: Path):
    path = tmp_path / "events.jsonl"
    log = EventLog(path)
    log.emit("a")
    log.close()
    log.close()
    log.emit("b")
    assert [r["event"] for r in read_lines(path)] == ["a"]


def test_default_path_is_in_the_platform_log_folder(isolated_home: Path):
    path = default_log_path()
    assert path.name == "events.jsonl"
    assert "casterdesk" in str(path)
    assert str(path).startswith(str(isolated_home))


def test_clean_value_handles_odd_types():
    assert clean_value((1, 2.5, None, True)) == [1, 2.5, None, True]
    assert clean_value({3: Path("/x?auth_key=zzz")}) == {"3": "/x?auth_key=<redacted>"}
