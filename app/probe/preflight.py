"""Preflight before StartCaster: the things that make a Start fail, checked in one quick pass.

- ``domain``: the caster has a streaming domain (DescribeCasterConfig ``DomainName``); without
  one StartCaster answers ``InvalidDomainName.NotFound``.
- ``clock``: this computer's clock against the server's ``Date`` header (read from that same
  answer). Past 5 min it is worth fixing; past 15 min the gateway refuses every signed request
  (``InvalidTimeStamp.Expired``).
- ``keychain``: the system keychain answers, when the account's secret lives there (the
  session already holds the secret, so this only warns that the next sign-in will fail).
- ``region``: the region is one known to offer production studios.

No Qt: the window runs :func:`run_preflight` on a worker and words the items itself. A check
that could not be made (the network failed, say) is ``unknown`` and does not hold Start back:
the Start request would meet the same failure and explain it with its RequestId.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Literal, Protocol

from app.api.errors import ApiError, LiveError
from app.api.models import CasterConfig
from app.credentials.keychain import Keychain

SKEW_WARN_S = 5 * 60
SKEW_REFUSED_S = 15 * 60
# Regions whose console offers production studios (导播台), per Alibaba Cloud's region list for
# ApsaraVideo Live; the API does not publish one, so another region only gets a warning.
CASTER_REGIONS = (
    "cn-shanghai",
    "cn-beijing",
    "cn-hangzhou",
    "cn-shenzhen",
    "cn-qingdao",
    "ap-southeast-1",
    "ap-northeast-1",
    "eu-central-1",
)

State = Literal["ok", "warn", "block", "unknown", "skipped"]


class ConfigReader(Protocol):
    """What the preflight needs of :class:`app.api.client.LiveClient`."""

    region_id: str
    last_server_date: tuple[str, float] | None

    def describe_caster_config(self, caster_id: str) -> CasterConfig: ...


@dataclass(frozen=True, slots=True)
class PreflightItem:
    """One check: ``block`` means Start cannot work, ``warn`` that it may but should not."""

    check: Literal["domain", "clock", "keychain", "region"]
    state: State
    value: str = ""  # the domain, the skew in seconds, the keychain's state, the region
    detail: str = ""  # plain English for the log (the window words its own text)

    @property
    def failed(self) -> bool:
        return self.state in ("warn", "block")


@dataclass(frozen=True, slots=True)
class PreflightReport:
    """Every item of one pass, for one caster, and when it ran (``time.monotonic()``)."""

    caster_id: str
    items: tuple[PreflightItem, ...]
    checked_at: float = field(default_factory=time.monotonic)

    @property
    def failed(self) -> list[PreflightItem]:
        return [i for i in self.items if i.failed]

    @property
    def can_start_anyway(self) -> bool:
        """No failed item makes Start impossible."""
        return all(i.state != "block" for i in self.items)

    def item(self, check: str) -> PreflightItem | None:
        return next((i for i in self.items if i.check == check), None)


def clock_skew_s(server_date: str, received_at: float) -> float | None:
    """Server clock minus this computer's (seconds) from an HTTP ``Date`` header and the local
    time it arrived; None when the header cannot be read. ``Date`` has whole seconds, so the
    answer is good to about a second plus the request's latency."""
    try:
        server = parsedate_to_datetime(server_date).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return server - received_at


def judge_skew(skew: float | None) -> PreflightItem:
    if skew is None:
        return PreflightItem("clock", "unknown", detail="the server's Date header was not read")
    size = abs(skew)
    state: State = "block" if size > SKEW_REFUSED_S else "warn" if size > SKEW_WARN_S else "ok"
    return PreflightItem("clock", state, f"{skew:.0f}", f"clock differs by {skew:+.0f} s")


def run_preflight(
    client: ConfigReader,
    caster_id: str,
    *,
    keychain: Keychain | None = None,
) -> PreflightReport:
    """One pass (blocking: call it off the GUI thread). ``keychain`` None: not used."""
    items: list[PreflightItem] = []
    client.last_server_date = None
    try:
        config = client.describe_caster_config(caster_id)
    except ApiError as error:
        if error.code.startswith("InvalidTimeStamp"):
            domain = PreflightItem("domain", "unknown", detail="not checked: the clock is off")
        else:
            domain = PreflightItem("domain", "unknown", detail=f"not checked: {error.code}")
    except LiveError as error:
        domain = PreflightItem("domain", "unknown", detail=f"not checked: {type(error).__name__}")
    else:
        name = (config.domain_name or "").strip()
        domain = (
            PreflightItem("domain", "ok", name)
            if name
            else PreflightItem("domain", "block", "", "no streaming domain (DomainName) set")
        )
    items.append(domain)
    seen = client.last_server_date
    items.append(judge_skew(clock_skew_s(*seen) if seen else None))
    if keychain is None:
        items.append(PreflightItem("keychain", "skipped", detail="the secret is not stored there"))
    else:
        status = keychain.status()
        state: State = "ok" if status.available else "warn"
        items.append(PreflightItem("keychain", state, status.state, status.detail))
    region = client.region_id
    items.append(PreflightItem("region", "ok" if region in CASTER_REGIONS else "warn", region))
    return PreflightReport(caster_id, tuple(items))
