"""``python -m app.sandbox``: the same as ``casterdesk sandbox``."""

import sys

from app.sandbox.serve import run

sys.exit(run(sys.argv[1:]))
