"""What the API layer needs from a media origin, and a URL-only stand-in.

The real origin (``app.sandbox.media.origin.MediaOrigin``) serves RTMP, HTTP-FLV and HLS. The
API layer only publishes, unpublishes and cuts streams and asks for signed URLs, so it codes
against :class:`MediaBackend`. :class:`UrlOnlyMedia` signs URLs the same way but serves nothing;
it keeps the API emulator usable (and fast) where no video is wanted.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from typing import Protocol

RENDITIONS = ("pvw", "pgm", "lld", "lsd", "lhd", "lud")
TIERS = ("lld", "lsd", "lhd", "lud")
APP_NAME = "caster"


class MediaBackend(Protocol):
    """The subset of the media origin the API emulator uses (all called on the loop thread)."""

    def publish(
        self, stream_name: str, rendition: str, *, on_air_s: float = 0.0, look: str = "cam1"
    ) -> None: ...
    def set_look(self, stream_name: str, look: str) -> float | None: ...
    def unpublish(self, stream_name: str) -> None: ...
    def cut(self, stream_name: str, seconds: float) -> None: ...
    def rtmp_url(self, stream_name: str) -> str: ...
    def flv_url(self, stream_name: str) -> str: ...
    def hls_url(self, stream_name: str) -> str: ...


def auth_key(uri: str, private_key: str, expires_at: int, rand: str = "0", uid: str = "0") -> str:
    """A "type A" ``auth_key`` value: ``<ts>-<rand>-<uid>-md5("<uri>-<ts>-<rand>-<uid>-<key>")``."""
    digest = hashlib.md5(
        f"{uri}-{expires_at}-{rand}-{uid}-{private_key}".encode(), usedforsecurity=False
    ).hexdigest()
    return f"{expires_at}-{rand}-{uid}-{digest}"


class UrlOnlyMedia:
    """Signed URLs on a host that never resolves (``.invalid``), and a record of what is live."""

    def __init__(self, *, private_key: str, host: str = "media.sandbox.invalid") -> None:
        self._key = private_key
        self._host = host
        self.published: dict[str, str] = {}
        self.looks: dict[str, str] = {}
        self.cuts: dict[str, float] = {}

    def publish(
        self, stream_name: str, rendition: str, *, on_air_s: float = 0.0, look: str = "cam1"
    ) -> None:
        self.published[stream_name] = rendition
        self.looks[stream_name] = look

    def set_look(self, stream_name: str, look: str) -> float | None:
        if stream_name not in self.published:
            return None
        self.looks[stream_name] = look
        return 0.0

    def unpublish(self, stream_name: str) -> None:
        self.published.pop(stream_name, None)
        self.looks.pop(stream_name, None)

    def cut(self, stream_name: str, seconds: float) -> None:
        self.cuts[stream_name] = seconds

    def _signed(self, scheme: str, uri: str) -> str:
        token = auth_key(uri, self._key, int(time.time()) + 3600, uuid.uuid4().hex)
        return f"{scheme}://{self._host}{uri}?auth_key={token}"

    def rtmp_url(self, stream_name: str) -> str:
        return self._signed("rtmp", f"/{APP_NAME}/{stream_name}")

    def flv_url(self, stream_name: str) -> str:
        return self._signed("http", f"/{APP_NAME}/{stream_name}.flv")

    def hls_url(self, stream_name: str) -> str:
        return self._signed("http", f"/{APP_NAME}/{stream_name}.m3u8")
