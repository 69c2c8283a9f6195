"""edf-core probes (run in the learner's process; `learner` is the learner's edf.core).

The graphs here are made of small nodes written in this file, known to be correct, that inherit
the learner's CompNode (its addgrad) and register themselves in the learner's CompNodes, exactly
like the notes' Sigmoid (L813-823). What is on trial is only the learner's edf.core.
"""

import numpy as np


def _probe_nodes(core):
    class MatMul(core.CompNode):
        """value = x W (no bias); per-example gradients to W, like the notes' Affine (L951)."""

        def __init__(self, x, w):
            core.CompNodes.append(self)
            self.x, self.w = x, w

        def forward(self):
            self.value = self.x.value @ self.w.value

        def backward(self):
            self.x.addgrad(self.grad @ self.w.value.T)
            self.w.addgrad(self.x.value[:, :, None] * self.grad[:, None, :])

    class Square(core.CompNode):
        def __init__(self, x):
            core.CompNodes.append(self)
            self.x = x

        def forward(self):
            self.value = _value_of(self.x, self) ** 2

        def backward(self):
            self.x.addgrad(2 * self.x.value * self.grad)

    class Add(core.CompNode):
        def __init__(self, a, b):
            core.CompNodes.append(self)
            self.a, self.b = a, b

        def forward(self):
            self.value = _value_of(self.a, self) + _value_of(self.b, self)

        def backward(self):
            self.a.addgrad(self.grad)
            self.b.addgrad(self.grad)

    class RowSum(core.CompNode):
        """The loss: one value per example, shape (N,)."""

        def __init__(self, x):
            core.CompNodes.append(self)
            self.x = x

        def forward(self):
            self.value = np.sum(_value_of(self.x, self), axis=1)

        def backward(self):
            self.x.addgrad(self.grad[:, None] * np.ones_like(self.x.value))

    return MatMul, Square, Add, RowSum


def _value_of(parent, node):
    if not hasattr(parent, "value"):
        raise RuntimeError(f"Forward computed {type(node).__name__} before its input {type(parent).__name__}: "
                           f"visit CompNodes in creation order (for c in CompNodes), which is a topological order")
    return parent.value


def _fresh(core):
    del core.CompNodes[:]  # in place, without relying on the learner's clear_compgraph
    del core.Parameters[:]


def _traced(nodes, log, grads=None):
    """Record the order of forward()/backward() calls (and each node's grad as its backward starts)."""
    for k, node in enumerate(nodes):
        forward, backward = node.forward, node.backward

        def traced_forward(k=k, forward=forward):
            log.append(("forward", k))
            forward()

        def traced_backward(k=k, node=node, backward=backward):
            log.append(("backward", k))
            if grads is not None:
                grads.append(np.array(node.grad, dtype=np.float64, copy=True) if hasattr(node, "grad") else None)
            backward()

        node.forward, node.backward = traced_forward, traced_backward


def input_and_parameter(core, value, delta):
    _fresh(core)
    x = core.Input()
    x.value = np.array(delta, copy=True)
    before = repr(getattr(x, "grad", None))
    x.addgrad(np.array(delta, copy=True))
    input_changed = repr(getattr(x, "grad", None)) != before
    p = core.Parameter(np.array(value, copy=True))
    q = core.Parameter(np.array(value, copy=True).tolist())  # from a nested list, as DT(value) allows
    return {"value": p.value, "list_value": q.value, "registered": [any(c is p for c in core.Parameters),
                                                                    any(c is q for c in core.Parameters)],
            "count": len(core.Parameters), "input_changed": input_changed}


def parameter_addgrad(core, value, deltas):
    _fresh(core)
    p = core.Parameter(np.array(value, copy=True))
    p.grad = np.zeros(np.shape(value))
    for delta in deltas:
        p.addgrad(np.array(delta, copy=True))
    return p.grad


def compnode_addgrad(core, shape, deltas):
    _fresh(core)
    _MatMul, Square, _Add, _RowSum = _probe_nodes(core)
    node = Square(None)
    node.grad = np.zeros(shape)
    for delta in deltas:
        node.addgrad(np.array(delta, copy=True))
    return node.grad


def _graph(core, X, W):
    """x -> h = x W -> s = h² -> a = s + h (h feeds two nodes) -> L = Σ_row a, shape (N,)."""
    _fresh(core)
    MatMul, Square, Add, RowSum = _probe_nodes(core)
    x = core.Input()
    x.value = np.array(X, dtype=np.float64, copy=True)
    w = core.Parameter(np.array(W, dtype=np.float64, copy=True))
    h = MatMul(x, w)
    s = Square(h)
    a = Add(s, h)
    loss = RowSum(a)
    return w, [h, s, a, loss]


def forward_run(core, X, W):
    _w, nodes = _graph(core, X, W)
    log = []
    _traced(nodes, log)
    core.Forward()
    return {"values": [node.value for node in nodes], "order": [k for what, k in log if what == "forward"]}


def backward_run(core, X, W, passes):
    """The probe's own forward loop, then the learner's Backward `passes` times (the last recorded)."""
    w, nodes = _graph(core, X, W)
    for node in nodes:
        node.forward()
    log, grads = [], []
    _traced(nodes, log, grads)
    for _ in range(passes):
        del log[:], grads[:]
        core.Backward(nodes[-1])
    order = [k for what, k in log if what == "backward"]
    return {"w_grad": getattr(w, "grad", None), "grads": [getattr(n, "grad", None) for n in nodes],
            "grads_at_backward": grads, "order": order}


def update_run(core, values, grads, rate):
    _fresh(core)
    params = [core.Parameter(np.array(v, dtype=np.float64, copy=True)) for v in values]
    for p, g in zip(params, grads, strict=True):
        p.grad = np.array(g, dtype=np.float64, copy=True)
    saved = core.learning_rate
    core.learning_rate = rate  # a learner's module global, changed between import and the call
    try:
        core.UpdateParameters()
    finally:
        core.learning_rate = saved
    return [p.value for p in params]


def clear_run(core):
    _fresh(core)
    nodes_before, params_before = core.CompNodes, core.Parameters
    _graph(core, np.ones((2, 3)), np.ones((3, 2)))
    filled = (len(core.CompNodes), len(core.Parameters))
    core.clear_compgraph()
    return {"filled": list(filled), "same": [core.CompNodes is nodes_before, core.Parameters is params_before],
            "left": [len(nodes_before), len(params_before)]}
