"""Which URLs from an API answer a player may open: stream schemes only, and not huge.

An answer is data from the network. A ``file:`` URL in it would make the previews play a local
file; a 200 KB one stalled the GUI thread while Qt parsed it. The length is checked first, on
the raw text, before anything parses the URL.
"""

from __future__ import annotations

from typing import Literal

STREAM_SCHEMES = frozenset({"rtmp", "rtmps", "http", "https", "artc"})
MAX_URL_CHARS = 8 * 1024

Problem = Literal["too_long", "not_a_stream"]


def playback_url_problem(url: str) -> Problem | None:
    """None when a player may open ``url``; otherwise why not."""
    if len(url) > MAX_URL_CHARS:
        return "too_long"
    scheme, separator, rest = url.partition("://")
    if not separator or scheme.lower() not in STREAM_SCHEMES or not rest.split("/", 1)[0]:
        return "not_a_stream"
    return None
