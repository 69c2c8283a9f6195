"""conv-speed-njit probe: runs in the learner's process. It times the learner's conv2d_fast against the
reference kernel shipped in support/conv_reference.py (a copy of grader/kernels/conv.py's conv2d_forward;
tests/test_reference_conv.py checks that the copy still matches), which the workspace holds beside the
learner's file. The grader passes the SHA-256 of the shipped file: an edited copy is refused.

Both functions run in this process under the same NUMBA_BOUNDSCHECK setting, on the same inputs,
interleaved, after a warm-up call each. Wall time (perf_counter): the child's CPU-time clock may tick
in 4 ms steps. Each sample repeats a call until it lasts about 20 ms, so scheduler slices of a loaded
machine weigh on both alike; the median of the samples is reported.
"""

import hashlib
import importlib
import time

import numpy as np


def time_against_reference(learner, xs, ws, padding, repeats, budget_s, reference_sha256):
    reference = importlib.import_module("conv_reference")
    with open(reference.__file__, "rb") as handle:
        if hashlib.sha256(handle.read()).hexdigest() != reference_sha256:
            return {"tampered": True}
    rng = np.random.default_rng(12345)
    x, w, b = rng.normal(size=tuple(xs)), rng.normal(size=tuple(ws)), rng.normal(size=ws[0])
    fast = learner.conv2d_fast
    expected = reference.reference_conv(x, w, b, padding)
    start = time.perf_counter()
    got = np.asarray(fast(x.copy(), w.copy(), b.copy(), padding))
    first = time.perf_counter() - start
    ok = got.shape == expected.shape and bool(np.allclose(got, expected, rtol=1e-9, atol=1e-9))
    if not ok:  # wrong values are reported as such: no need to time them
        return {"ok": False, "learner": first, "reference": first, "timed_out": False}
    one_ref = min(_sample(reference.reference_conv, 1, x, w, b, padding) for _ in range(3))
    if first > budget_s:
        return {"ok": ok, "learner": first, "reference": one_ref, "timed_out": True}
    _sample(fast, 1, x.copy(), w.copy(), b.copy(), padding)  # warm (caches, branch predictors) after the first call
    calls = max(1, int(0.02 / max(one_ref, 1e-6)))
    learner_times, reference_times = [], []
    for _ in range(repeats):
        # Fresh copies for every sample: the learner's code cannot pass anything to its later calls (or to the
        # reference) through the arrays it is handed.
        learner_times.append(_sample(fast, calls, x.copy(), w.copy(), b.copy(), padding))
        reference_times.append(_sample(reference.reference_conv, calls, x, w, b, padding))
    # The timed calls must compute the same thing as the first: one more call, checked.
    last = np.asarray(fast(x.copy(), w.copy(), b.copy(), padding))
    ok_later = last.shape == expected.shape and bool(np.allclose(last, expected, rtol=1e-9, atol=1e-9))
    return {"ok": ok and ok_later, "changed": ok and not ok_later, "learner": float(np.median(learner_times)),
            "reference": float(np.median(reference_times)), "timed_out": False}


def _sample(fn, calls, *args):
    """Seconds per call, over `calls` back-to-back calls."""
    start = time.perf_counter()
    for _ in range(calls):
        fn(*args)
    return (time.perf_counter() - start) / calls
