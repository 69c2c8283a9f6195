"""edf-affine probe (runs in the learner's process; `learner` is the learner's edf.affine)."""

import importlib

import numpy as np


def affine_params(learner, n_in, n_out, seed):
    """AffineParams(n_in, n_out, rng=...) twice with one int seed, once with a Generator, once with another seed."""
    core = importlib.import_module("edf.core")
    del core.Parameters[:]  # in place: only this probe's Parameters are counted below
    first = learner.AffineParams(n_in, n_out, rng=seed)
    registered = [any(p is first.A for p in core.Parameters), any(p is first.b for p in core.Parameters)]
    again = learner.AffineParams(n_in, n_out, rng=seed)
    generator = learner.AffineParams(n_in, n_out, rng=np.random.default_rng(seed))
    other = learner.AffineParams(n_in, n_out, rng=seed + 1)
    return {"A": first.A.value, "b": first.b.value, "registered": registered,
            "parameters": [isinstance(first.A, core.Parameter), isinstance(first.b, core.Parameter)],
            "again": again.A.value, "generator": generator.A.value, "other": other.A.value}
