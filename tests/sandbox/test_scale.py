"""10,000 casters: listed completely and quickly over paging."""

from __future__ import annotations

import time

import httpx
import pytest

from app.sandbox import Sandbox
from tests.sandbox.wire import call, ok


@pytest.mark.slow
def test_ten_thousand_casters_over_paging() -> None:
    built = time.perf_counter()
    sb = Sandbox(casters=10_000, media=False, rate_limits=False)
    build_s = time.perf_counter() - built
    with sb:
        expected = set(sb.caster_ids)
        assert len(expected) == 10_008
        seen: list[str] = []
        started = time.perf_counter()
        with httpx.Client() as client:
            page = 1
            while True:
                data = ok(
                    call(
                        sb,
                        "DescribeCasters",
                        {"PageNum": str(page), "PageSize": "100"},
                        client=client,
                    )
                )
                assert data["Total"] == 10_008
                batch = [c["CasterId"] for c in data["CasterList"]["Caster"]]
                if not batch:
                    break
                seen += batch
                page += 1
        paging_s = time.perf_counter() - started
        assert page == 102  # 101 full-or-partial pages, then an empty one
        assert len(seen) == len(set(seen)) == 10_008
        assert set(seen) == expected
        # filters run over the whole set, not one page
        filtered = ok(
            call(sb, "DescribeCasters", {"Status": "0", "NormType": "6", "PageSize": "100"})
        )
        assert filtered["Total"] == 10_000 // 7 + 2  # generated playlists + two seed ones
    print(f"10k casters: built in {build_s * 1000:.0f} ms, 102 pages in {paging_s * 1000:.0f} ms")
    assert build_s < 5 and paging_s < 30  # typically ~0.1 s and ~1 s


def test_paging_stays_consistent_when_a_caster_changes() -> None:
    """A caster that moves to the top between pages shows up on page 1, and Total stays."""
    with Sandbox(casters=300, media=False, rate_limits=False) as sb:
        first = ok(call(sb, "DescribeCasters", {"PageNum": "1", "PageSize": "100"}))
        last_id = ok(call(sb, "DescribeCasters", {"PageNum": "4", "PageSize": "100"}))[
            "CasterList"
        ]["Caster"][-1]["CasterId"]
        ok(call(sb, "StartCaster", {"CasterId": last_id}))
        again = ok(call(sb, "DescribeCasters", {"PageNum": "1", "PageSize": "100"}))
        assert again["Total"] == first["Total"] == 308
        assert again["CasterList"]["Caster"][0]["CasterId"] == last_id
