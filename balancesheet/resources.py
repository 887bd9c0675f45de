"""Locate the data that ships with the tool: account catalogs, templates, sample data.

In a source checkout they sit at the top of the repository; in an installed wheel they are
packaged under ``balancesheet/_data/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the directory of shipped data ``name`` (``accounts``, ``templates``, ``sample_data``)."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    source = _PACKAGE.parent / name
    if source.is_dir():
        return source
    raise FileNotFoundError(f"shipped data folder {name!r} not found (looked in {installed} and {source})")


def accounts_dir() -> Path:
    """Directory of the shipped account catalogs."""
    return data_dir("accounts")


def sample_data_dir() -> Path:
    """Directory of the fictional sample county."""
    return data_dir("sample_data")
