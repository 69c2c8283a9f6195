"""Runs in the learner's process: the step's result and the caller's dicts afterwards (dicts are not hashed
by the sandbox, so an in-place update is caught here)."""

import numpy as np


def step_and_inputs(learner, params, grads, lr, lam):
    params = {k: np.array(v, copy=True) for k, v in params.items()}
    grads = {k: np.array(v, copy=True) for k, v in grads.items()}
    new = learner.sgd_weight_decay_step(params, grads, lr, lam)
    same = [k for k in params if isinstance(new, dict) and new.get(k) is params[k]]
    return {"new": new, "params_after": params, "grads_after": grads, "aliased": same}


def grads_and_inputs(learner, name, params, lam):
    params = {k: np.array(v, copy=True) for k, v in params.items()}
    out = getattr(learner, name)(params, lam)
    return {"out": out, "params_after": params}
