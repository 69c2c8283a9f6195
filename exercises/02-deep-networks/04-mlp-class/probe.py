"""Runs in the learner's process: builds the learner's MLP, loads the grader's parameter values into the
arrays parameters() returns (in place), and runs forward / backward."""

import numpy as np


def _net(learner, widths, seed, params):
    net = learner.MLP(list(widths), int(seed))
    live = net.parameters()
    if params is not None:
        if not isinstance(live, list | tuple) or len(live) != len(params):
            return net, {"error": f"parameters() returned {type(live).__name__} of length "
                                  f"{len(live) if hasattr(live, '__len__') else '?'}, expected a list of {len(params)}"}
        for i, (p, v) in enumerate(zip(live, params, strict=True)):
            if not isinstance(p, np.ndarray) or p.shape != np.shape(v):
                return net, {"error": f"parameters()[{i}] has shape {getattr(p, 'shape', type(p).__name__)}, "
                                      f"expected {np.shape(v)}"}
            p[...] = v  # in place: parameters() must hand out the network's own arrays
        again = net.parameters()
        if not all(np.array_equal(a, v) for a, v in zip(again, params, strict=True)):
            return net, {"error": "values written into the arrays parameters() returned did not reach the network "
                                  "(parameters() returned copies, or new arrays on each call)"}
    return net, None


def initial(learner, widths, seed):
    """parameters() of a fresh MLP(widths, seed), as copies."""
    net = learner.MLP(list(widths), int(seed))
    return [np.array(p, copy=True) for p in net.parameters()]


def forward(learner, widths, params, X):
    net, error = _net(learner, widths, 0, params)
    if error:
        return error
    return {"Yhat": net.forward(X)}


def backward(learner, widths, params, X, G, repeat=1):
    """forward(X), then backward(G), `repeat` times; the gradients() and dX of the last round."""
    net, error = _net(learner, widths, 0, params)
    if error:
        return error
    for _ in range(repeat):
        net.forward(X)
        dX = net.backward(G)
    return {"dX": dX, "grads": [np.array(g, copy=True) for g in net.gradients()]}
