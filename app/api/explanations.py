"""Plain-language explanations, with the fix, for API error codes and transport failures.

Each entry exists in English and Chinese. Codes are matched exactly first, then by family
prefix (``Throttling.*``, ``InvalidAccessKeyId.*`` …), then by HTTP status class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Language = Literal["en", "zh"]
# Who reads the fix: the window ("press Refresh") or a terminal ("run `casterdesk casters`").
Audience = Literal["gui", "cli"]

SERVER_STRING_TO_SIGN_MARKER = "server string to sign is:"


@dataclass(frozen=True, slots=True)
class Explanation:
    """What happened, in words a director understands, and what to do about it."""

    summary: str
    fix: str
    detail: str = ""  # extra evidence, e.g. the server's string-to-sign


@dataclass(frozen=True, slots=True)
class _Entry:
    en: tuple[str, str]
    zh: tuple[str, str]
    # The fix for the command line (English, Chinese) where the window's names a control.
    cli: tuple[str, str] | None = None


_EXACT: dict[str, _Entry] = {
    "PermissionDenied": _Entry(
        (
            "This account is not allowed to use this production studio.",
            "Sign in with the account that owns the caster, or ask its owner to grant your "
            "RAM user the live:*Caster* permissions for it.",
        ),
        (
            "当前账号无权访问该导播台。",
            "请使用导播台所属账号登录，或请其所有者为你的 RAM 用户授予该导播台的 live:*Caster* 权限。",
        ),
    ),
    "IllegalOperation": _Entry(
        (
            "This account is not allowed to operate this production studio.",
            "Sign in with the account that owns the caster, or ask for permission on it.",
        ),
        (
            "当前账号无权操作该导播台。",
            "请使用导播台所属账号登录，或申请该导播台的操作权限。",
        ),
    ),
    "InvalidCaster.NotFound": _Entry(
        (
            "This production studio does not exist in the selected region.",
            "Refresh the list: it may have been deleted. If it lives in another region, "
            "switch the region selector.",
        ),
        (
            "所选地域中不存在该导播台。",
            "请刷新列表，导播台可能已被删除；如果它在其他地域，请切换地域。",
        ),
        cli=(
            "Run `casterdesk casters` to see which casters exist: it may have been deleted. If it lives in another region, add --region.",
            "请运行 `casterdesk casters` 查看现有导播台，它可能已被删除；如果它在其他地域，请加上 --region。",
        ),
    ),
    "InvalidConfiguration.NotFound": _Entry(
        (
            "The production studio has no streaming domain configured (DomainName is not "
            "configured).",
            "In the ApsaraVideo Live console, open the caster's settings and choose a "
            "streaming domain (SetCasterConfig DomainName), then start again.",
        ),
        (
            "导播台未配置播流域名（DomainName is not configured）。",
            "请在视频直播控制台的导播台设置中选择播流域名（SetCasterConfig 的 DomainName），然后重新启动。",
        ),
    ),
    "InvalidDomainName.NotFound": _Entry(
        (
            "The production studio has no streaming domain configured.",
            "In the ApsaraVideo Live console, open the caster's settings and choose a "
            "streaming domain (SetCasterConfig DomainName), then start again.",
        ),
        (
            "导播台未配置播流域名。",
            "请在视频直播控制台的导播台设置中选择播流域名（SetCasterConfig 的 DomainName），然后重新启动。",
        ),
    ),
    "InternalError": _Entry(
        (
            "Alibaba Cloud had an internal error while handling the request.",
            "Wait a few seconds and try again. If it keeps happening, open a ticket with "
            "the RequestId below.",
        ),
        (
            "阿里云处理请求时发生内部错误。",
            "请稍候几秒重试；如果持续出现，请携带下方 RequestId 提交工单。",
        ),
    ),
    "ServiceUnavailable": _Entry(
        (
            "The Live service is temporarily unavailable.",
            "Wait a moment and try again. If it lasts, check the Alibaba Cloud status page "
            "and open a ticket with the RequestId.",
        ),
        (
            "直播服务暂时不可用。",
            "请稍后重试；如果持续，请查看阿里云服务状态并携带 RequestId 提交工单。",
        ),
    ),
    "SignatureDoesNotMatch": _Entry(
        (
            "Alibaba Cloud rejected the request signature: the AccessKey secret does not "
            "match the AccessKey ID.",
            "Re-enter the AccessKey secret for this account (watch for spaces pasted at the "
            "start or end). The server's string-to-sign is shown for debugging.",
        ),
        (
            "阿里云拒绝了请求签名：AccessKey Secret 与 AccessKey ID 不匹配。",
            "请重新输入该账号的 AccessKey Secret（注意首尾不要带空格）。下方显示了服务器端的待签名字符串，便于排查。",
        ),
        cli=(
            "Check the AccessKey secret that was used (-v names its source: the environment, a profile or the aliyun CLI config), and watch for spaces pasted at the start or end. The server's string-to-sign is shown for debugging.",
            "请检查所用的 AccessKey Secret（加 -v 可看到它来自环境变量、配置档还是 aliyun CLI 配置），注意首尾不要带空格。下方显示了服务器端的待签名字符串，便于排查。",
        ),
    ),
    "InvalidTimeStamp.Expired": _Entry(
        (
            "The request's time stamp is too far from Alibaba Cloud's clock (more than 15 "
            "minutes).",
            "Check your clock: set this computer's date, time and time zone correctly "
            "(turn on automatic time), then try again.",
        ),
        (
            "请求时间戳与阿里云服务器时间相差超过 15 分钟。",
            "请检查时钟：校正本机的日期、时间和时区（建议开启自动对时），然后重试。",
        ),
    ),
    "InvalidTimeStamp.Format": _Entry(
        (
            "The request's time stamp was not in the expected format.",
            "This is a bug in Caster Desk; please report it with the RequestId.",
        ),
        (
            "请求时间戳格式不正确。",
            "这是 Caster Desk 的缺陷，请携带 RequestId 反馈。",
        ),
    ),
    "SignatureNonceUsed": _Entry(
        (
            "The request was refused because its one-time number (nonce) was already used.",
            "Try again: each new attempt uses a new nonce. If it repeats, check that no "
            "proxy is replaying requests.",
        ),
        (
            "请求的一次性随机数（Nonce）已被使用，请求被拒绝。",
            "请重试，每次重试都会使用新的随机数；如果反复出现，请检查是否有代理在重放请求。",
        ),
    ),
    "Forbidden.RAM": _Entry(
        (
            "Your RAM user is not authorised for this action.",
            "Ask the account administrator to attach a policy allowing live:*Caster* "
            "actions (for example AliyunLiveFullAccess) to your RAM user.",
        ),
        (
            "你的 RAM 用户未被授权执行此操作。",
            "请联系主账号管理员为你的 RAM 用户添加允许 live:*Caster* 操作的策略（例如 AliyunLiveFullAccess）。",
        ),
    ),
    "Forbidden": _Entry(
        (
            "Alibaba Cloud refused this action for this account.",
            "Check the account's permissions and status in the console.",
        ),
        (
            "阿里云拒绝该账号执行此操作。",
            "请在控制台检查账号权限与状态。",
        ),
    ),
    "Forbidden.RiskControl": _Entry(
        (
            "The request was blocked by Alibaba Cloud's risk control.",
            "Log in to the Alibaba Cloud console to verify the account, then try again.",
        ),
        (
            "请求被阿里云风控拦截。",
            "请登录阿里云控制台完成账号验证后重试。",
        ),
    ),
    "MissingParameter": _Entry(
        (
            "The request was missing a required parameter.",
            "This is a bug in Caster Desk; please report it with the RequestId.",
        ),
        (
            "请求缺少必填参数。",
            "这是 Caster Desk 的缺陷，请携带 RequestId 反馈。",
        ),
    ),
    "InvalidApi.NotFound": _Entry(
        (
            "The endpoint does not offer this API action.",
            "Check the endpoint in the account settings: it should be live.aliyuncs.com "
            "(or your region's Live endpoint).",
        ),
        (
            "该接入地址不提供此 API。",
            "请检查账号设置中的接入地址，应为 live.aliyuncs.com（或所在地域的直播接入地址）。",
        ),
        cli=(
            "Check --endpoint, CASTERDESK_ENDPOINT or the profile's endpoint: it should be live.aliyuncs.com (or your region's Live endpoint).",
            "请检查 --endpoint、CASTERDESK_ENDPOINT 或配置档中的接入地址，应为 live.aliyuncs.com（或所在地域的直播接入地址）。",
        ),
    ),
    "IncorrectCasterStatus": _Entry(
        (
            "The production studio is not in a state that allows this action.",
            "Refresh to see its current status, then try again.",
        ),
        (
            "导播台当前状态不允许此操作。",
            "请刷新查看当前状态后重试。",
        ),
        cli=(
            "Run `casterdesk casters` to see its current status, then try again.",
            "请运行 `casterdesk casters` 查看当前状态后重试。",
        ),
    ),
    "IncorrectSceneStatus": _Entry(
        (
            "A scene of the production studio is not in a state that allows this action.",
            "Refresh to see the current status, then try again.",
        ),
        (
            "导播台场景当前状态不允许此操作。",
            "请刷新查看当前状态后重试。",
        ),
        cli=(
            "Run `casterdesk casters` to see the current status, then try again.",
            "请运行 `casterdesk casters` 查看当前状态后重试。",
        ),
    ),
    "InvalidScene.NotFound": _Entry(
        (
            "The scene does not exist in this production studio.",
            "Start the caster first so its PVW and PGM scenes are created.",
        ),
        (
            "该导播台中不存在此场景。",
            "请先启动导播台以创建 PVW 和 PGM 场景。",
        ),
    ),
    "InvalidLayout.NotFound": _Entry(
        (
            "The layout does not exist in this production studio.",
            "List the caster's layouts again and pick one of those; it may have been deleted "
            "in the console.",
        ),
        (
            "该导播台中不存在此布局。",
            "请重新获取该导播台的布局列表并从中选择；该布局可能已在控制台中被删除。",
        ),
    ),
    "InvalidSceneId.Malformed": _Entry(
        (
            "The scene ID is not valid for this production studio.",
            "Read the caster's scenes again (they are created when it starts), then try again.",
        ),
        (
            "场景 ID 无效。",
            "请重新读取导播台的场景（启动时创建）后重试。",
        ),
    ),
    "IncorrectSceneStatus.Inuse": _Entry(
        (
            "The scene is busy with another operation.",
            "Wait a moment and try again.",
        ),
        (
            "该场景正被其他操作占用。",
            "请稍候重试。",
        ),
    ),
}

# Codes whose meaning depends on the action that got them: checked before ``_EXACT``.
_BY_ACTION: dict[tuple[str, str], _Entry] = {
    ("CopyCasterSceneConfig", "IncorrectSceneStatus"): _Entry(
        (
            "Nothing to take: the preview (PVW) scene is not running (From scene is not started).",
            "Start the caster, check what is on PVW, then take again.",
        ),
        (
            "无法切换到 PGM：预览（PVW）场景未启动（From scene is not started）。",
            "请先启动导播台，确认 PVW 画面后再切换。",
        ),
    ),
    ("EffectCasterUrgent", "IncorrectSceneStatus"): _Entry(
        (
            "Standby needs a running program (PGM) scene, and it is not running.",
            "Start the caster first; standby only replaces what is on air.",
        ),
        (
            "切换备播需要 PGM 场景正在运行，但它未启动。",
            "请先启动导播台；备播只会替换正在播出的画面。",
        ),
    ),
    ("UpdateCasterSceneConfig", "InvalidScene.NotFound"): _Entry(
        (
            "The scene does not exist: the caster has no PVW/PGM scenes yet.",
            "Start the caster first so its scenes are created, then choose the layout again.",
        ),
        (
            "场景不存在：导播台尚未创建 PVW/PGM 场景。",
            "请先启动导播台以创建场景，然后重新选择布局。",
        ),
    ),
}

_PREFIX: list[tuple[str, _Entry]] = [
    (
        "Throttling",
        _Entry(
            (
                "Too many requests: Alibaba Cloud is limiting this account's request rate.",
                "Wait a second and try again. Close other tools that call the Live API with "
                "the same account at the same time.",
            ),
            (
                "请求过于频繁，阿里云正在对该账号限流。",
                "请稍等一秒再试，并关闭同时使用该账号调用直播 API 的其他工具。",
            ),
        ),
    ),
    (
        "InvalidAccessKeyId",
        _Entry(
            (
                "Alibaba Cloud does not recognise this AccessKey ID, or it is disabled.",
                "Check the AccessKey ID in the account settings. In the RAM console, make "
                "sure the key exists and is enabled, or create a new one.",
            ),
            (
                "阿里云无法识别该 AccessKey ID，或该 AccessKey 已被禁用。",
                "请检查账号设置中的 AccessKey ID，并在 RAM 控制台确认该 AccessKey 存在且已启用，或新建一个。",
            ),
            cli=(
                "Check the AccessKey ID that was used (-v names its source). In the RAM console, make sure the key exists and is enabled, or create a new one.",
                "请检查所用的 AccessKey ID（加 -v 可看到其来源），并在 RAM 控制台确认该 AccessKey 存在且已启用，或新建一个。",
            ),
        ),
    ),
    (
        "Missing",
        _Entry(
            (
                "The request was missing a required parameter.",
                "This is a bug in Caster Desk; please report it with the RequestId.",
            ),
            (
                "请求缺少必填参数。",
                "这是 Caster Desk 的缺陷，请携带 RequestId 反馈。",
            ),
        ),
    ),
    (
        "Invalid",
        _Entry(
            (
                "Alibaba Cloud rejected a value in the request.",
                "Check the caster ID, region and account settings; the message below names "
                "the value.",
            ),
            (
                "阿里云拒绝了请求中的某个参数值。",
                "请检查导播台 ID、地域和账号设置；下方消息指出了具体参数。",
            ),
            cli=(
                "Check the caster ID, --region and the profile; the message below names the value.",
                "请检查导播台 ID、--region 与配置档；下方消息指出了具体参数。",
            ),
        ),
    ),
]

_BY_STATUS: dict[int, _Entry] = {
    5: _Entry(
        (
            "Alibaba Cloud had a problem handling the request.",
            "Wait a few seconds and try again. If it keeps happening, open a ticket with the "
            "RequestId.",
        ),
        (
            "阿里云处理请求时出现问题。",
            "请稍候几秒重试；如果持续出现，请携带 RequestId 提交工单。",
        ),
    ),
    4: _Entry(
        (
            "Alibaba Cloud refused the request.",
            "Read the message below; check the account, region and caster selection.",
        ),
        (
            "阿里云拒绝了该请求。",
            "请阅读下方消息，并检查账号、地域与导播台选择。",
        ),
        cli=(
            "Read the message below; check the profile, --region and the caster ID.",
            "请阅读下方消息，并检查配置档、--region 与导播台 ID。",
        ),
    ),
}

_TRANSPORT: dict[str, _Entry] = {
    "network": _Entry(
        (
            "Could not reach the Live API.",
            "Check your internet connection, proxy and firewall, and the endpoint in the "
            "account settings, then try again.",
        ),
        (
            "无法连接直播 API。",
            "请检查网络连接、代理和防火墙设置，以及账号设置中的接入地址，然后重试。",
        ),
        cli=(
            "Check your internet connection, proxy and firewall, and --endpoint or CASTERDESK_ENDPOINT if you set one, then try again.",
            "请检查网络连接、代理和防火墙设置，以及 --endpoint 或 CASTERDESK_ENDPOINT（如有设置），然后重试。",
        ),
    ),
    "timeout": _Entry(
        (
            "The Live API did not answer in time.",
            "The network or the service may be slow. Try again in a moment; if it keeps "
            "happening, check your connection, proxy or VPN.",
        ),
        (
            "直播 API 未能及时响应。",
            "网络或服务可能较慢，请稍后重试；如果持续超时，请检查网络连接、代理或 VPN。",
        ),
    ),
    "protocol": _Entry(
        (
            "The answer from the server was not a valid Live API response.",
            "Check the endpoint in the account settings (a proxy or captive portal may be "
            "answering instead). Try again in a moment.",
        ),
        (
            "服务器返回的不是有效的直播 API 响应。",
            "请检查账号设置中的接入地址（可能是代理或认证页面在应答），稍后重试。",
        ),
        cli=(
            "Check --endpoint, CASTERDESK_ENDPOINT or the profile's endpoint (a proxy or captive portal may be answering instead). Try again in a moment.",
            "请检查 --endpoint、CASTERDESK_ENDPOINT 或配置档中的接入地址（可能是代理或认证页面在应答），稍后重试。",
        ),
    ),
    "unknown_outcome": _Entry(
        (
            "The request may or may not have taken effect, and its state could not be checked.",
            "Press Refresh to see the caster's real status before trying again.",
        ),
        (
            "请求可能已生效也可能未生效，且无法确认其状态。",
            "请先点击刷新查看导播台的实际状态，再决定是否重试。",
        ),
        cli=(
            "Run `casterdesk casters` to see the caster's real status before trying again.",
            "请先运行 `casterdesk casters` 查看导播台的实际状态，再决定是否重试。",
        ),
    ),
    "still_idle": _Entry(
        (
            "Start got no clear answer, so Caster Desk checked: the caster is still idle and "
            "nothing was started.",
            "It is safe to press Start again.",
        ),
        (
            "启动请求未得到明确响应，Caster Desk 已核实：导播台仍处于空闲状态，未被启动。",
            "可以放心再次点击“启动”。",
        ),
        cli=(
            "It is safe to run `casterdesk start` again.",
            "可以放心再次运行 `casterdesk start`。",
        ),
    ),
    "scene_unchanged": _Entry(
        (
            "The switch got no clear answer, so Caster Desk checked the scenes: nothing changed.",
            "It is safe to try again.",
        ),
        (
            "切换请求未得到明确响应，Caster Desk 已核实场景：画面未改变。",
            "可以放心再次操作。",
        ),
    ),
    "standby_unknown": _Entry(
        (
            "Standby got no clear answer, and the API cannot show whether PGM is on standby "
            "(PGM is running).",
            "Look at the PGM monitor. Cutting to standby again is safe: it changes nothing if "
            "standby is already on.",
        ),
        (
            "备播请求未得到明确响应，且 API 无法查询 PGM 是否处于备播（PGM 正在运行）。",
            "请查看 PGM 监看画面。再次切换到备播是安全的：如果已在备播，不会有任何变化。",
        ),
    ),
    "still_streaming": _Entry(
        (
            "Stop got no clear answer, so Caster Desk checked: the caster is still streaming.",
            "It is safe to press Stop again.",
        ),
        (
            "停止请求未得到明确响应，Caster Desk 已核实：导播台仍在导播中。",
            "可以放心再次点击“停止”。",
        ),
        cli=(
            "It is safe to run `casterdesk stop` again.",
            "可以放心再次运行 `casterdesk stop`。",
        ),
    ),
}


def _pick(entry: _Entry, lang: Language, audience: Audience = "gui") -> tuple[str, str]:
    summary, fix = entry.zh if lang == "zh" else entry.en
    if audience == "cli" and entry.cli:
        fix = entry.cli[1] if lang == "zh" else entry.cli[0]
    return summary, fix


def server_string_to_sign(message: str) -> str:
    """The string-to-sign the gateway echoes in a SignatureDoesNotMatch message, if any."""
    _, marker, rest = message.partition(SERVER_STRING_TO_SIGN_MARKER)
    return rest.strip() if marker else ""


def lookup(code: str) -> _Entry | None:
    """The table entry for ``code``: exact match, else the first matching family prefix.

    ``_PREFIX`` lists specific families before general ones (``InvalidAccessKeyId`` before
    ``Invalid``), so the first match is the most specific.
    """
    if code in _EXACT:
        return _EXACT[code]
    for prefix, entry in _PREFIX:
        if code.startswith(prefix):
            return entry
    return None


def explain(
    code: str,
    *,
    message: str = "",
    http_status: int | None = None,
    lang: Language = "en",
    audience: Audience = "gui",
) -> Explanation:
    """Explain an API error code in ``lang`` for ``audience``, else by the HTTP status class."""
    entry = lookup(code)
    if entry is None:
        status_class = (http_status or 500) // 100
        entry = _BY_STATUS.get(status_class, _BY_STATUS[5])
    summary, fix = _pick(entry, lang, audience)
    detail = server_string_to_sign(message) if code == "SignatureDoesNotMatch" else message
    return Explanation(summary, fix, detail)


def explain_transport(
    kind: str, detail: str, lang: Language = "en", audience: Audience = "gui"
) -> Explanation:
    """Explain a failure that is not an API error: ``network``, ``timeout``, ``protocol``…"""
    summary, fix = _pick(_TRANSPORT.get(kind, _TRANSPORT["protocol"]), lang, audience)
    return Explanation(summary, fix, detail)


def all_fixes(lang: Language, audience: Audience) -> list[str]:
    """Every fix text ``audience`` can see in ``lang`` (for the wording tests)."""
    entries = [
        *_EXACT.values(),
        *(e for _, e in _PREFIX),
        *_BY_STATUS.values(),
        *_BY_ACTION.values(),
    ]
    return [_pick(e, lang, audience)[1] for e in [*entries, *_TRANSPORT.values()]]


def known_codes() -> list[str]:
    """Every code with its own entry (used by tests and the translation check)."""
    return list(_EXACT) + [prefix for prefix, _ in _PREFIX]


def explain_action(
    action: str | None,
    code: str,
    *,
    message: str = "",
    http_status: int | None = None,
    lang: Language = "en",
    audience: Audience = "gui",
) -> Explanation:
    """Like ``explain``, but with the wording for ``action`` where a code means something
    specific to it (IncorrectSceneStatus on a Take means PVW is not running)."""
    entry = _BY_ACTION.get((action or "", code))
    if entry is None:
        return explain(code, message=message, http_status=http_status, lang=lang, audience=audience)
    summary, fix = _pick(entry, lang, audience)
    return Explanation(summary, fix, message)


def action_specific_codes() -> list[tuple[str, str]]:
    """(action, code) pairs with their own wording (used by tests)."""
    return list(_BY_ACTION)
