"""Runs in the learner's process: the clipping functions called on the caller's own arrays, to see whether they
change them in place or hand them back (a list of arrays travels to the learner as a copy, so the grader cannot
see this from outside)."""

import numpy as np


def _report(inputs, before, out) -> dict:
    outs = out[0] if isinstance(out, tuple) else out
    outs = outs if isinstance(outs, list) else [outs]
    changed = [k for k, (g, b) in enumerate(zip(inputs, before, strict=True)) if not np.array_equal(g, b)]
    shared = sorted({k for k, g in enumerate(inputs) for o in outs
                     if isinstance(o, np.ndarray) and np.shares_memory(o, g)})
    return {"out": out, "changed": changed, "shared": shared}


def clip_list(learner, name, grads, *args):
    """learner.<name>(grads, *args) on a list of arrays: its output and which input arrays it changed or reused."""
    before = [g.copy() for g in grads]
    return _report(grads, before, getattr(learner, name)(grads, *args))


def clip_one(learner, g, tau):
    """learner.clip_by_norm(g, tau): its output and whether it changed g or handed g itself back."""
    before = [g.copy()]
    return _report([g], before, learner.clip_by_norm(g, tau))
