"""Make text safe for a log or a terminal: tokens redacted, control characters escaped.

Copying still uses the full, unchanged URL; only what is logged or printed is cleaned.
"""

from __future__ import annotations

import logging
import re

_VALUE = r"[^&\s\"'<>,;]+"
_AUTH_KEY = re.compile(rf"(auth_key=){_VALUE}", re.IGNORECASE)
_SIGNATURE = re.compile(rf"((?:^|[?&\s])Signature=){_VALUE}")
_AUTHORIZATION = re.compile(r"(Signature=)[0-9a-f]{64}")
# The STS token in a V1 query, and the V3 header (with or without quotes around it).
_TOKEN = re.compile(
    rf"((?:SecurityToken|x-acs-security-token)(?:=|[\"']?\s*:\s*[\"']?))({_VALUE})",
    re.IGNORECASE,
)
# AccessKey IDs keep their first 4 characters, enough to tell two accounts apart.
_KEY_ID = re.compile(rf"((?:AccessKeyId=|Credential=))([^&\s\"'<>,;]{{1,4}}){_VALUE}")

REDACTED = "<redacted>"
# C0 and C1 control characters and DEL: ESC/CSI/OSC sequences from a hostile answer could
# rewrite the terminal. Newline and tab stay, so multi-line output keeps its shape.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escape_controls(text: str) -> str:
    """``\x1b`` for ESC and the like, so the text prints as it is instead of acting."""
    return _CONTROLS.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def redact(text: str) -> str:
    """Replace ``auth_key=…``, signatures and STS tokens with a marker; shorten AccessKey IDs."""
    text = _AUTH_KEY.sub(rf"\g<1>{REDACTED}", text)
    text = _SIGNATURE.sub(rf"\g<1>{REDACTED}", text)
    text = _TOKEN.sub(rf"\g<1>{REDACTED}", text)
    text = _KEY_ID.sub(rf"\g<1>\g<2>{REDACTED}", text)
    return _AUTHORIZATION.sub(rf"\g<1>{REDACTED}", text)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts the formatted message of every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = escape_controls(redact(message))
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
