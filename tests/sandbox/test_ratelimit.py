"""Per-API flow control: 10/s for StartCaster/StopCaster/Copy, 15/s for Describe*."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from app.sandbox import Sandbox
from app.sandbox.ratelimit import RateLimiter
from tests.sandbox.wire import call, error, ok

THROTTLED = "Request was denied due to user flow control."


@pytest.fixture
def limited() -> Iterator[Sandbox]:
    with Sandbox(media=False) as sb:
        yield sb


def _burst(sb: Sandbox, action: str, params: dict[str, str], count: int) -> list[int]:
    with httpx.Client() as client:
        return [call(sb, action, params, client=client).status_code for _ in range(count)]


@pytest.mark.parametrize(
    ("action", "limit"),
    [
        ("StartCaster", 10),
        ("StopCaster", 10),
        ("DescribeCasters", 15),
        ("DescribeCasterScenes", 15),
        ("DescribeCasterStreamUrl", 15),
    ],
)
def test_real_limits(limited: Sandbox, action: str, limit: int) -> None:
    params = {} if action == "DescribeCasters" else {"CasterId": limited.caster_ids[0]}
    statuses = _burst(limited, action, params, limit + 3)
    # a burst this size takes far less than a second on loopback, so the window is full
    assert statuses[:limit] == [200] * limit
    assert statuses[limit:] == [400] * 3
    data = error(call(limited, action, params), "Throttling.User", 400)
    assert data["Message"] == THROTTLED


def test_copy_scene_config_limit(limited: Sandbox) -> None:
    caster_id = limited.caster_ids[0]
    scenes = ok(call(limited, "DescribeCasterScenes", {"CasterId": caster_id}))
    ids = {s["OutputType"]: s["SceneId"] for s in scenes["SceneList"]["Scene"]}
    params = {"CasterId": caster_id, "FromSceneId": ids["0"], "ToSceneId": ids["1"]}
    statuses = _burst(limited, "CopyCasterSceneConfig", params, 12)
    assert statuses == [200] * 10 + [400] * 2


def test_limits_are_per_action_and_per_access_key(limited: Sandbox) -> None:
    assert _burst(limited, "DescribeCasters", {}, 16)[-1] == 400
    ok(call(limited, "DescribeCasterConfig", {"CasterId": limited.caster_ids[0]}))
    ok(call(limited, "DescribeCasters", key=limited.sts_key))  # another AccessKey, own window


def test_switch_off_and_adjust(limited: Sandbox) -> None:
    limited.rate_limits.enabled = False
    assert _burst(limited, "DescribeCasters", {}, 40) == [200] * 40
    limited.rate_limits.enabled = True
    limited.rate_limits.set_limit("DescribeCasters", 2)
    assert _burst(limited, "DescribeCasters", {}, 3) == [200, 200, 400]
    limited.rate_limits.set_limit("DescribeCasters", None)  # unlimited
    assert _burst(limited, "DescribeCasters", {}, 30) == [200] * 30


def test_constructor_options() -> None:
    with Sandbox(media=False, rate_limits=False) as sb:
        assert _burst(sb, "StartCaster", {"CasterId": sb.caster_ids[0]}, 25) == [200] * 25
    with Sandbox(media=False, rate_limits={"StartCaster": 1}) as sb:
        statuses = _burst(sb, "StartCaster", {"CasterId": sb.caster_ids[0]}, 2)
        assert statuses == [200, 400]
        assert sb.rate_limits.limit("DescribeCasters") == 15


def test_sliding_window() -> None:
    limiter = RateLimiter({"A": 3})
    assert [limiter.allow("k", "A", t) for t in (0.0, 0.1, 0.2, 0.3)] == [True, True, True, False]
    assert limiter.allow("k", "A", 0.99) is False  # still three calls within one second
    assert limiter.allow("k", "A", 1.01) is True  # the call at 0.0 left the window
    assert limiter.allow("k", "A", 1.02) is False
    assert limiter.allow("other", "A", 1.02) is True
    assert limiter.allow("k", "Unlimited", 1.02) is True
    limiter.reset()
    assert limiter.allow("k", "A", 1.03) is True
