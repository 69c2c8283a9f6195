"""Runs in the learner's process: drives the learner's optimizers over gradients the grader describes."""

import numpy as np


class Param:
    """The grader's Parameter: value (updated in place by the optimizer) and grad (read by it)."""

    def __init__(self, value):
        self.value = np.array(value, dtype=np.float64)
        self.grad = np.zeros_like(self.value)


def _state(opt, name):
    slot = getattr(opt, name, None)
    if slot is None:
        return None
    if isinstance(slot, int | float | np.integer | np.floating):
        return float(slot)
    try:
        return [np.array(a, dtype=np.float64) for a in slot]
    except TypeError:
        return {"__unsupported__": type(slot).__name__}


def run(learner, cls, kwargs, w0, curvature, offsets, slots):
    """Steps learner.cls(params, **kwargs) len(offsets) times. The gradient of parameter k at step s is
    curvature[k] * value + offsets[s][k]; Nesterov gets it through a closure. After every step: the values,
    where the gradients were taken, whether each p.value is still the same array, whether p.grad was left
    alone, and the state slots named in `slots`."""
    params = [Param(w) for w in w0]
    arrays = [p.value for p in params]
    opt = getattr(learner, cls)(params, **kwargs)
    snaps = []
    for offs in offsets:
        points = []

        def closure(offs=offs, points=points):
            points.append([np.array(p.value) for p in params])
            for p, h, o in zip(params, curvature, offs, strict=True):
                p.grad = np.asarray(h) * p.value + np.asarray(o)

        if cls == "Nesterov":
            opt.step(closure)
        else:
            closure()
            opt.step()
        grads = [g.copy() for g in (p.grad for p in params)]
        snap = {"values": [np.array(p.value) for p in params],
                "same": all(p.value is a for p, a in zip(params, arrays, strict=True)),
                "points": points,
                "calls": len(points),
                "grad_kept": True}
        if cls != "Nesterov":
            expected = [np.asarray(h) * pt + np.asarray(o) for h, pt, o in zip(curvature, points[0], offs, strict=True)]
            snap["grad_kept"] = all(np.array_equal(g, e) for g, e in zip(grads, expected, strict=True))
        for name in slots:
            snap[name] = _state(opt, name)
        snaps.append(snap)
    return snaps
