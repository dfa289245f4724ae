"""Fault injection for tests, benchmarks and demos: latency, error codes and broken networks.

A rule names an action (or ``*`` for all) and what goes wrong. Rules are set from the command
line (``--fault StartCaster:latency=0.5``) or from Python (``sandbox.faults.add(...)``), can be
changed while the sandbox runs, and cleared. Where a rule bites in the request pipeline:

- ``latency`` delays the request after the gateway accepted it, before the action runs.
- ``error`` answers with that error code instead of running the action (nonce already used,
  as on the real service).
- network faults (``reset``, ``truncate``, ``html``, ``html200``, ``slow``) damage the
  *response*: the action has already run. That is the ambiguous case a client must survive
  (did my StartCaster happen?), and the reason StartCaster must not be retried blindly.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Literal, cast, get_args

from app.sandbox.errors import ApiError

NetworkFault = Literal["reset", "truncate", "html", "html200", "slow"]
NETWORK_FAULTS: tuple[str, ...] = get_args(NetworkFault)
DEFAULT_SLOW_S = 2.0


@dataclass(slots=True)
class FaultRule:
    """One fault. ``rate`` is the chance (0..1) that it bites a matching request;
    ``times`` (if set) is how many more times it may bite before it is spent."""

    action: str = "*"
    latency: float = 0.0
    error: str | None = None
    status: int | None = None
    message: str | None = None
    network: NetworkFault | None = None
    slow_seconds: float = DEFAULT_SLOW_S
    rate: float = 1.0
    times: int | None = None

    def __post_init__(self) -> None:
        if not self.action:
            raise ValueError("a fault needs an action name or '*'")
        if self.latency < 0:
            raise ValueError("latency must be >= 0 seconds")
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        if self.network is not None and self.network not in NETWORK_FAULTS:
            raise ValueError(f"unknown network fault {self.network!r}; use {NETWORK_FAULTS}")
        if self.slow_seconds <= 0:
            raise ValueError("slow seconds must be > 0")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be >= 1")
        if self.status is not None and not 100 <= self.status <= 599:
            raise ValueError("status must be an HTTP status code")

    def matches(self, action: str) -> bool:
        return self.action in ("*", action)


@dataclass(frozen=True, slots=True)
class FaultDecision:
    """What to do to one request."""

    latency: float = 0.0
    error: ApiError | None = None
    network: NetworkFault | None = None
    slow_seconds: float = DEFAULT_SLOW_S

    @property
    def is_clean(self) -> bool:
        return not self.latency and self.error is None and self.network is None


NO_FAULT = FaultDecision()


def parse_fault(spec: str) -> FaultRule:
    """Parse ``ACTION:item,item,...``.

    Items: ``latency=S``, ``error=CODE``, ``status=N``, ``message=TEXT``, ``rate=P``,
    ``times=N``, and the network faults ``reset``, ``truncate``, ``html`` (502 page),
    ``html200`` (same page with 200), ``slow`` or ``slow=S`` (body trickled over S seconds).
    Example: ``'*:error=InternalError,rate=0.3'``.
    """
    action, sep, rest = spec.partition(":")
    action = action.strip()
    if not sep or not action or not rest.strip():
        raise ValueError(f"fault {spec!r} is not ACTION:item[,item...]")
    fields: dict[str, object] = {"action": action}
    for raw in rest.split(","):
        item = raw.strip()
        if not item:
            continue
        key, has_value, value = item.partition("=")
        key = key.strip().lower()
        value = value.strip()
        try:
            if key in NETWORK_FAULTS and key != "slow":
                if key == "html" and value:
                    if value not in ("200", "502"):
                        raise ValueError("html takes 200 or 502")
                    key = "html200" if value == "200" else "html"
                fields["network"] = key
            elif key == "slow":
                fields["network"] = "slow"
                if has_value:
                    fields["slow_seconds"] = float(value)
            elif key == "latency":
                fields["latency"] = float(value)
            elif key == "error":
                if not value:
                    raise ValueError("error needs a code")
                fields["error"] = value
            elif key == "status":
                fields["status"] = int(value)
            elif key == "message":
                fields["message"] = value
            elif key == "rate":
                fields["rate"] = float(value)
            elif key == "times":
                fields["times"] = int(value)
            else:
                raise ValueError(f"unknown fault item {key!r}")
        except ValueError as exc:
            raise ValueError(f"fault {spec!r}: {exc}") from exc
    if not {"latency", "error", "network"} & fields.keys():
        raise ValueError(f"fault {spec!r} says nothing about what goes wrong")
    try:
        return FaultRule(**fields)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ValueError(f"fault {spec!r}: {exc}") from exc


class FaultInjector:
    """The live set of fault rules. Safe to change from any thread while the sandbox runs."""

    def __init__(self, rules: list[FaultRule | str] | None = None, *, seed: int | None = None):
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._random = random.Random(seed)
        for rule in rules or []:
            self._append(rule if isinstance(rule, FaultRule) else parse_fault(rule))

    def add(
        self,
        action: str = "*",
        *,
        latency: float = 0.0,
        error: str | None = None,
        status: int | None = None,
        message: str | None = None,
        network: str | None = None,
        slow_seconds: float = DEFAULT_SLOW_S,
        rate: float = 1.0,
        times: int | None = None,
    ) -> FaultRule:
        """Add a rule and return it (pass it to ``remove`` later)."""
        if network is not None and network not in NETWORK_FAULTS:
            raise ValueError(f"unknown network fault {network!r}; use {NETWORK_FAULTS}")
        rule = FaultRule(
            action=action,
            latency=latency,
            error=error,
            status=status,
            message=message,
            network=cast("NetworkFault | None", network),
            slow_seconds=slow_seconds,
            rate=rate,
            times=times,
        )
        return self._append(rule)

    def parse(self, spec: str) -> FaultRule:
        """Add a rule written like the ``--fault`` option."""
        return self._append(parse_fault(spec))

    def _append(self, rule: FaultRule) -> FaultRule:
        with self._lock:
            self._rules.append(rule)
        return rule

    def remove(self, rule: FaultRule) -> None:
        with self._lock:
            self._rules = [r for r in self._rules if r is not rule]

    def clear(self, action: str | None = None) -> None:
        """Drop every rule, or only those written for ``action``."""
        with self._lock:
            if action is None:
                self._rules.clear()
            else:
                self._rules = [r for r in self._rules if r.action != action]

    @property
    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def seed(self, value: int) -> None:
        with self._lock:
            self._random.seed(value)

    def decide(self, action: str) -> FaultDecision:
        """Roll the dice for one request to ``action``."""
        with self._lock:
            if not self._rules:
                return NO_FAULT
            latency = 0.0
            error: ApiError | None = None
            network: NetworkFault | None = None
            slow = DEFAULT_SLOW_S
            spent: list[FaultRule] = []
            for rule in self._rules:
                if not rule.matches(action):
                    continue
                if rule.rate < 1.0 and self._random.random() >= rule.rate:
                    continue
                latency += rule.latency
                if rule.error is not None and error is None and network is None:
                    error = ApiError(rule.error, rule.message, rule.status)
                if rule.network is not None and network is None and error is None:
                    network = rule.network
                    slow = rule.slow_seconds
                if rule.times is not None:
                    rule.times -= 1
                    if rule.times <= 0:
                        spent.append(rule)
            if spent:
                self._rules = [r for r in self._rules if all(r is not s for s in spent)]
            return FaultDecision(latency, error, network, slow)
