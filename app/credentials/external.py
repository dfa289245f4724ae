"""Credentials the user already has outside Caster Desk, read where they live.

Three conventions are understood (reference §5):

* environment variables: ``ALIBABA_CLOUD_ACCESS_KEY_ID`` / ``_SECRET`` / ``_SECURITY_TOKEN`` and
  ``ALIBABA_CLOUD_REGION_ID``, each with the aliyun CLI's fallback names;
* the aliyun CLI's ``~/.aliyun/config.json`` (AK and StsToken profiles; other modes are
  recognised and reported as unsupported);
* the SDK's ``~/.alibabacloud/credentials.ini`` (``ALIBABA_CLOUD_CREDENTIALS_FILE`` overrides the
  path; ``type = access_key`` sections).

Everything is read fresh at each call (the official SDK reads its variables once, at import
time, which goes stale). Listing returns :class:`ExternalProfile` objects, which hold no
secret; a secret is only read by the ``load_*`` functions, when credentials are needed or the
user asked to import one.
"""

from __future__ import annotations

import configparser
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from app.api.signing import SigningKey
from app.credentials.errors import Attempt, ExternalProfileError, ProfileNotFoundError, Reason

ExternalSource = Literal["env", "aliyun-cli", "ini"]

# The official variables first, then the aliyun CLI's fallbacks (config/profile.go).
ACCESS_KEY_ID_VARS = (
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABACLOUD_ACCESS_KEY_ID",
    "ALICLOUD_ACCESS_KEY_ID",
    "ACCESS_KEY_ID",
)
ACCESS_KEY_SECRET_VARS = (
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABACLOUD_ACCESS_KEY_SECRET",
    "ALICLOUD_ACCESS_KEY_SECRET",
    "ACCESS_KEY_SECRET",
)
SECURITY_TOKEN_VARS = (
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABACLOUD_SECURITY_TOKEN",
    "ALICLOUD_SECURITY_TOKEN",
    "SECURITY_TOKEN",
)
REGION_VARS = (
    "ALIBABA_CLOUD_REGION_ID",
    "ALIBABACLOUD_REGION_ID",
    "ALICLOUD_REGION_ID",
    "REGION_ID",
    "REGION",
)
PROFILE_VAR = "ALIBABA_CLOUD_PROFILE"
CLI_DISABLED_VAR = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED"
CREDENTIALS_FILE_VAR = "ALIBABA_CLOUD_CREDENTIALS_FILE"

ENV_PROFILE_NAME = "environment"
SUPPORTED_CLI_MODES = ("AK", "StsToken")

# Recognised but unsupported modes, with a few words on what they do.
_CLI_MODES: dict[str, tuple[str, str]] = {
    "RamRoleArn": ("assumes a RAM role", "扮演 RAM 角色"),
    "EcsRamRole": ("uses an ECS instance's RAM role", "使用 ECS 实例 RAM 角色"),
    "RamRoleArnWithRoleName": ("a deprecated RAM role mode", "已弃用的 RAM 角色模式"),
    "RsaKeyPair": ("a deprecated RSA key pair mode", "已弃用的 RSA 密钥对模式"),
    "ChainableRamRoleArn": ("assumes a role from another profile", "基于其他配置扮演角色"),
    "External": ("runs an external command", "运行外部命令获取凭证"),
    "CredentialsURI": ("fetches credentials from a URI", "从 URI 获取凭证"),
    "OIDC": ("uses an OIDC token", "使用 OIDC 令牌"),
    "CloudSSO": ("signs in with CloudSSO", "使用云 SSO 登录"),
    "OAuth": ("signs in with OAuth", "使用 OAuth 登录"),
    "BearerToken": ("uses a bearer token", "使用 Bearer Token"),
    "Anonymous": ("sends unsigned requests", "不签名请求"),
}
_INI_TYPES: dict[str, tuple[str, str]] = {
    "ram_role_arn": ("assumes a RAM role", "扮演 RAM 角色"),
    "ecs_ram_role": ("uses an ECS instance's RAM role", "使用 ECS 实例 RAM 角色"),
    "oidc_role_arn": ("uses an OIDC token", "使用 OIDC 令牌"),
    "rsa_key_pair": ("a deprecated RSA key pair type", "已弃用的 RSA 密钥对类型"),
}


@dataclass(frozen=True)
class ExternalProfile:
    """An importable profile found outside Caster Desk. Holds no secret.

    ``problem`` is ``None`` when it can be used; otherwise it says why not, in plain words.
    ``selected`` marks the one the default chain would pick from its source.
    """

    source: ExternalSource
    name: str
    access_key_id: str | None
    region_id: str | None
    mode: str
    location: str
    problem: Reason | None = None
    selected: bool = False
    has_sts_token: bool = False

    @property
    def supported(self) -> bool:
        """True when Caster Desk can sign with it."""
        return self.problem is None

    @property
    def ref(self) -> str:
        """How to name it for ``resolve_credentials``: ``aliyun:<name>`` or ``ini:<name>``
        (``env`` for the environment, which has no explicit form)."""
        if self.source == "env":
            return "env"
        prefix = "aliyun" if self.source == "aliyun-cli" else "ini"
        return f"{prefix}:{self.name}"

    @property
    def label(self) -> str:
        """Where credentials came from, as in ``ResolvedCredentials.source``."""
        return "env" if self.source == "env" else f"{self.source}:{self.name}"


@dataclass(frozen=True)
class ExternalScan:
    """Everything found outside Caster Desk: profiles, and files that could not be read."""

    profiles: tuple[ExternalProfile, ...]
    problems: tuple[Attempt, ...] = ()


# --- small helpers ----------------------------------------------------------------------


def _first(environ: Mapping[str, str], names: Sequence[str]) -> tuple[str, str] | None:
    """The first variable of ``names`` that is set and non-empty, as (name, value)."""
    for name in names:
        value = environ.get(name, "").strip()
        if value:
            return name, value
    return None


def env_region(environ: Mapping[str, str]) -> str | None:
    """The region from the environment (official name first, then the CLI's fallbacks)."""
    found = _first(environ, REGION_VARS)
    return found[1] if found else None


def cli_disabled(environ: Mapping[str, str]) -> bool:
    """``ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`` turns the CLI profile off in the chain."""
    return environ.get(CLI_DISABLED_VAR, "").strip().lower() == "true"


def selected_profile_name(environ: Mapping[str, str]) -> str | None:
    """``ALIBABA_CLOUD_PROFILE``, which selects both the CLI profile and the INI section."""
    return environ.get(PROFILE_VAR, "").strip() or None


def cli_config_path(home: Path) -> Path:
    """``~/.aliyun/config.json``."""
    return home / ".aliyun" / "config.json"


def ini_path(environ: Mapping[str, str], home: Path) -> Path:
    """``ALIBABA_CLOUD_CREDENTIALS_FILE``, else ``~/.alibabacloud/credentials.ini``."""
    override = environ.get(CREDENTIALS_FILE_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    return home / ".alibabacloud" / "credentials.ini"


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _display(path: Path, home: Path) -> str:
    try:
        return "~/" + path.relative_to(home).as_posix()
    except ValueError:
        return str(path)


# --- environment --------------------------------------------------------------------------


def describe_env(environ: Mapping[str, str]) -> ExternalProfile | None:
    """The environment as an external profile, or ``None`` if no AccessKey variable is set."""
    key_id = _first(environ, ACCESS_KEY_ID_VARS)
    secret = _first(environ, ACCESS_KEY_SECRET_VARS)
    token = _first(environ, SECURITY_TOKEN_VARS)
    if key_id is None and secret is None:
        return None
    problem = None
    if key_id is None:
        problem = Reason(
            "ALIBABA_CLOUD_ACCESS_KEY_ID is not set (the secret is).",
            "未设置 ALIBABA_CLOUD_ACCESS_KEY_ID（但设置了 Secret）。",
        )
    elif secret is None:
        problem = Reason(
            f"{key_id[0]} is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not.",
            f"已设置 {key_id[0]}，但未设置 ALIBABA_CLOUD_ACCESS_KEY_SECRET。",
        )
    used = [found[0] for found in (key_id, secret, token) if found is not None]
    return ExternalProfile(
        source="env",
        name=ENV_PROFILE_NAME,
        access_key_id=key_id[1] if key_id else None,
        region_id=env_region(environ),
        mode="StsToken" if token else "AK",
        location=", ".join(used),
        problem=problem,
        selected=True,
        has_sts_token=token is not None,
    )


def load_env(environ: Mapping[str, str]) -> tuple[ExternalProfile, SigningKey]:
    """Credentials from environment variables; raises :class:`ExternalProfileError`."""
    described = describe_env(environ)
    if described is None:
        raise ExternalProfileError(
            "environment variables",
            Reason(
                "ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set.",
                "未设置 ALIBABA_CLOUD_ACCESS_KEY_ID 和 ALIBABA_CLOUD_ACCESS_KEY_SECRET。",
            ),
        )
    if described.problem is not None:
        raise ExternalProfileError("environment variables", described.problem)
    key_id = _first(environ, ACCESS_KEY_ID_VARS)
    secret = _first(environ, ACCESS_KEY_SECRET_VARS)
    token = _first(environ, SECURITY_TOKEN_VARS)
    if key_id is None or secret is None:  # pragma: no cover - describe_env reported it
        raise ExternalProfileError("environment variables", Reason("incomplete.", "不完整。"))
    return described, SigningKey(key_id[1], secret[1], token[1] if token else None)


# --- aliyun CLI config.json ---------------------------------------------------------------


@dataclass
class _CliFile:
    path: Path
    current: str | None = None
    # Raw profile dicts: they contain secrets, so they stay private and out of any repr.
    entries: list[dict[str, Any]] = field(default_factory=list, repr=False)
    problem: Reason | None = None


def _read_cli(home: Path) -> _CliFile:
    path = cli_config_path(home)
    shown = _display(path, home)
    result = _CliFile(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        result.problem = Reason(f"{shown} does not exist.", f"{shown} 不存在。")
        return result
    except (OSError, UnicodeDecodeError) as exc:
        result.problem = Reason(
            f"{shown} could not be read ({exc}).", f"无法读取 {shown}（{exc}）。"
        )
        return result
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        result.problem = Reason(
            f"{shown} is not valid JSON ({exc.msg}, line {exc.lineno}).",
            f"{shown} 不是有效的 JSON（第 {exc.lineno} 行）。",
        )
        return result
    profiles = data.get("profiles") if isinstance(data, dict) else None
    if not isinstance(profiles, list):
        result.problem = Reason(
            f"{shown} has no “profiles” list.", f"{shown} 中没有 profiles 列表。"
        )
        return result
    result.current = _text(data.get("current"))
    result.entries = [p for p in profiles if isinstance(p, dict) and _text(p.get("name"))]
    return result


def _cli_problem(entry: Mapping[str, Any]) -> Reason | None:
    name = _text(entry.get("name")) or "?"
    mode = _text(entry.get("mode"))
    if mode is None:
        return Reason(
            f"profile “{name}” is not configured yet (it has no mode); "
            f"run “aliyun configure --profile {name}”.",
            f"配置“{name}”尚未配置（没有 mode）；请运行“aliyun configure --profile {name}”。",
        )
    if mode not in SUPPORTED_CLI_MODES:
        what = _CLI_MODES.get(mode)
        if what is None:
            return Reason(
                f"mode “{mode}” is unknown; Caster Desk supports only AK and StsToken.",
                f"未知模式“{mode}”；Caster Desk 仅支持 AK 和 StsToken。",
            )
        return Reason(
            f"mode “{mode}” ({what[0]}) is not supported; Caster Desk supports only AK and "
            "StsToken.",
            f"不支持“{mode}”模式（{what[1]}）；Caster Desk 仅支持 AK 和 StsToken。",
        )
    missing = [k for k in ("access_key_id", "access_key_secret") if not _text(entry.get(k))]
    if mode == "StsToken" and not _text(entry.get("sts_token")):
        missing.append("sts_token")
    if missing:
        return Reason(
            f"profile “{name}” ({mode}) has no {', '.join(missing)}.",
            f"配置“{name}”（{mode}）缺少 {', '.join(missing)}。",
        )
    return None


def _cli_profile(
    entry: Mapping[str, Any], where: str, environ: Mapping[str, str], selected: str | None
) -> ExternalProfile:
    name = _text(entry.get("name")) or ""
    mode = _text(entry.get("mode")) or ""
    return ExternalProfile(
        source="aliyun-cli",
        name=name,
        access_key_id=_text(entry.get("access_key_id")),
        region_id=_text(entry.get("region_id")) or env_region(environ),
        mode=mode,
        location=where,
        problem=_cli_problem(entry),
        selected=name == selected,
        has_sts_token=mode == "StsToken",
    )


def _cli_selected(cli: _CliFile, environ: Mapping[str, str]) -> str | None:
    return selected_profile_name(environ) or cli.current


def load_cli(
    environ: Mapping[str, str], home: Path, name: str | None = None
) -> tuple[ExternalProfile, SigningKey]:
    """Credentials from an aliyun CLI profile: ``name``, else ``ALIBABA_CLOUD_PROFILE``, else
    the file's ``current``. Raises :class:`ExternalProfileError` / :class:`ProfileNotFoundError`.
    """
    cli = _read_cli(home)
    where = _display(cli.path, home)
    if cli.problem is not None:
        raise ExternalProfileError("aliyun CLI config", cli.problem)
    selected = _cli_selected(cli, environ)
    wanted = name or selected
    if wanted is None:
        raise ExternalProfileError(
            "aliyun CLI config",
            Reason(
                f"{where} has no current profile and ALIBABA_CLOUD_PROFILE is not set.",
                f"{where} 没有当前配置（current），也未设置 ALIBABA_CLOUD_PROFILE。",
            ),
        )
    for entry in cli.entries:
        if _text(entry.get("name")) == wanted:
            described = _cli_profile(entry, where, environ, selected)
            if described.problem is not None:
                raise ExternalProfileError(f"aliyun CLI profile “{wanted}”", described.problem)
            token = _text(entry.get("sts_token")) if described.mode == "StsToken" else None
            key = SigningKey(
                str(_text(entry.get("access_key_id"))),
                str(_text(entry.get("access_key_secret"))),
                token,
            )
            return described, key
    names = [str(_text(e.get("name"))) for e in cli.entries]
    raise ProfileNotFoundError(wanted, names, where=f"the aliyun CLI config ({where})")


# --- credentials.ini ------------------------------------------------------------------------


@dataclass
class _IniFile:
    path: Path
    # Raw sections: they contain secrets, so they stay private and out of any repr.
    sections: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    problem: Reason | None = None


def _read_ini(environ: Mapping[str, str], home: Path) -> _IniFile:
    path = ini_path(environ, home)
    shown = _display(path, home)
    result = _IniFile(path)
    # No interpolation: a '%' in a secret must stay a '%'.
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        with path.open(encoding="utf-8") as handle:
            parser.read_file(handle)
    except FileNotFoundError:
        result.problem = Reason(f"{shown} does not exist.", f"{shown} 不存在。")
        return result
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        result.problem = Reason(
            f"{shown} could not be read ({first_line}).",
            f"无法读取 {shown}（{first_line}）。",
        )
        return result
    for section in parser.sections():
        # Like the SDK: text after '#' in a value is a comment.
        result.sections[section] = {
            key: value.split("#")[0].strip() for key, value in parser.items(section)
        }
    return result


def _ini_problem(name: str, section: Mapping[str, str]) -> Reason | None:
    kind = section.get("type", "")
    if not kind:
        return Reason(
            f"section [{name}] has no “type” (use type = access_key).",
            f"[{name}] 节没有 type（请使用 type = access_key）。",
        )
    if kind != "access_key":
        what = _INI_TYPES.get(kind)
        words_en = f" ({what[0]})" if what else ""
        words_zh = f"（{what[1]}）" if what else ""
        return Reason(
            f"type “{kind}”{words_en} is not supported; Caster Desk supports only access_key.",
            f"不支持类型“{kind}”{words_zh}；Caster Desk 仅支持 access_key。",
        )
    missing = [k for k in ("access_key_id", "access_key_secret") if not section.get(k)]
    if missing:
        return Reason(
            f"section [{name}] has no {', '.join(missing)}.",
            f"[{name}] 节缺少 {', '.join(missing)}。",
        )
    return None


def _ini_profile(
    name: str, section: Mapping[str, str], where: str, environ: Mapping[str, str]
) -> ExternalProfile:
    return ExternalProfile(
        source="ini",
        name=name,
        access_key_id=section.get("access_key_id") or None,
        region_id=env_region(environ),  # the INI format has no region
        mode=section.get("type", ""),
        location=where,
        problem=_ini_problem(name, section),
        selected=name == (selected_profile_name(environ) or "default"),
    )


def load_ini(
    environ: Mapping[str, str], home: Path, name: str | None = None
) -> tuple[ExternalProfile, SigningKey]:
    """Credentials from a credentials.ini section: ``name``, else ``ALIBABA_CLOUD_PROFILE``,
    else ``default``. Raises :class:`ExternalProfileError` / :class:`ProfileNotFoundError`."""
    ini = _read_ini(environ, home)
    where = _display(ini.path, home)
    if ini.problem is not None:
        raise ExternalProfileError("credentials.ini", ini.problem)
    wanted = name or selected_profile_name(environ) or "default"
    section = ini.sections.get(wanted)
    if section is None:
        raise ProfileNotFoundError(wanted, sorted(ini.sections), where=where)
    described = _ini_profile(wanted, section, where, environ)
    if described.problem is not None:
        raise ExternalProfileError(f"credentials.ini [{wanted}]", described.problem)
    return described, SigningKey(section["access_key_id"], section["access_key_secret"])


# --- listing and loading ----------------------------------------------------------------------


def scan_external(
    environ: Mapping[str, str] | None = None, home: Path | None = None
) -> ExternalScan:
    """Every external profile, importable or not, in chain order: env, CLI, INI.

    Missing files are not problems; unreadable ones are listed in ``problems``.
    """
    env = os.environ if environ is None else environ
    home_dir = Path.home() if home is None else home
    found: list[ExternalProfile] = []
    problems: list[Attempt] = []
    described = describe_env(env)
    if described is not None:
        found.append(described)
    cli = _read_cli(home_dir)
    if cli.problem is not None and cli.path.exists():
        problems.append(Attempt("aliyun CLI config", cli.problem))
    selected = _cli_selected(cli, env)
    where = _display(cli.path, home_dir)
    found.extend(_cli_profile(e, where, env, selected) for e in cli.entries)
    ini = _read_ini(env, home_dir)
    if ini.problem is not None and ini.path.exists():
        problems.append(Attempt("credentials.ini", ini.problem))
    where = _display(ini.path, home_dir)
    found.extend(_ini_profile(n, s, where, env) for n, s in ini.sections.items())
    return ExternalScan(tuple(found), tuple(problems))


def load_external_key(
    profile: ExternalProfile,
    *,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> SigningKey:
    """Read the secret of a listed external profile now, from its source (for an import)."""
    env = os.environ if environ is None else environ
    home_dir = Path.home() if home is None else home
    if profile.source == "env":
        return load_env(env)[1]
    if profile.source == "aliyun-cli":
        return load_cli(env, home_dir, profile.name)[1]
    return load_ini(env, home_dir, profile.name)[1]
