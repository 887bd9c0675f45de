"""The PySide6 desktop application. It calls ``balancesheet`` for every number it shows.

Start with ``balancesheet gui [DB]`` or ``balancesheet-gui``; ``ui.app.main`` is the entry point.
"""
