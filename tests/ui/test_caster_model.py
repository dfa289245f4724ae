"""The caster model and its filter proxy, without any widget."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from app.api.models import Caster
from app.ui.models.caster_filter import CasterFilterProxy
from app.ui.models.caster_table import (
    RANK_PAGE_STRIDE,
    CasterIdRole,
    CasterRole,
    CasterTableModel,
    Column,
    StatusRole,
    StreamingSinceRole,
    format_duration,
)


def make_caster(i: int, *, status: int = 0, name: str | None = None, **extra: object) -> Caster:
    fields: dict[str, object] = {
        "norm_type": 1 if i % 3 else 6,
        "template": "lp_hd",
        "create_time": datetime(2025, 1, 1, tzinfo=UTC) + timedelta(hours=i),
        **extra,
    }
    return Caster(
        caster_id=f"c-{i:05d}",
        name=name if name is not None else (f"Studio {i:05d}" if i % 2 else f"导播台 {i:05d}"),
        status=status,
        **fields,  # type: ignore[arg-type]
    )


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def build(
    casters: list[Caster], clock: FakeClock | None = None
) -> tuple[CasterTableModel, CasterFilterProxy]:
    model = CasterTableModel(clock=clock or FakeClock())
    proxy = CasterFilterProxy()
    proxy.setSourceModel(model)
    model.replace_all(casters)
    return model, proxy


def ids_in(proxy: CasterFilterProxy) -> list[str]:
    return [proxy.index(r, Column.ID).data() for r in range(proxy.rowCount())]


def test_model_passes_qt_model_tester(qapp):
    model = CasterTableModel()
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.merge([make_caster(i) for i in range(5)])
    model.merge([make_caster(i, status=1) for i in range(3, 8)], rank_base=RANK_PAGE_STRIDE)
    model.replace_all([make_caster(i) for i in range(2, 6)])
    model.sort(Column.NAME, Qt.SortOrder.DescendingOrder)
    model.clear()
    assert tester is not None and model.rowCount() == 0


def test_filter_proxy_passes_qt_model_tester_and_keeps_the_selection(qapp):
    model = CasterTableModel()
    proxy = CasterFilterProxy()
    proxy.setSourceModel(model)
    tester = QAbstractItemModelTester(proxy, QAbstractItemModelTester.FailureReportingMode.Fatal)
    selection = QItemSelectionModel(proxy)
    rows = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    proxy.set_text("studio")
    model.merge([make_caster(i) for i in range(6)])  # a page arrives while filtering
    assert ids_in(proxy) == ["c-00001", "c-00003", "c-00005"]
    selection.setCurrentIndex(proxy.index(1, 0), rows)
    model.merge([make_caster(i, status=1) for i in range(3, 9)], rank_base=RANK_PAGE_STRIDE)
    assert ids_in(proxy) == ["c-00001", "c-00003", "c-00005", "c-00007"]
    proxy.set_text("")
    proxy.set_status(1)
    assert selection.currentIndex().data(CasterIdRole) == "c-00003"
    assert selection.isRowSelected(selection.currentIndex().row())

    # A filter that hides the selected row drops the selection and says so, as a removal does.
    signals: list[str] = []
    selection.selectionChanged.connect(lambda *_: signals.append("selection"))
    proxy.set_text("导播台")
    assert ids_in(proxy) == ["c-00004", "c-00006", "c-00008"]
    assert signals == ["selection"] and not selection.hasSelection()

    model.replace_all([make_caster(i) for i in range(2, 6)])
    assert proxy.rowCount() == 0
    proxy.set_status(None)
    model.sort(Column.NAME, Qt.SortOrder.DescendingOrder)
    assert ids_in(proxy) == ["c-00004", "c-00002"]
    model.remove(["c-00004"])
    assert ids_in(proxy) == ["c-00002"]
    model.retranslate()
    model.clear()
    assert tester is not None and proxy.rowCount() == 0


def test_columns_and_roles(qapp):
    since = timedelta(seconds=3723)
    caster = make_caster(1, status=1, duration=since, template="lp_ud")
    clock = FakeClock()
    model, _ = build([caster, make_caster(3)], clock)
    assert model.columnCount() == 7
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headers == ["Name", "ID", "Status", "Type", "Template", "Created", "Expires"]
    row = model.index(0, Column.NAME)
    assert row.data() == "Studio 00001"
    assert model.index(0, Column.ID).data() == "c-00001"
    assert model.index(0, Column.TEMPLATE).data() == "Ultra HD"  # the console's word
    assert "lp_ud" in model.index(0, Column.TEMPLATE).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, Column.TYPE).data() == "General"
    assert model.index(1, Column.TYPE).data() == "Playlist"
    assert row.data(CasterRole) == caster
    assert row.data(CasterIdRole) == "c-00001"
    assert row.data(StatusRole) == 1
    assert row.data(StreamingSinceRole) == clock.now - 3723
    assert model.index(0, Column.STATUS).data() == "Streaming 1:02:03"
    assert model.index(1, Column.STATUS).data() == "Idle"
    clock.now += 61  # the duration ticks locally, without a refresh
    assert model.index(0, Column.STATUS).data() == "Streaming 1:03:04"
    assert model.streaming_count == 1


def test_format_duration():
    assert format_duration(0) == "0:00:00"
    assert format_duration(59.9) == "0:00:59"
    assert format_duration(86400 + 61) == "24:01:01"
    assert format_duration(-5) == "0:00:00"


def test_refresh_updates_rows_in_place_and_keeps_persistent_indexes(qapp):
    model, proxy = build([make_caster(i) for i in range(10)])
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, _roles: changed.append((a.row(), b.row())))
    kept = QPersistentModelIndex(proxy.index(7, 0))
    assert kept.data(CasterIdRole) == "c-00007"

    # Caster 3 started, 5 was deleted, 10 is new; the others did not change.
    fresh = [make_caster(i, status=1 if i == 3 else 0) for i in range(11) if i != 5]
    model.replace_all(fresh)

    assert resets == [], "a refresh must never reset the model"
    assert changed == [(3, 3)], "only the caster that changed is re-emitted"
    assert model.rowCount() == 10
    assert model.row_of("c-00005") is None
    assert model.caster_by_id("c-00010") is not None
    assert kept.isValid() and kept.data(CasterIdRole) == "c-00007"
    assert model.caster_by_id("c-00003").is_streaming
    assert model.streaming_count == 1


def test_pages_merge_then_complete_list_restores_api_order(qapp):
    model = CasterTableModel()
    everything = [make_caster(i) for i in range(250)]
    # Page 3 arrives before page 2 (they are fetched concurrently).
    model.merge(everything[:100], rank_base=1 * RANK_PAGE_STRIDE)
    assert model.rowCount() == 100
    model.merge(everything[200:], rank_base=3 * RANK_PAGE_STRIDE)
    model.merge(everything[100:200], rank_base=2 * RANK_PAGE_STRIDE)
    assert model.rowCount() == 250
    model.replace_all(everything)
    assert [model.caster_at(r).caster_id for r in range(250)] == [c.caster_id for c in everything]


def test_later_refreshes_can_keep_rows_in_place(qapp):
    model, _ = build([make_caster(i) for i in range(5)])
    moved = [make_caster(3, status=1), *(make_caster(i) for i in (0, 1, 2, 4)), make_caster(9)]
    model.replace_all(moved, reorder=False)
    assert [model.caster_at(r).caster_id for r in range(6)] == [
        "c-00000",
        "c-00001",
        "c-00002",
        "c-00003",
        "c-00004",
        "c-00009",
    ]
    model.replace_all(moved)  # reorder: the API's order
    assert model.caster_at(0).caster_id == "c-00003"


def test_duplicate_ids_in_one_batch_are_kept_once(qapp):
    model = CasterTableModel()
    model.merge([make_caster(1), make_caster(1), make_caster(2)])
    assert model.rowCount() == 2


def test_filter_on_name_and_id_case_insensitive(qapp):
    _model, proxy = build(
        [make_caster(i) for i in range(20)] + [make_caster(99, name="Gala NIGHT")]
    )
    proxy.set_text("studio 0001")
    assert ids_in(proxy) == [f"c-{i:05d}" for i in (11, 13, 15, 17, 19)]
    proxy.set_text("C-00004")  # by ID, other case
    assert ids_in(proxy) == ["c-00004"]
    proxy.set_text("导播台")
    assert len(ids_in(proxy)) == 10
    proxy.set_text("  night ")
    assert ids_in(proxy) == ["c-00099"]
    proxy.set_text("")
    assert proxy.rowCount() == 21


def test_status_filter_combines_with_text(qapp):
    casters = [make_caster(i, status=1 if i % 4 == 0 else 0) for i in range(20)]
    _, proxy = build(casters)
    proxy.set_status(1)
    assert ids_in(proxy) == [f"c-{i:05d}" for i in (0, 4, 8, 12, 16)]
    proxy.set_text("导播台 0001")  # even ids 10..18
    assert ids_in(proxy) == ["c-00012", "c-00016"]
    proxy.set_status(0)
    assert ids_in(proxy) == ["c-00010", "c-00014", "c-00018"]
    proxy.set_status(None)
    proxy.set_text("")
    assert proxy.rowCount() == 20


def test_filter_follows_updates(qapp):
    model, proxy = build([make_caster(i) for i in range(5)])
    proxy.set_status(1)
    assert proxy.rowCount() == 0
    model.replace_all([make_caster(i, status=int(i == 2)) for i in range(5)])
    assert ids_in(proxy) == ["c-00002"]
    model.set_status("c-00002", 0)
    assert proxy.rowCount() == 0


def test_sorting_happens_in_the_model_and_selection_follows(qapp):
    _model, proxy = build([make_caster(i) for i in range(6)])
    kept = QPersistentModelIndex(proxy.index(1, 0))  # c-00001
    proxy.sort(Column.NAME, Qt.SortOrder.AscendingOrder)
    names = [proxy.index(r, 0).data() for r in range(6)]
    assert names == sorted(names, key=str.casefold)
    assert kept.data(CasterIdRole) == "c-00001"
    proxy.sort(Column.CREATED, Qt.SortOrder.DescendingOrder)
    assert ids_in(proxy) == [f"c-{i:05d}" for i in range(5, -1, -1)]
    proxy.sort(-1)  # back to the API's order
    assert ids_in(proxy) == [f"c-{i:05d}" for i in range(6)]
    assert proxy.index(kept.row(), 0).data(CasterIdRole) == "c-00001"


def test_set_status_marks_streaming_now(qapp):
    clock = FakeClock()
    model, _ = build([make_caster(1)], clock)
    model.set_status("c-00001", 1)
    assert model.since_at(0) == clock.now
    clock.now += 5
    assert model.index(0, Column.STATUS).data() == "Streaming 0:00:05"
    model.set_status("missing", 1)  # unknown ids are ignored
    assert model.streaming_count == 1


def test_ten_thousand_rows_filter_keystroke_is_fast(qapp):
    casters = [make_caster(i, status=int(i % 7 == 0)) for i in range(10_000)]
    model = CasterTableModel()
    proxy = CasterFilterProxy()
    proxy.setSourceModel(model)
    started = time.perf_counter()
    for page in range(100):  # as 100 pages arrive
        model.merge(casters[page * 100 : (page + 1) * 100], rank_base=page * RANK_PAGE_STRIDE)
    load_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    model.replace_all(casters)
    refresh_ms = (time.perf_counter() - started) * 1000

    timings = []
    for text in ("s", "st", "stu", "studio 0", "studio 09", "导播台 0"):
        started = time.perf_counter()
        proxy.set_text(text)
        timings.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    proxy.set_status(1)
    status_ms = (time.perf_counter() - started) * 1000
    assert proxy.rowCount() == len([c for c in casters if c.status == 1 and "导播台 0" in c.name])

    started = time.perf_counter()
    proxy.sort(Column.NAME)
    sort_ms = (time.perf_counter() - started) * 1000
    print(
        f"\n10k rows: load in 100 pages {load_ms:.0f} ms, refresh in place {refresh_ms:.0f} ms, "
        f"filter keystrokes {', '.join(f'{t:.1f}' for t in timings)} ms, "
        f"status filter {status_ms:.1f} ms, sort {sort_ms:.1f} ms"
    )
    # Generous guards (a busy 2-core machine): a keystroke must stay interactive.
    assert max(timings) < 250
    assert refresh_ms < 1000
    assert sort_ms < 500


def test_data_for_invalid_rows_is_none(qapp):
    model, _ = build([make_caster(1)])
    assert model.data(QModelIndex()) is None
    assert model.rowCount(model.index(0, 0)) == 0
