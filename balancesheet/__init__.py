"""Headless core of the natural-resource balance-sheet tool (自然资源资产负债表).

Everything the desktop application can do, a script can do through this package. It never
imports Qt.
"""

from __future__ import annotations

__version__ = "0.1.0"
