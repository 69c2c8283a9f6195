"""Runs in the learner's process (joined with the exercise's own probe): launch logs, launches with a fixed
grid, and kernel timings against the reference kernels (cuda_reference.py) on a real GPU.

Also loaded by benchmarks/gpu_kernels.py, which times the reference solutions with the same code.
"""

import statistics

import numpy as np
from numba import cuda


def _dims(value):
    return [int(v) for v in value] if isinstance(value, tuple | list) else [int(value)]


class _Counted:
    """Stands in for a kernel: records each launch kernel[grid, block](*args), then launches it."""

    def __init__(self, kernel, log, keep_args=False):
        self._kernel, self._log, self._keep_args = kernel, log, keep_args

    def __getitem__(self, config):
        config = config if isinstance(config, tuple) else (config,)
        entry = {"grid": _dims(config[0]), "block": _dims(config[1]) if len(config) > 1 else []}
        self._log.append(entry)
        launch = self._kernel[config]

        def run(*args):
            if self._keep_args:  # for timing: the same launch again, on device copies of the arguments
                entry["config"] = config
                entry["args"] = [cuda.to_device(np.ascontiguousarray(a)) if isinstance(a, np.ndarray) else a
                                 for a in args]
            return launch(*args)

        return run

    def __getattr__(self, name):
        return getattr(self._kernel, name)


def _with_counted(module, kernels, call, keep_args=False):
    """call() with module's kernels replaced by counting stand-ins; returns (result, {kernel: log})."""
    logs = {k: [] for k in kernels}
    saved = {k: getattr(module, k, None) for k in kernels}
    try:
        for kernel, log in logs.items():
            if saved[kernel] is not None:
                setattr(module, kernel, _Counted(saved[kernel], log, keep_args))
        result = call()
    finally:
        for kernel, original in saved.items():
            if original is not None:
                setattr(module, kernel, original)
    return result, logs


def launches(learner, kernels, name, *args, **kwargs):
    """Run learner.name(*args, **kwargs), logging every launch of the named kernels: {kernel: [{grid, block}]}."""
    _, logs = _with_counted(learner, kernels, lambda: getattr(learner, name)(*args, **kwargs))
    return logs


def _median_ms(launch_list, repeats):
    """Median over `repeats` runs of the summed time of the launches [(kernel, config, args)], after a warm-up."""
    for kernel, config, args in launch_list:  # warm-up: compiled, caches and clocks up
        kernel[config](*args)
    cuda.synchronize()
    start, end = cuda.event(), cuda.event()
    times = []
    for _ in range(repeats):
        start.record()
        for kernel, config, args in launch_list:
            kernel[config](*args)
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    return statistics.median(times)


def time_against_reference(learner, kernels, name, args, reference_name, repeats=20):
    """Kernel time of learner.name(*args) (only the launches of `kernels`, re-run on device copies of their
    arguments, no transfers) against the reference's launches for the same inputs (cuda_reference.py).
    Returns [{"kernel", "learner_ms", "reference_ms"}] with medians in milliseconds."""
    _, logs = _with_counted(learner, kernels, lambda: getattr(learner, name)(*args), keep_args=True)
    mine = [(getattr(learner, k), e["config"], e["args"]) for k in kernels for e in logs[k] if "args" in e]
    if not mine:
        return []
    theirs = REFERENCE_LAUNCHES[reference_name](*args)  # noqa: F821  (cuda_reference.py, joined into this probe)
    return [{"kernel": f"{name}: {' + '.join(k for k in kernels if logs[k])}",
             "learner_ms": _median_ms(mine, repeats), "reference_ms": _median_ms(theirs, repeats)}]
