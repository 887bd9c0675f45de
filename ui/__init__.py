"""The PySide6 desktop application (arrives with the desktop issue).

It imports :mod:`balancesheet`; the core never imports this package.
"""
