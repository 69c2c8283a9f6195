"""Runs in the learner's process: what Numba made of a learner function, and the memory a call allocates."""


def numba_info(learner, name):
    fn = getattr(learner, name, None)
    options = getattr(fn, "targetoptions", None)
    return {
        "type": type(fn).__name__,
        "compiled": len(getattr(fn, "signatures", None) or []),
        "nopython": bool(isinstance(options, dict) and options.get("nopython", False)),
    }


def peak_bytes(learner, name, *args):
    """Peak bytes NumPy allocated during learner.name(*args) (NumPy reports its buffers to tracemalloc)."""
    import tracemalloc

    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        getattr(learner, name)(*args)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak - base
