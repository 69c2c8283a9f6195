"""The course's reference CUDA kernels, timed against the learner's on a real GPU (cuda_probe.py) and by
benchmarks/gpu_kernels.py. Runs in the learner's process as part of the probe (it cannot import the grader).

REFERENCE_LAUNCHES[name](*host_args) copies the inputs to the device once and returns the launches
[(kernel, config, device_args)] that compute the reference result, ready to be re-run and timed.
"""

import math

import numpy as np
from numba import cuda

REF_THREADS = 256


@cuda.jit
def ref_elu_forward_kernel(x, alpha, out):
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        v = x[i]
        out[i] = v if v > 0.0 else alpha * math.expm1(v)


@cuda.jit
def ref_elu_backward_kernel(x, g, alpha, out):
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        v = x[i]
        out[i] = g[i] if v > 0.0 else g[i] * alpha * math.exp(v)


def _flat(a):
    return cuda.to_device(np.ascontiguousarray(a, dtype=np.float64).ravel())


def _elu_forward_launches(x, alpha=1.0, *_):
    d_x = _flat(x)
    return [(ref_elu_forward_kernel, (math.ceil(d_x.size / REF_THREADS), REF_THREADS),
             (d_x, float(alpha), cuda.device_array(d_x.size)))]


def _elu_backward_launches(x, g, alpha=1.0, *_):
    d_x = _flat(x)
    return [(ref_elu_backward_kernel, (math.ceil(d_x.size / REF_THREADS), REF_THREADS),
             (d_x, _flat(g), float(alpha), cuda.device_array(d_x.size)))]


REFERENCE_LAUNCHES = {
    "elu_forward": _elu_forward_launches,
    "elu_backward": _elu_backward_launches,
}
