"""Media faults: break one output of every sandbox caster, so output checks are tested for real.

``casterdesk sandbox --media-fault SPEC`` (repeatable) or ``Sandbox(media_faults=[...])``.
SPEC is ``RENDITION[/FORMAT]:KIND``:

- RENDITION: ``pvw``, ``pgm`` (the monitors) or a PGM tier ``lld``, ``lsd``, ``lhd``, ``lud``;
- FORMAT (optional, else every format of it): ``rtmp``, ``flv`` or ``m3u8``;
- KIND:
  - ``dead``: RTMP play answers StreamNotFound, HTTP answers 404;
  - ``black``, ``frozen``, ``silent``: the stream plays, but its picture is black, its picture
    never changes, or its audio is digital silence (``app.sandbox.media.variants``);
  - ``wrong-size``: served at another tier's picture size (see ``WRONG_SIZE``);
  - ``expire=SECONDS``: the URLs the API hands out expire that many seconds from when they are
    signed (negative: already expired), so the origin refuses them after that.

A format-narrowed rule wins over a general one for the same rendition; otherwise the last wins.
``expire`` rules are kept apart from the others, so ``lud:expire=60`` and ``lud:black`` combine.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.sandbox.media.variants import VARIANTS

MEDIA_RENDITIONS: tuple[str, ...] = ("pvw", "pgm", "lld", "lsd", "lhd", "lud")
MEDIA_FORMATS: tuple[str, ...] = ("rtmp", "flv", "m3u8")
KINDS: tuple[str, ...] = ("dead", *VARIANTS, "wrong-size", "expire")

# The size a ``wrong-size`` output is served at: a size outside its tier's band (see
# ``app.probe.judge.TIER_BANDS``): the next tier down, lld the 720p of lhd; the 360p monitors
# get lhd's 720p.
WRONG_SIZE = {"pvw": "lhd", "pgm": "lhd", "lld": "lhd", "lsd": "lld", "lhd": "lsd", "lud": "lhd"}


@dataclass(frozen=True, slots=True)
class MediaFault:
    """One rule: what goes wrong (``kind``) on which rendition, in one format or all."""

    rendition: str
    kind: str
    format: str | None = None
    expire_s: int = 0

    def __post_init__(self) -> None:
        if self.rendition not in MEDIA_RENDITIONS:
            raise ValueError(f"unknown rendition {self.rendition!r}; use {MEDIA_RENDITIONS}")
        if self.format is not None and self.format not in MEDIA_FORMATS:
            raise ValueError(f"unknown format {self.format!r}; use {MEDIA_FORMATS}")
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}; use {KINDS[:-1]} or expire=SECONDS")

    def matches(self, rendition: str, fmt: str) -> bool:
        return self.rendition == rendition and self.format in (None, fmt)

    def __str__(self) -> str:
        where = self.rendition + (f"/{self.format}" if self.format else "")
        return f"{where}:{'expire=' + str(self.expire_s) if self.kind == 'expire' else self.kind}"


def parse_media_fault(spec: str) -> MediaFault:
    """Parse ``RENDITION[/FORMAT]:KIND`` (see the module docstring); ValueError says what's wrong."""
    where, sep, kind = spec.strip().partition(":")
    rendition, _, fmt = where.strip().lower().partition("/")
    kind = kind.strip().lower()
    if not sep or not rendition or not kind:
        raise ValueError(f"media fault {spec!r} is not RENDITION[/FORMAT]:KIND")
    expire_s = 0
    if kind.startswith("expire"):
        name, has_value, value = kind.partition("=")
        try:
            if name != "expire" or not has_value:
                raise ValueError
            expire_s = int(value)
        except ValueError:
            raise ValueError(
                f"media fault {spec!r}: expire needs whole seconds, e.g. expire=60"
            ) from None
        kind = "expire"
    try:
        return MediaFault(rendition, kind, fmt or None, expire_s)
    except ValueError as exc:
        raise ValueError(f"media fault {spec!r}: {exc}") from None


def pick(faults: list[MediaFault], rendition: str, fmt: str, *, expire: bool) -> MediaFault | None:
    """The rule that applies to ``rendition`` in ``fmt``: an ``expire`` rule or any other kind."""
    found: MediaFault | None = None
    for fault in faults:
        if (fault.kind == "expire") != expire or not fault.matches(rendition, fmt):
            continue
        if found is None or fault.format is not None or found.format is None:
            found = fault
    return found
