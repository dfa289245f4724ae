"""The sandbox account's casters: a realistic hand-written set plus any number of generated ones.

Ids, names and dates are deterministic, so the same caster has the same id on every run. The
seed covers every case a client must handle: idle and streaming, general (NormType 1) and
playlist (NormType 6), PrePaid and PostPaid, tagged, a console-style id, a caster without a
streaming domain (StartCaster → InvalidDomainName.NotFound) and one the account may not touch.

Every caster, seed or generated, also has the same sources and layouts
(``app.sandbox.layouts``), each source with its own look on the scene streams: RV01 "CAM 1" on
blue (30, 80, 200) with a 440 Hz beep, RV02 "CAM 2" on amber (230, 130, 20) at 660 Hz, RV03
"SLIDES" on purple (150, 40, 160) at 880 Hz; the standby slate "STANDBY" is dark grey
(55, 55, 60) at 220 Hz. Layouts: each source alone, and CAM 1 with CAM 2 picture-in-picture.
Once started, PVW shows CAM 1 and PGM shows SLIDES.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.sandbox.state import Caster, stable_hex, stable_uuid


def _at(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp()


@dataclass(frozen=True, slots=True)
class SeedCaster:
    """A seed caster and whether it is streaming when the sandbox boots."""

    caster: Caster
    streaming: bool = False
    streaming_for_s: float = 0.0  # how long it has "already" been on air at boot


def seed_casters() -> list[SeedCaster]:
    """The hand-written casters, in a fixed order."""
    return [
        SeedCaster(
            Caster(
                caster_id=stable_uuid("seed:spring-gala"),
                caster_name="春晚主会场",
                norm_type=1,
                caster_template="lp_hd",
                create_time=_at("2025-01-06 02:15:07"),
                last_modified=_at("2025-01-28 11:00:00"),
                tags=(("project", "spring-gala"), ("env", "prod")),
                client_token_id=stable_uuid("token:spring-gala"),
                program_name="春节联欢晚会",
            ),
            streaming=True,
            streaming_for_s=3723.0,
        ),
        SeedCaster(
            Caster(
                caster_id=stable_uuid("seed:product-launch"),
                caster_name="Product Launch Keynote",
                norm_type=1,
                caster_template="lp_ud",
                create_time=_at("2025-03-11 08:30:00"),
                last_modified=_at("2025-03-18 17:45:12"),
                tags=(("project", "launch"), ("env", "prod")),
                client_token_id=stable_uuid("token:product-launch"),
            )
        ),
        SeedCaster(
            Caster(
                caster_id=stable_uuid("seed:music-loop"),
                caster_name="24小时音乐轮播",
                norm_type=6,
                caster_template="lp_sd",
                create_time=_at("2024-11-02 13:04:55"),
                last_modified=_at("2025-02-14 06:20:31"),
                tags=(("env", "prod"),),
                client_token_id=stable_uuid("token:music-loop"),
            )
        ),
        SeedCaster(
            Caster(
                caster_id=stable_uuid("seed:esports-finals"),
                caster_name="Esports Finals · Stage B",
                norm_type=1,
                charge_type="PrePaid",
                caster_template="lp_ud",
                create_time=_at("2025-04-01 00:00:00"),
                purchase_time=_at("2025-04-01 00:00:00"),
                expire_time=_at("2026-04-01 00:00:00"),
                last_modified=_at("2025-04-02 09:12:40"),
                resource_group_id="rg-acfmsandbox0002",
                tags=(("project", "esports"), ("env", "staging")),
                client_token_id=stable_uuid("token:esports-finals"),
            )
        ),
        SeedCaster(
            Caster(
                caster_id="LIVEPRODUCER_POST-cn-0pp1czt0a01",  # console-created id format
                caster_name="体育频道 · 篮球联赛",
                norm_type=1,
                caster_template="lp_sd_v",
                create_time=_at("2024-09-20 10:00:00"),
                last_modified=_at("2024-12-31 23:59:59"),
                client_token_id=stable_uuid("token:basketball"),
            )
        ),
        SeedCaster(
            Caster(
                caster_id=stable_uuid("seed:weekly-webinar"),
                caster_name="Weekly Webinar Studio",
                norm_type=1,
                caster_template="lp_ld",
                create_time=_at("2025-05-05 05:05:05"),
                last_modified=_at("2025-05-05 05:05:05"),
                domain_name=None,  # never configured: StartCaster → InvalidDomainName.NotFound
                client_token_id=stable_uuid("token:weekly-webinar"),
            )
        ),
        SeedCaster(
            Caster(
                caster_id=stable_uuid("seed:finance-quarterly"),
                caster_name="财务部季度会议",
                norm_type=1,
                create_time=_at("2025-02-01 01:00:00"),
                last_modified=_at("2025-02-01 01:00:00"),
                resource_group_id="rg-acfmfinance0001",
                forbidden=True,  # another team's caster: PermissionDenied / IllegalOperation
                client_token_id=stable_uuid("token:finance-quarterly"),
            )
        ),
        SeedCaster(
            Caster(
                caster_id=stable_uuid("seed:campus-tour"),
                caster_name="Campus Open Day 校园开放日",
                norm_type=6,
                create_time=_at("2025-06-10 03:30:00"),
                last_modified=_at("2025-06-11 04:40:00"),
                tags=(("env", "staging"),),
                client_token_id=stable_uuid("token:campus-tour"),
            )
        ),
    ]


_GENERATED_BASE = _at("2025-07-01 00:00:00")
_TEMPLATES = ("lp_ld", "lp_sd", "lp_hd", "lp_ud", "lp_hd_v")


def generated_caster(index: int) -> Caster:
    """The ``index``-th generated caster (1-based), always the same for the same index."""
    key = f"generated:{index}"
    created = _GENERATED_BASE - index * 3607.0
    name = f"Studio {index:05d}" if index % 2 else f"导播台 {index:05d}"
    prepaid = index % 5 == 0
    tags: tuple[tuple[str, str], ...] = ()
    if index % 3 == 0:
        tags = (("env", "prod" if index % 2 else "staging"), ("batch", str(index % 10)))
    return Caster(
        caster_id=stable_uuid(key),
        caster_name=name,
        norm_type=6 if index % 7 == 0 else 1,
        charge_type="PrePaid" if prepaid else "PostPaid",
        caster_template=_TEMPLATES[index % len(_TEMPLATES)],
        channel_enable=int(index % 4 != 0),
        create_time=created,
        purchase_time=created if prepaid else None,
        expire_time=created + 365 * 86400 if prepaid else None,
        last_modified=created + (index % 97) * 60.0,
        resource_group_id="rg-acfmsandbox0001" if index % 4 else "rg-acfmsandbox0002",
        tags=tags,
        client_token_id=stable_hex(f"token:{key}"),
        stream_prefix=key,
    )
