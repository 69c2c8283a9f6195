"""Where shipped content and per-user caches live."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
EXERCISES_DIR = PACKAGE_ROOT / "exercises"
SOLUTIONS_DIR = PACKAGE_ROOT / "solutions"
WORKER_DIR = Path(__file__).resolve().parent / "worker"


def cache_dir() -> Path:
    """gradschool's cache (Numba's compiled kernels among it); GRADSCHOOL_CACHE_DIR overrides."""
    override = os.environ.get("GRADSCHOOL_CACHE_DIR")
    return Path(override) if override else Path(user_cache_dir("gradschool"))


def numba_cache_dir() -> Path:
    return Path(os.environ.get("NUMBA_CACHE_DIR") or cache_dir() / "numba")


def default_workspace_dir() -> Path:
    """The per-user workspace used when no --workspace is given and the current folder is not one."""
    override = os.environ.get("GRADSCHOOL_HOME")
    return Path(override) if override else Path(user_data_dir("gradschool")) / "workspace"


def configure_numba_cache() -> None:
    """Point Numba's on-disk cache at our cache dir, before numba is imported.

    Installed packages may sit in read-only site-packages; Numba would then fall back
    to a cache next to each file or fail to cache at all.
    """
    os.environ.setdefault("NUMBA_CACHE_DIR", str(numba_cache_dir()))
