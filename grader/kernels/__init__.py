"""Numba ``@njit`` float64 reference kernels; ``grader.reference`` wraps them for the checks.

Kernels take C-contiguous float64 arrays (int64 for class labels) and hold no Python objects.
"""

from grader.paths import configure_numba_cache

# Numba reads NUMBA_CACHE_DIR when it is first imported, and every submodule imports it.
configure_numba_cache()


def warm_up() -> None:
    """Load one cached kernel: Numba's first use initialises its CPU target (~0.1 s), which the
    engine overlaps with the start of the learner's process."""
    import numpy as np

    from grader.kernels.activations import sigmoid

    sigmoid(np.zeros(1))
