"""Entry point of the frozen Caster Desk: the same ``main`` as the ``casterdesk`` command."""

import sys

from app.main import main

if __name__ == "__main__":
    sys.exit(main())
