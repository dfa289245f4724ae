"""When a signed play URL stops working, read from its ``auth_key`` ("type A" URL signing).

``auth_key=<timestamp>-<rand>-<uid>-<md5>``: the timestamp is the *signing base*, not the expiry.
The CDN refuses the URL once ``timestamp + validity`` has passed, where the validity period is a
setting of the streaming domain (URL authentication in the Live console; DescribeLiveDomainConfigs
``aliauth``). The caster API does not return it, so Caster Desk cannot know it: it assumes
``DEFAULT_URL_VALIDITY_S`` unless told otherwise (``--url-validity``, or the
``CASTERDESK_URL_VALIDITY`` environment variable), and says that it assumed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

# 30 minutes: Alibaba Cloud's console generates signed URLs with a validity period the user sets
# per domain; we assume a short one so that a warning errs on the side of "refresh sooner".
DEFAULT_URL_VALIDITY_S = 1800
VALIDITY_ENV = "CASTERDESK_URL_VALIDITY"


@dataclass(frozen=True, slots=True)
class UrlExpiry:
    """A URL's signing time and expiry (Unix seconds); ``assumed`` when the validity is a guess."""

    signed_at: int
    expires_at: int
    validity_s: int
    assumed: bool

    def seconds_left(self, now: float) -> float:
        return self.expires_at - now


def validity_from_env(default: int = DEFAULT_URL_VALIDITY_S) -> tuple[int, bool]:
    """(validity seconds, assumed?) from ``CASTERDESK_URL_VALIDITY``, or the default (assumed)."""
    raw = os.environ.get(VALIDITY_ENV, "").strip()
    if raw.isdigit():
        return int(raw), False
    return default, True


def auth_key_of(url: str) -> str | None:
    """The ``auth_key`` query value of ``url``, if any."""
    try:
        query = urlsplit(url).query
    except ValueError:
        return None
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name == "auth_key":
            return value
    return None


def url_expiry(url: str, validity_s: int | None = None) -> UrlExpiry | None:
    """When ``url`` expires, or None when it carries no readable ``auth_key`` (unsigned URLs
    never expire by signature). ``validity_s`` None: from the environment, else the default."""
    key = auth_key_of(url)
    if not key:
        return None
    timestamp = key.split("-", 1)[0]
    if not timestamp.isdigit() or len(timestamp) > 12:
        return None
    if validity_s is None:
        validity_s, assumed = validity_from_env()
    else:
        assumed = False
    signed_at = int(timestamp)
    return UrlExpiry(signed_at, signed_at + validity_s, validity_s, assumed)
