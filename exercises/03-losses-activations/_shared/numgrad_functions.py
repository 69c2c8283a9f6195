"""Test functions for `numerical-gradient-checker`: scalar functions of an array and their exact gradients.

Loaded twice: as a probe (in the learner's process, to hand the functions to the learner's checker) and by
the checks (in the grader, for the expected values). Plain NumPy, no state.
"""

import numpy as np


def ng_trig(x):
    return float(np.sum(np.sin(3.0 * x) * x**2) + 0.5 * np.sum(x) ** 2)


def ng_trig_grad(x):
    return 3.0 * np.cos(3.0 * x) * x**2 + 2.0 * x * np.sin(3.0 * x) + np.sum(x)


def ng_exp(x):
    return float(np.sum(np.exp(1.5 * x)))


def ng_exp_grad(x):
    return 1.5 * np.exp(1.5 * x)


def ng_coupled(x):
    # Neighbours in C order interact: a checker that forgets to restore a coordinate gets the next ones wrong.
    flat = x.ravel()
    return float(np.sum(flat[:-1] * flat[1:] ** 2) + np.sum(np.log1p(flat**2)))


def ng_coupled_grad(x):
    flat = x.ravel()
    grad = 2.0 * flat / (1.0 + flat**2)
    grad[:-1] += flat[1:] ** 2
    grad[1:] += 2.0 * flat[:-1] * flat[1:]
    return grad.reshape(x.shape)


NG_FUNCTIONS = {"trig": (ng_trig, ng_trig_grad), "exp": (ng_exp, ng_exp_grad), "coupled": (ng_coupled, ng_coupled_grad)}
