"""The session's names that the window's chrome shows before the session itself is built:
the sandbox's profile name, the offered regions and the connection's states.

Their own module so that the toolbar and the status bar (painted first, see
``app.ui.launch``) do not import the session controller, its credentials and the API's errors.
"""

from __future__ import annotations

from enum import Enum

SANDBOX_PROFILE = ":sandbox"  # ':' cannot appear in a profile name, so this never collides
REGIONS = ("cn-shanghai", "cn-beijing", "ap-southeast-1")  # the default region first


class SessionState(Enum):
    """Where the connection is: none yet (or closed), being built, usable, or failed."""

    NONE = "none"
    CONNECTING = "connecting"
    READY = "ready"
    FAILED = "failed"
