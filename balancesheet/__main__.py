"""Allow ``python -m balancesheet``."""

from balancesheet.cli import main

raise SystemExit(main())
