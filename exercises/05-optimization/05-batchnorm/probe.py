"""Runs in the learner's process: one BatchNorm object through a sequence of forward/backward calls."""

import numpy as np


def run(learner, C, momentum, eps, gamma, beta, calls):
    """calls: a list of [train, x, grad_y or None]. After every call: y, and if grad_y was given dx, dgamma,
    dbeta; running_mean and running_var; whether x was left unchanged."""
    bn = learner.BatchNorm(C, momentum=momentum, eps=eps)
    start = {"gamma": np.array(bn.gamma), "beta": np.array(bn.beta), "running_mean": np.array(bn.running_mean),
             "running_var": np.array(bn.running_var)}
    bn.gamma = np.array(gamma, dtype=np.float64)
    bn.beta = np.array(beta, dtype=np.float64)
    out = []
    for train, x, g in calls:
        x = np.array(x, dtype=np.float64)
        x_before = x.copy()
        rec = {"y": np.asarray(bn.forward(x, bool(train)), dtype=np.float64)}
        if g is not None:
            rec["dx"] = np.asarray(bn.backward(np.array(g, dtype=np.float64)), dtype=np.float64)
            rec["dgamma"] = np.asarray(bn.dgamma, dtype=np.float64)
            rec["dbeta"] = np.asarray(bn.dbeta, dtype=np.float64)
        rec["running_mean"] = np.array(bn.running_mean, dtype=np.float64)
        rec["running_var"] = np.array(bn.running_var, dtype=np.float64)
        rec["x_kept"] = bool(np.array_equal(x, x_before))
        out.append(rec)
    return {"start": start, "calls": out}
