"""The sandbox can fail each preflight check (app.probe.preflight), over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.api.client import LiveClient
from app.probe.preflight import run_preflight
from app.sandbox import Sandbox
from app.sandbox.serve import _parser


@pytest.fixture
def plain() -> Iterator[Sandbox]:
    with Sandbox(media=False) as sandbox:
        yield sandbox


def _client(sandbox: Sandbox) -> LiveClient:
    return LiveClient(sandbox.signing_key, region_id=sandbox.region_id, endpoint=sandbox.endpoint)


def _caster(sandbox: Sandbox, name: str) -> str:
    return next(c for c in sandbox.caster_ids if sandbox.caster(c)["CasterName"] == name)


def test_a_healthy_caster_passes_and_a_caster_without_domain_is_blocked(plain: Sandbox) -> None:
    with _client(plain) as client:
        good = run_preflight(client, _caster(plain, "Product Launch Keynote"))
        bad = run_preflight(client, _caster(plain, "Weekly Webinar Studio"))
    assert good.failed == [] and good.can_start_anyway
    assert {i.check: i.state for i in good.items} == {
        "domain": "ok", "clock": "ok", "keychain": "skipped", "region": "ok"
    }  # fmt: skip
    assert [(i.check, i.state) for i in bad.failed] == [("domain", "block")]
    assert not bad.can_start_anyway


@pytest.mark.parametrize(("offset", "state"), [(8 * 60, "warn"), (-20 * 60, "block")])
def test_the_date_header_follows_a_skewed_server_clock(
    plain: Sandbox, offset: float, state: str
) -> None:
    plain.clock_offset = offset
    with _client(plain) as client:
        report = run_preflight(client, _caster(plain, "Product Launch Keynote"))
    clock = report.item("clock")
    assert clock is not None and clock.state == state
    assert abs(float(clock.value) - offset) < 5
    if state == "block":  # the gateway refused the call, so the domain could not be read
        domain = report.item("domain")
        assert domain is not None and domain.state == "unknown"


def test_a_region_without_casters_is_flagged() -> None:
    with Sandbox(media=False, region_id="us-west-1") as sandbox, _client(sandbox) as client:
        report = run_preflight(client, _caster(sandbox, "Product Launch Keynote"))
    assert [(i.check, i.state, i.value) for i in report.failed] == [("region", "warn", "us-west-1")]


def test_the_sandbox_command_takes_a_region_and_a_clock_offset() -> None:
    args = _parser().parse_args(["--region", "us-west-1", "--clock-offset", "600"])
    assert (args.region, args.clock_offset) == ("us-west-1", 600.0)
