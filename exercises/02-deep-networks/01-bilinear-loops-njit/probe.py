"""Runs in the learner's process: what Numba made of a learner function, and which kernels a call launches."""


def numba_info(learner, name):
    fn = getattr(learner, name, None)
    options = getattr(fn, "targetoptions", None)
    return {
        "type": type(fn).__name__,
        "compiled": len(getattr(fn, "signatures", None) or []),
        "nopython": bool(isinstance(options, dict) and options.get("nopython", False)),
    }


KERNELS = ("bilinear_forward_kernel", "sigmoid_backward_kernel", "grad_a_kernel", "grad_b_kernel")


def _shift(array, amount):
    """Add `amount` to every entry of a kernel's output argument, on the device or on the host."""
    if hasattr(array, "copy_to_host") and hasattr(array, "copy_to_device"):
        host = array.copy_to_host()
        array.copy_to_device(host + amount)
    else:
        array[...] += amount


class _Counted:
    """Stands in for a kernel: records each launch configuration kernel[grid, block], then launches it.
    With `shift`, it then adds that constant to the kernel's outputs (its last `outputs` arguments), so the
    grader can see whether the wrapper's result really comes from this kernel."""

    def __init__(self, kernel, log, shift=None, outputs=1):
        self._kernel, self._log, self._shift, self._outputs = kernel, log, shift, outputs

    def __getitem__(self, config):
        def dims(value):
            return [int(v) for v in value] if isinstance(value, tuple | list) else [int(value)]

        config = config if isinstance(config, tuple) else (config,)
        self._log.append({"grid": dims(config[0]), "block": dims(config[1]) if len(config) > 1 else []})
        launch = self._kernel[config]
        if self._shift is None:
            return launch

        def shifted(*args):
            launch(*args)
            for array in args[-self._outputs:]:
                _shift(array, self._shift)

        return shifted

    def __getattr__(self, name):
        return getattr(self._kernel, name)


def launches(learner, name, *args, shifted=None, shift=0.0, outputs=1):
    """Run learner.name(*args) with the four kernels counted (and the last `outputs` arguments of the kernel
    `shifted` moved by `shift` after it ran); returns the launch logs and the wrapper's result."""
    logs = {k: [] for k in KERNELS}
    saved = {k: getattr(learner, k, None) for k in logs}
    try:
        for kernel, log in logs.items():
            if saved[kernel] is not None:
                setattr(learner, kernel, _Counted(saved[kernel], log, shift if kernel == shifted else None,
                                                      outputs))
        result = getattr(learner, name)(*args)
    finally:
        for kernel, original in saved.items():
            if original is not None:
                setattr(learner, kernel, original)
    return {"logs": logs, "result": result}
