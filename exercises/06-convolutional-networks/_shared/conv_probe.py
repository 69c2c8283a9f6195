"""Probe code shared by the chapter-7 exercises; it runs in the learner's process (first argument: the
learner's module). The grader's protocol turns tuples into lists: `call_pairs` turns 2-element lists of
ints back into tuples, so @njit functions see (h, w) pairs as the instructions promise."""

import time

import numpy as np


def _pairs(value):
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return tuple(value)
    return value


def call_pairs(learner, name, *args):
    return getattr(learner, name)(*(_pairs(a) for a in args))


def numba_info(learner, name):
    fn = getattr(learner, name, None)
    options = getattr(fn, "targetoptions", None)
    return {
        "type": type(fn).__name__,
        "compiled": len(getattr(fn, "signatures", None) or []),
        "nopython": bool(isinstance(options, dict) and options.get("nopython", False)),
    }


def median_time(fn, args, repeats):
    """Median wall time of fn(*args) over `repeats` runs, after one warm-up call (compilation)."""
    fn(*args)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def count_calls(learner, helper, name, *args):
    """name(*args) with learner.<helper> wrapped in a counter: (result, how many times helper was called)."""
    original = getattr(learner, helper)
    calls = [0]

    def counted(*a, **k):
        calls[0] += 1
        return original(*a, **k)

    setattr(learner, helper, counted)
    try:
        result = call_pairs(learner, name, *args)
    finally:
        setattr(learner, helper, original)
    return [result, calls[0]]
