"""Lenient readers for Live API JSON: wrapped or flat lists, type drift, both date formats.

Each reader either returns a clean Python value or raises ``ProtocolError`` naming the field,
so a hostile body can never escape as ``KeyError``/``TypeError``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from app.api.errors import ProtocolError

JsonObject = Mapping[str, Any]

_DURATION = re.compile(r"^(?:(\d+)\s*days?,\s*)?(\d+):(\d{1,2}):(\d{1,2})$")


def obj(value: Any, where: str) -> JsonObject:
    if not isinstance(value, Mapping):
        raise ProtocolError(f"{where}: expected an object, got {type(value).__name__}")
    return value


def items(container: JsonObject, field: str, item_key: str) -> list[JsonObject]:
    """A list field in either shape: ``{"Field": {"Item": [...]}}`` or ``{"Field": [...]}``.

    The wrapped form is what the real API returns; the flat form appears in old docs.
    A single object instead of a one-element list (XML-to-JSON habit) is accepted too.
    """
    value = container.get(field)
    if value is None:
        return []
    if isinstance(value, Mapping):
        value = value.get(item_key, [])
        if value is None:
            return []
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, list):
        raise ProtocolError(f"{field}: expected a list, got {type(value).__name__}")
    return [obj(v, f"{field}[{i}]") for i, v in enumerate(value)]


def text(container: JsonObject, field: str, *, required: bool = False) -> str | None:
    """A string field; numbers are accepted and turned into text (type drift)."""
    value = container.get(field)
    if value is None or value == "":
        if required:
            raise ProtocolError(f"missing field {field}")
        return None
    if isinstance(value, bool):
        raise ProtocolError(f"{field}: expected text, got a boolean")
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    raise ProtocolError(f"{field}: expected text, got {type(value).__name__}")


def required_text(container: JsonObject, field: str) -> str:
    value = text(container, field, required=True)
    assert value is not None  # text() raised otherwise
    return value


def integer(container: JsonObject, field: str) -> int | None:
    """An int field; numeric strings like ``"1"`` are accepted (type drift)."""
    value = container.get(field)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ProtocolError(f"{field}: expected a number, got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise ProtocolError(f"{field}: expected a whole number, got {value!r:.40}")


def number(container: JsonObject, field: str) -> float | None:
    value = container.get(field)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ProtocolError(f"{field}: expected a number, got a boolean")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    raise ProtocolError(f"{field}: expected a number, got {value!r:.40}")


def flag(container: JsonObject, field: str) -> bool | None:
    """Booleans arrive as true/false, "true"/"false" or 0/1 depending on the field."""
    value = container.get(field)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "0", "1"):
        return value.strip().lower() in ("true", "1")
    raise ProtocolError(f"{field}: expected true or false, got {value!r:.40}")


# Dates outside this window are read as unknown: no caster predates the epoch, and a date near
# year 1 or 9999 overflows as soon as it is shifted into a local time zone for display.
_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST = datetime(9000, 1, 1, tzinfo=UTC)
# Longer than any caster can run (about 317 years); also what timedelta can hold with room.
_LONGEST_SECONDS = 10**10


def parse_datetime(value: str) -> datetime:
    """Both formats the API uses become timezone-aware datetimes.

    ``2021-12-01T05:08:45Z`` is ISO UTC. ``2017-08-30 12:02:57.0`` carries no zone; the
    request side of the same API is UTC, so it is read as UTC too.
    """
    raw = value.strip()
    try:
        if "T" in raw:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        else:
            moment = datetime.strptime(
                raw, "%Y-%m-%d %H:%M:%S.%f" if "." in raw else "%Y-%m-%d %H:%M:%S"
            )
    except ValueError as exc:
        raise ProtocolError(f"not a date: {raw!r:.40}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def date(container: JsonObject, field: str) -> datetime | None:
    """A date field; one outside 1970–9000 (or not representable in UTC) is unknown: None."""
    value = text(container, field)
    if value is None:
        return None
    try:
        moment = parse_datetime(value)
    except ProtocolError as exc:
        raise ProtocolError(f"{field}: {exc}") from exc
    try:
        in_range = _EARLIEST <= moment <= _LATEST
    except OverflowError:  # e.g. 0001-01-01T00:00:00+23:59 cannot be compared in UTC
        return None
    return moment if in_range else None


def duration(container: JsonObject, field: str) -> timedelta | None:
    """``h:mm:ss`` (hours may exceed 24), or a plain number of seconds.

    An infinite, negative or absurdly long value (``1e20``, ``"inf"``) is unknown: None.
    """
    value = container.get(field)
    if value is None or value == "":
        return None
    seconds: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, str):
        match = _DURATION.match(value.strip())
        if match:
            days, hours, minutes, secs = (int(g) if g else 0 for g in match.groups())
            seconds = days * 86_400 + hours * 3600 + minutes * 60 + secs
        else:
            with contextlib.suppress(ValueError):
                seconds = float(value)
    if seconds is None:
        raise ProtocolError(f"{field}: not a duration: {value!r:.40}")
    if not (0 <= seconds <= _LONGEST_SECONDS):  # also false for NaN
        return None
    return timedelta(seconds=seconds)


def format_duration(value: timedelta) -> str:
    """The API's own ``h:mm:ss`` form."""
    total = int(value.total_seconds())
    return f"{total // 3600}:{total // 60 % 60:02d}:{total % 60:02d}"


def strings(container: JsonObject, field: str, item_key: str) -> list[str]:
    """A list of plain values in either shape (``{"Field": {"Item": [...]}}`` or flat) as text.

    Numbers are accepted and turned into text (type drift); objects are a protocol error.
    """
    value = container.get(field)
    if isinstance(value, Mapping):
        value = value.get(item_key)
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        value = [value]
    out: list[str] = []
    for i, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise ProtocolError(f"{field}[{i}]: expected text, got {type(item).__name__}")
        out.append(str(item))
    return out


def numbers(container: JsonObject, field: str, item_key: str) -> list[float]:
    """A list of numbers in either shape; numeric strings are accepted (type drift)."""
    value = container.get(field)
    if isinstance(value, Mapping):
        value = value.get(item_key)
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        value = [value]
    out: list[float] = []
    for i, item in enumerate(value):
        result = number({"n": item}, "n")
        if result is None or not abs(result) < float("inf"):  # also false for NaN
            raise ProtocolError(f"{field}[{i}]: expected a number, got {item!r:.40}")
        out.append(result)
    return out
