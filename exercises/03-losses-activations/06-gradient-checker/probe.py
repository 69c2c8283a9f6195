"""Runs in the learner's process (after _shared/numgrad_functions.py): hands test functions to the learner's
checker and records every point the checker evaluates them at."""

import numpy as np


def ng_numerical_gradient(learner, name, x, h=None):
    f, _ = NG_FUNCTIONS[name]  # noqa: F821 (defined by numgrad_functions.py, loaded before this file)
    x0 = np.array(x, dtype=np.float64, copy=True)
    steps, wrong_shapes = [], []

    def recorded(z):
        z = np.asarray(z, dtype=np.float64)
        if z.shape != x0.shape:
            wrong_shapes.append(list(z.shape))
            return f(z.reshape(x0.shape)) if z.size == x0.size else 0.0
        steps.append((z - x0).ravel().copy())
        return f(z)

    grad = learner.numerical_gradient(recorded, x) if h is None else learner.numerical_gradient(recorded, x, h)
    return {"grad": grad, "steps": np.array(steps).reshape(len(steps), x0.size), "wrong_shapes": wrong_shapes}


def ng_check_gradient(learner, name, x, delta, h=None):
    f, g = NG_FUNCTIONS[name]  # noqa: F821
    if h is None:
        return learner.check_gradient(f, lambda z: g(z) + delta, x)
    return learner.check_gradient(f, lambda z: g(z) + delta, x, h)
