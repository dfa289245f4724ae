"""Redact signed-URL tokens before text reaches a log. Copying still uses the full URL."""

from __future__ import annotations

import logging
import re

_AUTH_KEY = re.compile(r"(auth_key=)[^&\s\"'<>]+", re.IGNORECASE)
_SIGNATURE = re.compile(r"((?:^|[?&])Signature=)[^&\s\"']+")
_AUTHORIZATION = re.compile(r"(Signature=)[0-9a-f]{64}")

REDACTED = "<redacted>"


def redact(text: str) -> str:
    """Replace ``auth_key=…`` tokens (and request signatures) with a marker."""
    text = _AUTH_KEY.sub(rf"\g<1>{REDACTED}", text)
    text = _SIGNATURE.sub(rf"\g<1>{REDACTED}", text)
    return _AUTHORIZATION.sub(rf"\g<1>{REDACTED}", text)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts the formatted message of every record it sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
