"""Runs in the learner's process: what Numba made of a learner function (after it has been called)."""


def numba_info(learner, name):
    from numba.core.registry import CPUDispatcher  # the real class: a look-alike named CPUDispatcher is not one

    fn = getattr(learner, name, None)
    options = getattr(fn, "targetoptions", None)
    return {
        "type": type(fn).__name__,
        "numba": isinstance(fn, CPUDispatcher) and callable(getattr(fn, "inspect_llvm", None))
        and bool(getattr(fn, "overloads", None)),
        "compiled": len(getattr(fn, "signatures", None) or []),
        "nopython": bool(isinstance(options, dict) and options.get("nopython", False)),
    }
