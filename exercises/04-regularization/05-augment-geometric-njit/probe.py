"""Runs in the learner's process: what Numba made of a learner function (after it has been called)."""


def numba_info(learner, name):
    fn = getattr(learner, name, None)
    options = getattr(fn, "targetoptions", None)
    return {
        "type": type(fn).__name__,
        "compiled": len(getattr(fn, "signatures", None) or []),
        "nopython": bool(isinstance(options, dict) and options.get("nopython", False)),
    }
