"""Runs in the learner's process: steps the learner's fused Adam updates in place, and watches the launches,
the allocations and the copies that the CUDA wrapper makes."""

import numpy as np


def njit_steps(learner, w, grads, m, v, lr, beta1, beta2, eps):
    """adam_update_njit on the caller's arrays for len(grads) steps; after every step: the return value and
    copies of w, m, v (the very arrays passed in)."""
    w, m, v = (np.array(a, dtype=np.float64) for a in (w, m, v))
    ids = [id(a) for a in (w, m, v)]
    snaps = []
    for s, g in enumerate(grads):
        out = learner.adam_update_njit(w, np.array(g, dtype=np.float64), m, v, lr, beta1, beta2, eps, s + 1)
        snaps.append({"returned_none": out is None, "w": w.copy(), "m": m.copy(), "v": v.copy()})
    assert ids == [id(a) for a in (w, m, v)]
    return snaps


class _Counted:
    def __init__(self, kernel, log):
        self._kernel, self._log = kernel, log

    def __getitem__(self, config):
        def dims(value):
            return [int(x) for x in value] if isinstance(value, tuple | list) else [int(value)]

        config = config if isinstance(config, tuple) else (config,)
        self._log.append({"grid": dims(config[0]), "block": dims(config[1]) if len(config) > 1 else []})
        return self._kernel[config]

    def __getattr__(self, name):
        return getattr(self._kernel, name)


def cuda_steps(learner, w, grads, m, v, lr, beta1, beta2, eps):
    """adam_update_cuda on device arrays made here, for len(grads) steps. Counts, during the steps only, the
    launches of adam_kernel and every call of cuda.to_device / device_array / device_array_like and every
    copy_to_host (none are needed: the update stays on the device)."""
    from numba import cuda

    d_w, d_m, d_v = (cuda.to_device(np.array(a, dtype=np.float64)) for a in (w, m, v))
    d_gs = [cuda.to_device(np.array(g, dtype=np.float64)) for g in grads]
    launches, transfers = [], []
    names = ("to_device", "device_array", "device_array_like", "pinned_array", "mapped_array")
    saved = {name: getattr(cuda, name) for name in names}
    kernel = learner.adam_kernel
    host_copy = type(d_w).copy_to_host

    def counting(name):
        def wrapper(*args, **kwargs):
            transfers.append(name)
            return saved[name](*args, **kwargs)
        return wrapper

    def counted_copy(self, *args, **kwargs):
        transfers.append("copy_to_host")
        return host_copy(self, *args, **kwargs)

    snaps = []
    try:
        learner.adam_kernel = _Counted(kernel, launches)
        for name in names:
            setattr(cuda, name, counting(name))
        type(d_w).copy_to_host = counted_copy
        for s, d_g in enumerate(d_gs):
            learner.adam_update_cuda(d_w, d_g, d_m, d_v, lr, beta1, beta2, eps, s + 1)
            type(d_w).copy_to_host = host_copy
            snaps.append({"w": d_w.copy_to_host(), "m": d_m.copy_to_host(), "v": d_v.copy_to_host()})
            type(d_w).copy_to_host = counted_copy
    finally:
        learner.adam_kernel = kernel
        for name in names:
            setattr(cuda, name, saved[name])
        type(d_w).copy_to_host = host_copy
    return {"snaps": snaps, "launches": launches, "transfers": transfers}
