"""Probe code shared by the edf exercises. It runs in the learner's process, concatenated with the
exercise's own probe.py into one module; every function gets the learner's module first.

Node checks build the learner's node on stand-in parents (_Stub): each holds a .value and records
what the node passes to its addgrad. A node is then graded on its own, even before edf-core is done.
graph_dump runs a whole graph with every backward() and addgrad() instrumented, for
grader/graphwalk.py (which documents the dump's layout).
"""

import importlib
import sys
import traceback

import numpy as np

EDF_MODULES = {"Sigmoid": "edf.sigmoid", "Affine": "edf.affine", "AffineParams": "edf.affine",
               "Softmax": "edf.softmax", "CrossEntropyLoss": "edf.loss"}
NOT_BY_GRAD = ("send gradients to a parent with parent.addgrad(delta) (notes L822), not by changing "
               "parent.grad: a Parameter sums delta over the batch and an Input ignores it")


class _Stub:
    """A stand-in parent: it has a .value and records every delta passed to its addgrad."""

    def __init__(self, value):
        self.value = value
        self.received = []

    def addgrad(self, delta):
        self.received.append(np.array(delta, dtype=np.float64, copy=True))

    @property
    def grad(self):
        raise AttributeError(NOT_BY_GRAD)

    @grad.setter
    def grad(self, _value):
        raise AttributeError(NOT_BY_GRAD)


class _StubParams:
    """A stand-in AffineParams: .A and .b as in the notes (L945-951)."""

    def __init__(self, A, b):
        self.A, self.b = A, b


def _edf_class(kind):
    return getattr(importlib.import_module(EDF_MODULES[kind]), kind)


def _construct(kind, parents):
    """kind(...) with the notes' argument order: Affine(params, x), CrossEntropyLoss(p, y), Sigmoid(x)."""
    cls = _edf_class(kind)
    if kind == "Affine":
        return cls(_StubParams(parents["A"], parents["b"]) if "params" not in parents else parents["params"],
                   parents["x"])
    if kind == "CrossEntropyLoss":
        return cls(parents["p"], parents["y"])
    return cls(parents["x"])


def _unregister(node):
    """Take a stand-alone node out of CompNodes again (whether it was there is reported)."""
    core = sys.modules.get("edf.core")
    nodes = getattr(core, "CompNodes", None)
    if not isinstance(nodes, list):
        return False
    registered = any(c is node for c in nodes)
    nodes[:] = [c for c in nodes if c is not node]
    return registered


def _stubs(inputs):
    return {role: _Stub(np.array(value, copy=True)) for role, value in inputs.items()}


def node_forward(learner, kind, inputs):
    """The learner's node's value on the given parent values."""
    node = _construct(kind, _stubs(inputs))
    _unregister(node)
    node.forward()
    return node.value


def node_run(learner, kind, inputs, upstream):
    """forward(), then backward() with node.grad = upstream: the value and what each parent received."""
    stubs = _stubs(inputs)
    before = {role: stub.value.copy() for role, stub in stubs.items()}
    node = _construct(kind, stubs)
    registered = _unregister(node)
    node.forward()
    value = node.value
    value = np.array(value, copy=True) if isinstance(value, np.ndarray) else value
    if upstream is not None:
        node.grad = np.array(upstream, dtype=np.float64, copy=True)
        node.backward()
    changed = [role for role, stub in stubs.items()
               if not (isinstance(stub.value, np.ndarray) and np.array_equal(stub.value, before[role]))]
    return {"value": value, "sent": {role: stub.received for role, stub in stubs.items()},
            "registered": registered, "changed": changed}


# -- whole graphs -----------------------------------------------------------------------------


def _roles(kind, args):
    """role -> object name for a node spec's arguments ("#k" is node k)."""
    if kind == "Affine":
        params, x = args
        return {"x": x, "A": f"{params}.A", "b": f"{params}.b"}
    if kind == "CrossEntropyLoss":
        return {"p": args[0], "y": args[1]}
    return {"x": args[0]}


def _build(objects, spec, driver):
    """The graph: objects {name: {"kind": "input", "value"} | {"kind": "params", "A", "b"}}, spec
    [[kind, *argument names]]. driver "learner": the learner's Input, AffineParams and CompNodes list;
    "probe": stand-ins, so only the learner's node classes are used."""
    core = importlib.import_module("edf.core") if driver == "learner" else None
    if core is not None:
        del core.CompNodes[:]  # in place, as clear_compgraph should; do not depend on it here
        del core.Parameters[:]
    things, params = {}, {}
    for name, obj in objects.items():
        if obj["kind"] == "params":
            A, b = np.array(obj["A"], dtype=np.float64), np.array(obj["b"], dtype=np.float64)
            if core is not None:
                p = _edf_class("AffineParams")(A.shape[0], A.shape[1])
                p.A.value, p.b.value = A, b
            else:
                p = _StubParams(_Stub(A), _Stub(b))
            params[name] = p
            things[f"{name}.A"], things[f"{name}.b"] = p.A, p.b
        else:
            thing = core.Input() if core is not None else _Stub(None)
            thing.value = np.array(obj["value"], copy=True)
            things[name] = thing
    nodes, roles = [], []
    for kind, *args in spec:
        parents = {role: things[target] if not target.startswith("#") else nodes[int(target[1:])]
                   for role, target in _roles(kind, args).items()}
        if kind == "Affine":
            parents = {"params": params[args[0]], "x": parents["x"]}
        node = _construct(kind, parents)
        things[f"#{len(nodes)}"] = node
        nodes.append(node)
        roles.append(_roles(kind, args))
    return core, things, nodes, roles


def _array_or_none(value):
    try:
        return np.array(value, dtype=np.float64, copy=True)
    except (TypeError, ValueError):
        return None


def graph_dump(learner, objects, spec, driver="learner", passes=1):
    """Run the graph with every backward() and addgrad() recorded; see grader/graphwalk.py.

    driver "learner" runs the learner's Forward() and Backward(loss) (`passes` times, the last one
    recorded: a Backward that forgets to zero gradients shows up on the second pass); "probe" runs
    the notes' drivers here, so only the learner's nodes are on trial.
    """
    core, things, nodes, roles = _build(objects, spec, driver)
    state = {"current": None}
    log, order, grads = [], [], {}

    def record(name, thing):
        original = thing.addgrad
        accumulate = driver == "probe" and name.startswith("#")

        def addgrad(delta):
            log.append((state["current"], name, np.array(delta, dtype=np.float64, copy=True)))
            if accumulate:
                thing.grad = thing.grad + delta
            else:
                original(delta)

        thing.addgrad = addgrad

    def wrap(k, node):
        original_forward, original_backward = node.forward, node.backward

        def forward():
            state["current"] = k
            original_forward()
            state["current"] = None

        def backward():
            order.append(k)
            if k not in grads:
                grads[k] = _array_or_none(getattr(node, "grad", None))
            state["current"] = k
            original_backward()
            state["current"] = None

        node.forward, node.backward = forward, backward

    for name, thing in things.items():
        record(name, thing)
    for k, node in enumerate(nodes):
        wrap(k, node)
    loss = nodes[-1]
    registered = [any(c is node for c in core.CompNodes) for node in nodes] if core else [True] * len(nodes)
    phase, error = "forward", None
    try:
        if core is not None:
            core.Forward()
            phase = "backward"
            for _ in range(passes):
                log.clear(), order.clear(), grads.clear()
                core.Backward(loss)
        else:
            for node in nodes:
                node.forward()
            phase = "backward"
            for node in nodes:
                node.grad = np.zeros(np.shape(node.value))
            loss.grad = np.ones(np.shape(loss.value)) / max(np.size(loss.value), 1)
            for node in reversed(nodes):
                node.backward()
    except NotImplementedError:
        raise  # the grader reports "not implemented yet" for these
    except Exception as exc:  # where it was raised is what the walk reports
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != "<probe>"]
        error = {"phase": phase, "node": state["current"], "type": type(exc).__name__, "message": str(exc)[:500],
                 "traceback": "".join(traceback.format_list(frames[-4:]))}
    dumped = []
    for k, node in enumerate(nodes):
        by_target = {target: role for role, target in roles[k].items()}
        sent, stray = {role: [] for role in roles[k]}, []
        for who, target, delta in log:
            if who != k:
                continue
            if target in by_target:
                sent[by_target[target]].append(delta)
            elif target not in stray:
                stray.append(target)
        dumped.append({"kind": spec[k][0], "class": type(node).__name__, "inputs": roles[k],
                       "value": _array_or_none(getattr(node, "value", None)), "grad": grads.get(k),
                       "sent": sent, "stray": stray})
    objects_out = {}
    for name, thing in things.items():
        if name.startswith("#"):
            continue
        is_parameter = "." in name
        objects_out[name] = {"kind": "parameter" if is_parameter else "input",
                             "value": _array_or_none(thing.value),
                             "grad": _array_or_none(getattr(thing, "grad", None)) if is_parameter and core else None}
    return {"nodes": dumped, "objects": objects_out, "registered": registered, "backward_order": order,
            "error": error}


def graph_loss(learner, objects, spec):
    """mean(loss.value) after the learner's Forward(): the objective Backward differentiates."""
    core, _things, nodes, _roles_ = _build(objects, spec, "learner")
    core.Forward()
    return float(np.mean(nodes[-1].value))
