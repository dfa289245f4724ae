"""The console's words for codes: transcode tiers, caster templates and regions.

The codes (``lld``, ``lp_hd``, ``cn-shanghai``) stay in tooltips, in JSON and wherever a
director pastes them into a ticket; what is shown is what the Alibaba Cloud console shows.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def tier_name(code: str) -> str:
    """``lld`` → Fluent (流畅), ``lsd`` → SD, ``lhd`` → HD, ``lud`` → Ultra HD; else the code."""
    names = {
        "lld": QCoreApplication.translate("Names", "Fluent"),
        "lsd": QCoreApplication.translate("Names", "SD"),
        "lhd": QCoreApplication.translate("Names", "HD"),
        "lud": QCoreApplication.translate("Names", "Ultra HD"),
    }
    return names.get(code, code)


def template_name(code: str | None) -> str:
    """A caster template: ``lp_hd`` → HD, ``lp_hd_v`` → HD · portrait; unknown codes as they are."""
    if not code:
        return ""
    base, portrait = (code[:-2], True) if code.endswith("_v") else (code, False)
    tier = {"lp_ld": "lld", "lp_sd": "lsd", "lp_hd": "lhd", "lp_ud": "lud"}.get(base)
    if tier is None:
        return code
    name = tier_name(tier)
    if portrait:
        return QCoreApplication.translate("Names", "{0} · portrait").format(name)
    return name


def region_name(region_id: str) -> str:
    """The console's name of a region (``cn-shanghai`` → China (Shanghai)); "" if unknown."""
    names = {
        "cn-shanghai": QCoreApplication.translate("Names", "China (Shanghai)"),
        "cn-beijing": QCoreApplication.translate("Names", "China (Beijing)"),
        "cn-hangzhou": QCoreApplication.translate("Names", "China (Hangzhou)"),
        "cn-shenzhen": QCoreApplication.translate("Names", "China (Shenzhen)"),
        "cn-qingdao": QCoreApplication.translate("Names", "China (Qingdao)"),
        "ap-southeast-1": QCoreApplication.translate("Names", "Singapore"),
        "ap-northeast-1": QCoreApplication.translate("Names", "Japan (Tokyo)"),
        "eu-central-1": QCoreApplication.translate("Names", "Germany (Frankfurt)"),
    }
    return names.get(region_id, "")


def region_label(region_id: str) -> str:
    """``China (Shanghai) · cn-shanghai``: the name with the ID alongside (the ID alone if
    the region is not known here)."""
    name = region_name(region_id)
    return f"{name} · {region_id}" if name else region_id
