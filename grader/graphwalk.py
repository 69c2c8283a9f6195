"""Walking a learner's edf graph back from the loss to name the first node whose backward is wrong.

The shared edf probe (exercises/01-computation-graphs/_shared/edf_probe.py, `graph_dump`) runs the
learner's graph in the learner's process with every `backward` and `addgrad` instrumented and
returns plain data (the "dump"):

    {"nodes": [{"kind": "Affine", "class": "Affine",
                "inputs": {"x": "x", "A": "P1.A", "b": "P1.b"},   # role -> object name, "#k" = node k
                "value": array | None,            # after Forward()
                "grad": array | None,             # the node's .grad when its backward() started
                "sent": {"x": [array, ...], ...}, # every delta it passed to each input's addgrad
                "stray": ["y", ...]}, ...],       # objects it sent gradients to that are not its inputs
     "objects": {"x": {"kind": "input", "value": array, "grad": None},
                 "P1.A": {"kind": "parameter", "value": array, "grad": array | None}, ...},
     "registered": [bool, ...],                   # node k is in edf.core.CompNodes
     "backward_order": [4, 3, 2, 1, 0],           # node indices in the order backward() ran
     "error": None | {"phase": "forward" | "backward", "node": k | None, "type", "message", "traceback"}}

Here, in the grading process, every node is judged on its own against grader.reference, given the
learner's own input values and the learner's own upstream gradient at that node. A single wrong
node is therefore named once; the nodes before it, which only inherit its error, are not blamed.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from grader import reference as ref
from grader.checklib import CheckContext, active_context
from grader.compare import Comparison, compare, rel_error, repr_array

Array = NDArray[np.float64]

# What each node kind's inputs are called; the notes' constructor order (L813-866).
ROLES: dict[str, tuple[str, ...]] = {
    "Sigmoid": ("x",),
    "Affine": ("x", "A", "b"),
    "Softmax": ("x",),
    "CrossEntropyLoss": ("p", "y"),
}
PARAMETER_ROLES = ("A", "b")  # Parameters: their addgrad sums what they receive over axis 0 (L769)
NO_GRADIENT = {("CrossEntropyLoss", "y")}  # integer labels: an Input, nothing to send
ROLE_WORDS = {"x": "its input x", "A": "its weights A", "b": "its bias b", "p": "its input p"}
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


# -- the reference node, kind by kind ---------------------------------------------------------


def node_forward(kind: str, inputs: dict[str, np.ndarray]) -> Array:
    """The value a node of this kind computes from its inputs' values."""
    if kind == "Sigmoid":
        return ref.edf_sigmoid_forward(inputs["x"])
    if kind == "Affine":
        return ref.affine_forward(inputs["x"], inputs["A"], inputs["b"])
    if kind == "Softmax":
        return ref.softmax(inputs["x"])
    if kind == "CrossEntropyLoss":
        return ref.cross_entropy(inputs["p"], inputs["y"])
    raise KeyError(f"no reference for node kind {kind!r}")


def node_backward(kind: str, inputs: dict[str, np.ndarray], grad: np.ndarray) -> dict[str, Array]:
    """What the node should pass to each input's addgrad, given its upstream gradient `grad`.

    Parameters get per-example gradients with a leading batch axis (L951): Parameter.addgrad sums it.
    """
    value = node_forward(kind, inputs)
    if kind == "Sigmoid":
        return {"x": ref.edf_sigmoid_backward(value, grad)}
    if kind == "Affine":
        dA, db = ref.affine_backward_per_example(grad, inputs["x"])
        return {"x": ref.matmul(grad, np.asarray(inputs["A"]).T), "A": dA, "b": db}
    if kind == "Softmax":
        return {"x": ref.softmax_backward(value, grad)}
    if kind == "CrossEntropyLoss":
        return {"p": ref.cross_entropy_backward(inputs["p"], inputs["y"], grad)}
    raise KeyError(f"no reference for node kind {kind!r}")


# -- mistakes worth naming --------------------------------------------------------------------


@dataclass(frozen=True)
class Mistake:
    """A plausible wrong result, and what it tells the learner when their output equals it."""

    what: str  # completes "<label> ...", e.g. "is X A without the bias b"
    diagnosis: str
    value: np.ndarray


def _softmax_axis0(S: np.ndarray) -> np.ndarray:
    e = np.exp(S - S.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def forward_mistakes(kind: str, inputs: dict[str, np.ndarray]) -> list[Mistake]:
    """Wrong forward values that learners produce often, each with its explanation."""
    with np.errstate(all="ignore"):  # a mistake may well overflow where the reference does not
        return _forward_mistakes(kind, inputs)


def _forward_mistakes(kind: str, inputs: dict[str, np.ndarray]) -> list[Mistake]:
    out: list[Mistake] = []
    if kind == "Sigmoid":
        x = np.asarray(inputs["x"], dtype=np.float64)
        out.append(Mistake("is σ(x) without the clamp of x to [−10, 10] (notes L819)", "clamp", ref.sigmoid(x)))
    elif kind == "Affine":
        out.append(Mistake("is X A without the bias b", "missing_term", ref.matmul(inputs["x"], inputs["A"])))
    elif kind == "Softmax":
        S = np.asarray(inputs["x"], dtype=np.float64)
        if S.ndim == 2:
            out.append(Mistake("normalizes over axis 0 (the batch) instead of axis 1 (the classes of each row)",
                               "axis", _softmax_axis0(S)))
            shifted = np.exp(S - S.max(axis=0, keepdims=True))
            out.append(Mistake("subtracts the max over axis 0 (per class): only a constant per ROW leaves "
                               "softmax unchanged; use np.max(x, axis=1, keepdims=True)", "axis",
                               shifted / shifted.sum(axis=1, keepdims=True)))
            if S.shape[0] == S.shape[1]:  # without keepdims, (N,) broadcasts along the wrong axis
                e = np.exp(S - S.max(axis=1, keepdims=True))
                out.append(Mistake("divides by the row sums without keepdims=True: a sum of shape (N,) "
                                   "broadcasts along the wrong axis", "keepdims", e / e.sum(axis=1)[None, :]))
                e2 = np.exp(S - S.max(axis=1)[None, :])
                out.append(Mistake("subtracts the row max without keepdims=True: a max of shape (N,) "
                                   "broadcasts along the wrong axis", "keepdims", e2 / e2.sum(axis=1, keepdims=True)))
                out.append(Mistake("misses keepdims=True in its row max and row sum: (N,) broadcasts along "
                                   "the wrong axis", "keepdims", e2 / e2.sum(axis=1)[None, :]))
    elif kind == "CrossEntropyLoss":
        P = np.asarray(inputs["p"], dtype=np.float64)
        y = np.asarray(inputs["y"]).astype(np.int64)
        ce = ref.cross_entropy(P, y)
        out.append(Mistake("is −log p[:, y], an (N, N) block: pick each row's own label with "
                           "p[np.arange(N), y]", "indexing", -np.log(P[:, y])))
        out.append(Mistake("is the mean over the batch, a single number: the loss must stay a vector of shape "
                           "(N,) (len(loss.value) = N) because Backward takes the mean (L791)", "summed_batch",
                           np.asarray(ce.mean())))
        out.append(Mistake("is the sum over the batch, a single number: the loss must stay a vector of shape "
                           "(N,) (len(loss.value) = N) because Backward takes the mean (L791)", "summed_batch",
                           np.asarray(ce.sum())))
        out.append(Mistake("is −Σ_c log p[i, c] over all classes: only the label's probability p[i, y_i] "
                           "counts", "indexing", -np.log(P).sum(axis=1)))
    return out


def backward_mistakes(kind: str, role: str, inputs: dict[str, np.ndarray], grad: np.ndarray) -> list[Mistake]:
    """Wrong gradients a node of this kind often sends to the input `role`."""
    with np.errstate(all="ignore"):
        return _backward_mistakes(kind, role, inputs, grad)


def _backward_mistakes(kind: str, role: str, inputs: dict[str, np.ndarray], grad: np.ndarray) -> list[Mistake]:
    G = np.asarray(grad, dtype=np.float64)
    out: list[Mistake] = []
    if kind == "Sigmoid":
        x = np.asarray(inputs["x"], dtype=np.float64)
        s = ref.edf_sigmoid_forward(x)
        out.append(Mistake("is σ(1 − σ) without the upstream gradient: multiply by self.grad", "missing_upstream",
                           s * (1 - s)))
        out.append(Mistake("is G·x·(1 − x), computed from the input x: σ'(x) = σ(1 − σ) uses the node's "
                           "output self.value", "wrong_operand", G * x * (1 - x)))
        out.append(Mistake("is G ⊙ σ: the factor (1 − σ) of σ' = σ(1 − σ) is missing", "missing_term", G * s))
        out.append(Mistake("is G ⊙ (1 − σ): the factor σ of σ' = σ(1 − σ) is missing", "missing_term", G * (1 - s)))
    elif kind == "Affine":
        X, A = np.asarray(inputs["x"], dtype=np.float64), np.asarray(inputs["A"], dtype=np.float64)
        parameter_note = ("Parameter.addgrad sums over axis 0 itself (L769), so it would then sum over the "
                          "next axis as well")
        if role == "x" and A.shape[0] == A.shape[1]:
            out.append(Mistake("is G A: the weights must be transposed, G Aᵀ (notes L949)", "transpose",
                               ref.matmul(G, A)))
        if role == "A":
            XtG = ref.matmul(X.T, G)
            out.append(Mistake(f"is Xᵀ G (D, M), already summed over the batch: {parameter_note}. Pass the "
                               f"per-example outer products x[:, :, None] * G[:, None, :] of shape (N, D, M) "
                               f"(notes L951)", "summed_batch", XtG))
            out.append(Mistake(f"is the batch mean Xᵀ G / N (D, M): {parameter_note}, and Backward already "
                               f"averages. Pass x[:, :, None] * G[:, None, :] (N, D, M) (notes L951)",
                               "summed_batch", XtG / len(X)))
            out.append(Mistake("is Gᵀ X (M, D), summed and transposed: pass the per-example outer products "
                               "x[:, :, None] * G[:, None, :] of shape (N, D, M) (notes L951)", "transpose",
                               XtG.T))
            out.append(Mistake("is the outer product the wrong way round, G[:, :, None] * x[:, None, :] "
                               "(N, M, D): it must be x[:, :, None] * G[:, None, :] (N, D, M), like A (D, M)",
                               "transpose", G[:, :, None] * X[:, None, :]))
        if role == "b":
            out.append(Mistake(f"is Σ_n G (M,), already summed over the batch: {parameter_note}. Pass self.grad "
                               f"(N, M) as it is (notes L950)", "summed_batch", G.sum(axis=0)))
            out.append(Mistake(f"is the batch mean of G (M,): {parameter_note}, and Backward already averages. "
                               f"Pass self.grad (N, M) as it is (notes L950)", "summed_batch", G.mean(axis=0)))
    elif kind == "Softmax":
        P = ref.softmax(inputs["x"])
        if P.ndim == 2:
            out.append(Mistake("is P ⊙ G: the term −P ⊙ Σ_c (G ⊙ P) is missing", "missing_term", P * G))
            out.append(Mistake("is P(1 − P) ⊙ G, only the diagonal of the softmax Jacobian: the term "
                               "−P ⊙ Σ_c (G ⊙ P) couples the classes", "missing_term", P * (1 - P) * G))
            out.append(Mistake("sums G ⊙ P over axis 0 (the batch) instead of axis 1 (the classes)", "axis",
                               P * (G - np.sum(G * P, axis=0, keepdims=True))))
            out.append(Mistake("is P ⊙ (G − Σ_c G): the sum must weight G by P, Σ_c (G ⊙ P)", "missing_term",
                               P * (G - np.sum(G, axis=1, keepdims=True))))
            if P.shape[0] == P.shape[1]:
                out.append(Mistake("subtracts Σ_c (G ⊙ P) without keepdims=True: a sum of shape (N,) broadcasts "
                                   "along the wrong axis", "keepdims", P * (G - np.sum(G * P, axis=1)[None, :])))
    elif kind == "CrossEntropyLoss" and role == "p":
        P = np.asarray(inputs["p"], dtype=np.float64)
        y = np.asarray(inputs["y"]).astype(np.int64)
        rows = np.arange(len(y))
        onehot = np.zeros_like(P)
        onehot[rows, y] = 1.0
        out.append(Mistake("is −1/p[i, y_i] without the upstream gradient: multiply by self.grad",
                           "missing_upstream", ref.cross_entropy_backward(P, y, np.ones(len(y)))))
        out.append(Mistake("is (P − onehot(y)) ⊙ g, the gradient of softmax + cross-entropy with respect to "
                           "the LOGITS; this node's input is the probabilities p, so send −g/p[i, y_i] at the "
                           "label", "wrong_formula", (P - onehot) * G[:, None]))
        out.append(Mistake("is −g/p at every class: only the label's entry p[i, y_i] gets a gradient; the "
                           "others are 0", "missing_term", -G[:, None] / P))
    return out


def judge(label: str, got, expected: np.ndarray, *, batch: int | None = None,
          mistakes: list[Mistake] | tuple[Mistake, ...] = (), rtol: float = 1e-6, floor: float = 1e-8) -> Comparison:
    """compare(), then: when `got` equals one of the named mistakes, say that instead."""
    result = compare(label, got, expected, rtol=rtol, floor=floor, batch=batch)
    if isinstance(got, int | float) and not isinstance(got, bool):
        got = np.asarray(got, dtype=np.float64)  # a scalar where a vector was expected: still name why
    if result.ok or not isinstance(got, np.ndarray) or got.dtype.kind not in "biuf":
        return result
    got64 = got.astype(np.float64)
    expected64 = np.asarray(expected, dtype=np.float64)
    tol = max(rtol, 1e-6)
    for mistake in mistakes:
        wrong = np.asarray(mistake.value, dtype=np.float64)
        if wrong.shape != got64.shape or not np.all(np.isfinite(wrong)):
            continue
        if wrong.shape == expected64.shape and np.max(rel_error(wrong, expected64, floor), initial=0) < tol:
            continue  # on this input the mistake gives the right answer: it explains nothing
        if np.max(rel_error(got64, wrong, floor), initial=0) < tol:
            return replace(result, diagnosis=mistake.diagnosis, explanation=f"{label} {mistake.what}")
    return result


# -- the walk ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """Where the learner's graph first goes wrong; message is one paragraph for the learner."""

    node: int | None  # index into CompNodes (0-based); None when no node is to blame
    phase: str  # "structure" | "forward" | "backward"
    message: str
    diagnosis: str | None
    details: str = ""


def _array(value) -> np.ndarray | None:
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return np.asarray(value, dtype=np.float64)
    return None


def _total(deltas: list) -> np.ndarray | None:
    """The sum of what one input received; the first odd-shaped delta as it is, so compare names its shape."""
    arrays = [_array(d) for d in deltas]
    if not arrays or any(a is None for a in arrays):
        return None
    if len({a.shape for a in arrays}) > 1:
        return arrays[0]
    return np.sum(np.stack([a.astype(np.float64) for a in arrays]), axis=0)


class _Graph:
    def __init__(self, dump: dict, rtol: float) -> None:
        self.nodes: list[dict] = dump["nodes"]
        self.objects: dict[str, dict] = dump["objects"]
        self.registered: list[bool] = dump.get("registered", [True] * len(self.nodes))
        self.order: list[int] = dump.get("backward_order", [])
        self.error: dict | None = dump.get("error")
        self.rtol = rtol
        self.n = len(self.nodes)
        self.loss = self.n - 1
        self.trace: list[str] = []  # what the walk found correct so far, for the details

    # naming ------------------------------------------------------------------------------------

    def name(self, k: int) -> str:
        kind = self.nodes[k]["kind"]
        same = [j for j in range(self.n) if self.nodes[j]["kind"] == kind]
        which = f"the {ORDINALS[same.index(k)]} {kind}" if len(same) > 1 else f"the {kind}"
        consumers = [self.nodes[j]["kind"] for j in self.consumers(k)]
        where = "the loss" if k == self.loss else f"feeding {', '.join(consumers)}" if consumers else "unused"
        return f"node {k + 1} of {self.n}, {which} ({where})"

    def role_words(self, k: int, role: str) -> str:
        target = self.nodes[k]["inputs"][role]
        words = ROLE_WORDS.get(role, f"its input {role}")
        if target.startswith("#"):
            j = int(target[1:])
            return f"{words} (the output of node {j + 1}, {self.nodes[j]['kind']})"
        return words

    def consumers(self, k: int) -> list[int]:
        return [j for j in range(self.n) if f"#{k}" in self.nodes[j]["inputs"].values()]

    def value(self, name: str) -> np.ndarray | None:
        if name.startswith("#"):
            return _array(self.nodes[int(name[1:])].get("value"))
        return _array(self.objects[name].get("value"))

    def inputs(self, k: int) -> dict[str, np.ndarray]:
        values = {role: self.value(target) for role, target in self.nodes[k]["inputs"].items()}
        return {role: v for role, v in values.items() if v is not None}

    def batch(self) -> int:
        loss = _array(self.nodes[self.loss].get("value"))
        return int(len(loss)) if loss is not None and loss.ndim else 1

    def finding(self, k: int | None, phase: str, message: str, diagnosis: str | None, details: str = "") -> Finding:
        trace = "\n".join(self.trace)
        if trace:
            details = f"{details}\n\nwhat the walk checked before:\n{trace}".strip()
        return Finding(k, phase, message, diagnosis, details)

    def fine_after(self, k: int) -> str:
        later = [self.nodes[j]["kind"] for j in range(k + 1, self.n)]
        if not later:
            return ""
        return f" The nodes after it ({', '.join(later)}) send correct gradients."

    # checks ------------------------------------------------------------------------------------

    def structure(self) -> Finding | None:
        for k, registered in enumerate(self.registered):
            if not registered:
                return self.finding(k, "structure", f"{self.name(k)} is not in CompNodes: its __init__ must "
                                    f"append it (CompNodes.append(self), notes L815), or Forward() and Backward() "
                                    f"never visit it.", "not_registered")
        return None

    def raised(self, k: int | None, phase: str) -> Finding | None:
        """The learner's code raised an exception in node k's forward()/backward() (or in a driver)."""
        error = self.error
        if error is None or error["phase"] != phase or error["node"] != k:
            return None
        where = (f"in the {phase}() of {self.name(k)}" if k is not None
                 else f"in {'Forward()' if phase == 'forward' else 'Backward()'} itself, outside any node")
        lead = "Forward" if phase == "forward" else "Backprop"
        extra = ""
        if error["type"] == "AttributeError" and "grad" in error["message"]:
            extra = (" Backward must first give every CompNode and every Parameter a zero gradient, c.grad = "
                     "np.zeros(c.value.shape) for c in CompNodes + Parameters (notes L789-790), so that addgrad "
                     "can add to it.")
        return self.finding(k, phase, f"{lead} first goes wrong {where}: your code raised {error['type']}: "
                            f"{error['message']}.{extra}", "exception", error.get("traceback", ""))

    def forward(self) -> Finding | None:
        for k, node in enumerate(self.nodes):
            found = self.raised(k, "forward")
            if found is not None:
                return found
            got = node.get("value")
            if got is None:
                return self.finding(k, "forward", f"Forward first goes wrong at {self.name(k)}: it has no value "
                                    f"after Forward(). Its forward() must set self.value.", "zeros")
            inputs = self.inputs(k)
            result = judge("its value", got, node_forward(node["kind"], inputs),
                           mistakes=forward_mistakes(node["kind"], inputs), rtol=self.rtol)
            if not result.ok:
                return self.finding(k, "forward", f"Forward first goes wrong at {self.name(k)}: "
                                    f"{result.explanation}.", result.diagnosis, result.details)
            self.trace.append(f"  forward  node {k + 1} {node['kind']}: value ok")
        return self.raised(None, "forward")

    def backward(self) -> Finding | None:
        batch = self.batch()
        found = self.raised(None, "backward")
        if found is not None:
            return found
        for k in range(self.n - 1, -1, -1):
            found = (self.raised(k, "backward") or self.calls(k) or self.upstream(k, batch) or self.sent(k, batch)
                     or self.parameters(k, batch))
            if found is not None:
                return found
        return None

    def calls(self, k: int) -> Finding | None:
        count = self.order.count(k)
        if count == 1:
            return None
        how = "never called" if count == 0 else f"called {count} times"
        return self.finding(k, "backward", f"Backward {how} the backward() of {self.name(k)}: it must call "
                            f"c.backward() once for every c in CompNodes[::-1] (notes L794).", "order")

    def upstream(self, k: int, batch: int) -> Finding | None:
        got = _array(self.nodes[k].get("grad"))
        if got is None:
            return self.finding(k, "backward", f"{self.name(k)} has no .grad when its backward() runs: Backward "
                                f"must first set c.grad = np.zeros(c.value.shape) for every CompNode and "
                                f"Parameter (notes L789-790).", "zeros")
        if k == self.loss:
            value = _array(self.nodes[k]["value"])
            expected = np.ones(np.shape(value)) / max(len(value), 1) if value is not None and value.ndim else None
            if expected is None:
                return None  # the forward walk already named the loss's shape
            result = compare("the gradient Backward seeds at the loss (loss.grad)", got, expected, batch=batch,
                             rtol=self.rtol)
            if not result.ok:
                return self.finding(k, "backward", f"Backward seeds the loss wrong: {result.explanation}. It must "
                                    f"set loss.grad = np.ones(loss.value.shape) / len(loss.value) after zeroing "
                                    f"the gradients: edf minimizes the batch mean of the loss (notes L791).",
                                    "seed" if result.diagnosis == "zeros" else result.diagnosis, result.details)
            self.trace.append(f"  backward node {k + 1} {self.nodes[k]['kind']}: seed ok")
            return None
        consumers = self.consumers(k)
        position = {j: self.order.index(j) for j in range(self.n) if j in self.order}
        late = [j for j in consumers if position.get(j, -1) > position.get(k, -1)]
        if late:
            j = late[0]
            return self.finding(k, "backward", f"Backward ran the backward() of {self.name(k)} before that of node "
                                f"{j + 1} ({self.nodes[j]['kind']}), which sends it its gradient: visit the nodes "
                                f"in reverse creation order, for c in CompNodes[::-1] (notes L794).", "order")
        parts = [_total(self.nodes[j]["sent"].get(role, []))
                 for j in consumers for role, target in self.nodes[j]["inputs"].items() if target == f"#{k}"]
        if any(p is None for p in parts) or not parts:
            return None  # the consumer's own check already failed on this
        expected = np.sum(np.stack(parts), axis=0)
        result = compare("the gradient it holds when its backward() runs", got, expected, batch=batch,
                         rtol=self.rtol)
        if not result.ok:
            return self.finding(k, "backward", f"Backprop first goes wrong on the way into {self.name(k)}: "
                                f"{result.explanation}. The nodes after it sent it the right gradients, so they "
                                f"are not added up correctly: CompNode.addgrad must do self.grad += delta, and "
                                f"Backward must zero every .grad before the backward pass (edf-core).",
                                result.diagnosis, result.details)
        return None

    def sent(self, k: int, batch: int) -> Finding | None:
        node = self.nodes[k]
        kind = node["kind"]
        inputs = self.inputs(k)
        grad = _array(node["grad"])
        assert grad is not None
        expected = node_backward(kind, inputs, grad)
        for role in ROLES[kind]:
            if (kind, role) in NO_GRADIENT:
                continue
            words = self.role_words(k, role)
            deltas = node["sent"].get(role, [])
            if not deltas:
                return self.finding(k, "backward", f"Backprop first goes wrong at {self.name(k)}: it never sends "
                                    f"a gradient to {words} (no addgrad call for it in its backward())."
                                    f"{self.fine_after(k)}", "zeros")
            got = _total(deltas)
            result = judge(f"the gradient it sends to {words}", got if got is not None else deltas[0],
                           expected[role], batch=batch, mistakes=backward_mistakes(kind, role, inputs, grad),
                           rtol=self.rtol)
            if not result.ok:
                return self.finding(k, "backward", f"Backprop first goes wrong at {self.name(k)}: "
                                    f"{result.explanation}.{self.fine_after(k)}", result.diagnosis, result.details)
        if node.get("stray"):
            return self.finding(k, "backward", f"Backprop first goes wrong at {self.name(k)}: its backward() sends "
                                f"gradients to {', '.join(node['stray'])}, which is not one of its inputs.",
                                "mismatch")
        self.trace.append(f"  backward node {k + 1} {kind}: upstream gradient and what it sends ok")
        return None

    def parameters(self, k: int, batch: int) -> Finding | None:
        node = self.nodes[k]
        for role in PARAMETER_ROLES:
            target = node["inputs"].get(role)
            if target is None or self.objects[target]["kind"] != "parameter":
                continue
            expected = np.sum(_total(node["sent"][role]), axis=0)  # checked equal to the reference above
            got = self.objects[target].get("grad")
            result = compare(f"{target}.grad after Backward", got, expected, batch=batch, rtol=self.rtol)
            if not result.ok:
                return self.finding(k, "backward", f"The Parameter {role} of {self.name(k)} adds up its gradient "
                                    f"wrong: {result.explanation}. Parameter.addgrad must sum the per-example "
                                    f"gradients over axis 0, self.grad += np.sum(delta, axis=0) (notes L769, "
                                    f"edf-core).", result.diagnosis, result.details)
        return None


def walk(dump: dict, *, rtol: float = 1e-6, ctx: CheckContext | None = None, figure: bool = True) -> Finding | None:
    """The first place the learner's graph goes wrong: structure, then forward (in creation order),
    then backward from the loss; None when every node agrees with the reference.

    With figure (the default), the graph with each node's verdict is attached to ctx (default: the
    check running now) as a "graph" figure for the tutor to draw; see graph_figure."""
    graph = _Graph(dump, rtol)
    finding = graph.structure() or graph.forward() or graph.backward()
    target = ctx if ctx is not None else (active_context() if figure else None)
    if figure and target is not None:
        # A malformed dump is already reported by the finding; the drawing is a bonus.
        with contextlib.suppress(KeyError, TypeError, ValueError, IndexError):
            drawn = graph_figure(dump, finding)
            # One graph per check: a check walking several cases shows the last (a failing one ends it).
            target.figures[:] = [f for f in target.figures if f.get("kind") != "graph"]
            target.figures.append(drawn)
    return finding


def _node_label(dump: dict, k: int) -> str:
    node = dump["nodes"][k]
    names = [f"node {int(t[1:]) + 1}" if t.startswith("#") else t for t in node["inputs"].values()]
    return f"{node['kind']}({', '.join(names)})"


def graph_figure(dump: dict, finding: Finding | None, title: str = "your computation graph") -> dict:
    """The figure dict of kind "graph" (docs/report-format.md): one entry per CompNode in creation order,
    ok True (agrees with the reference), False (the first wrong node) or None (not judged: the walk
    stopped before it, and it would only inherit the error); edges [from, to] between nodes."""
    n = len(dump["nodes"])
    if finding is None:
        verdicts: list[bool | None] = [True] * n
    elif finding.node is None:
        verdicts = [None] * n
    elif finding.phase == "backward":  # judged from the loss back: the later nodes were fine
        verdicts = [None if k < finding.node else k > finding.node for k in range(n)]
        verdicts[finding.node] = False
    else:  # structure or forward, in creation order: the earlier nodes were fine
        verdicts = [True if k < finding.node else None for k in range(n)]
        verdicts[finding.node] = False
    nodes = []
    for k in range(n):
        inputs = [t for t in dump["nodes"][k]["inputs"].values() if not t.startswith("#")]
        nodes.append({"label": _node_label(dump, k), "kind": dump["nodes"][k]["kind"], "ok": verdicts[k],
                      "first_wrong": finding is not None and finding.node == k, "inputs": inputs,
                      "loss": k == n - 1})
    edges = [[int(t[1:]), k] for k in range(n) for t in dump["nodes"][k]["inputs"].values() if t.startswith("#")]
    note = "" if finding is None else f"{finding.phase}: {finding.message}"
    return {"kind": "graph", "title": title, "nodes": nodes, "edges": edges,
            "phase": None if finding is None else finding.phase, "note": note[:300]}


def describe_graph(dump: dict) -> str:
    """One line per node, e.g. for a test's failure output."""
    lines = []
    for k, node in enumerate(dump["nodes"]):
        inputs = ", ".join(f"{role}={target}" for role, target in node["inputs"].items())
        value = _array(node.get("value"))
        lines.append(f"#{k} {node['kind']}({inputs}) value "
                     f"{repr_array(value) if value is not None else None}".replace("\n", " "))
    return "\n".join(lines)



# -- helpers for the edf node checks (exercises/01-computation-graphs/*/checks.py) ------------


def expect_judged(ctx: CheckContext, label: str, got, expected: np.ndarray, *, batch: int | None = None,
                  mistakes: list[Mistake] | tuple[Mistake, ...] = ()) -> None:
    """ctx.expect_close, naming a known mistake when the learner's output equals one."""
    result = judge(label, got, expected, batch=batch, mistakes=mistakes)
    if not result.ok:
        ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


def run_node(ctx: CheckContext, kind: str, inputs: dict[str, np.ndarray], upstream: np.ndarray | None) -> dict:
    """The learner's node on stand-in parents (probe `node_run`): its value and what each parent got."""
    out = ctx.probe("node_run", kind, inputs, upstream)
    ctx.expect(isinstance(out, dict) and "sent" in out, f"the probe could not run your {kind}", diagnosis="dtype")
    if out["changed"]:
        ctx.fail(f"Your {kind} changed the value of its input {', '.join(out['changed'])} in place. The other nodes "
                 f"still need it: build new arrays instead.", diagnosis="in_place")
    return out


def received(ctx: CheckContext, kind: str, out: dict, role: str) -> np.ndarray | list:
    """What the parent `role` received through addgrad during backward(), added up."""
    deltas = out["sent"].get(role, [])
    words = ROLE_WORDS.get(role, f"its input {role}")
    if not deltas:
        ctx.fail(f"{kind}.backward never sends a gradient to {words}: call self.<parent>.addgrad(delta) in "
                 f"backward() (notes L822).", diagnosis="zeros")
    total = _total(deltas)
    return total if total is not None else deltas[0]


def node_gradcheck(ctx: CheckContext, kind: str, inputs: dict[str, np.ndarray], upstream: np.ndarray,
                   fixed: dict[str, np.ndarray] | None = None) -> None:
    """Central differences of Σ upstream ⊙ forward(inputs) against what the learner's backward sent.

    `fixed` inputs (integer labels) are passed along but not differentiated. Parameters' gradients
    are what Parameter.addgrad would make of the per-example deltas: their sum over axis 0.
    """
    fixed = fixed or {}
    out = run_node(ctx, kind, {**inputs, **fixed}, upstream)
    value = ctx.expect_array(f"{kind}'s value", out["value"], np.shape(upstream))
    analytic = {}
    for role, x in inputs.items():
        got = received(ctx, kind, out, role)
        shape = (len(value), *np.shape(x)) if role in PARAMETER_ROLES else np.shape(x)
        got = ctx.expect_array(f"the gradient {kind}.backward sends to {ROLE_WORDS.get(role, role)}", got, shape)
        analytic[role] = got.sum(axis=0) if role in PARAMETER_ROLES else got

    def objective(values: dict[str, np.ndarray]) -> float:
        forward = ctx.probe("node_forward", kind, {**values, **fixed})
        return float(np.sum(upstream * ctx.expect_array(f"{kind}'s value", forward, np.shape(upstream))))

    ctx.gradcheck(f"d/d inputs of Σ upstream ⊙ {kind}(inputs)", objective, inputs, analytic)
