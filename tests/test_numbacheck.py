"""grader.numbacheck: the static @njit-loops checks and the run-time 'compiled by Numba' check."""

from __future__ import annotations

import ast

import pytest

from grader.checklib import CheckContext, CheckFailed
from grader.numbacheck import expect_compiled, expect_loops, expect_njit, function_node, has_njit, vectorized_ops
from grader.sandbox import LearnerError

SOURCE = '''
import numpy as np
from numba import njit
import numba


@njit(cache=True)
def loops(A, x):
    out = np.zeros(A.shape[0])
    for i in range(A.shape[0]):
        for j in range(A.shape[1]):
            out[i] += A[i, j] * x[j]
    return out


@numba.njit
def vectorized(A, x):
    return A @ x + np.dot(A, x) + A.dot(x) + np.einsum("ij,j->i", A, x)


def plain(A, x):
    return A


def njit(f):
    return f


@njit
def homemade(A, x):
    return A
'''


def _ctx(source: str = SOURCE) -> CheckContext:
    return CheckContext("demo", "demo check", "numba", False, 0, source=source)


def _failure(call) -> CheckFailed:
    with pytest.raises(CheckFailed) as info:
        call()
    return info.value


def test_vectorized_ops_finds_matmul_and_numpy_products() -> None:
    assert vectorized_ops(function_node(SOURCE, "loops")) == []
    assert sorted(vectorized_ops(function_node(SOURCE, "vectorized"))) == ["@", "dot", "dot", "einsum"]
    assert vectorized_ops(ast.parse("np.sum(a) + a.dot(b)"), names={"sum"}) == ["sum"]


def test_has_njit_reads_numbas_decorator_only() -> None:
    # The file's own `def njit` makes every @njit in it home-made (ctx.decorators_of says 'local:njit').
    own = _ctx()
    assert not has_njit(own, "loops") and not has_njit(own, "homemade")
    ctx = _ctx(SOURCE.replace("def njit(f):\n    return f\n", ""))
    assert has_njit(ctx, "loops") and has_njit(ctx, "vectorized") and has_njit(ctx, "homemade")
    assert not has_njit(ctx, "plain") and not has_njit(ctx, "missing")


def test_expect_loops_messages_in_order() -> None:
    ctx = _ctx(SOURCE.replace("def njit(f):\n    return f\n", ""))
    assert expect_loops(ctx, "loops", "loops").name == "loops"
    failure = _failure(lambda: expect_loops(ctx, "missing", "loops"))
    assert failure.diagnosis == "njit"
    assert failure.message == "missing must be a top-level function (def missing(...)) in your file"
    failure = _failure(lambda: expect_loops(ctx, "plain", "loops"))
    assert failure.diagnosis == "njit"
    assert failure.message == ("plain is not decorated with Numba's @njit: put @njit(cache=True) (from numba import "
                               "njit, not a decorator of your own) on the line above its def")
    assert _failure(lambda: expect_njit(ctx, "plain")).message == failure.message
    failure = _failure(lambda: expect_loops(ctx, "vectorized", "the loops of L1 instead (for i in range(M): …)"))
    assert failure.diagnosis == "loops"
    assert failure.message == "vectorized uses @, dot, einsum: write the loops of L1 instead (for i in range(M): …)"
    assert _failure(lambda: expect_loops(_ctx("def (:"), "loops", "x")).diagnosis == "njit"  # no parse, no function


class _Learner(CheckContext):
    """A CheckContext whose learner calls and numba_info probes are canned."""

    def __init__(self, raises: dict[str, LearnerError], info: dict[str, object]) -> None:
        super().__init__("demo", "demo check", "numba", False, 0)
        self.raises, self.info, self.log = raises, info, []

    def call(self, fn: str, *args, **kwargs):
        self.log.append(("call", fn, args))
        if fn in self.raises:
            raise self.raises[fn]
        return None

    def probe(self, name: str, *args, label: str | None = None, **kwargs):
        self.log.append((name, *args))
        return self.info[args[0]]


GOOD = {"compiled": 1, "type": "CPUDispatcher", "nopython": True}


def test_expect_compiled_calls_then_asks_numba() -> None:
    ctx = _Learner({"g": LearnerError("IndexError", "out of bounds", "")}, {"f": GOOD, "g": GOOD})
    expect_compiled(ctx, [("f", (1, 2)), ("g", (3,))])  # a wrong result is for the other checks
    assert ctx.log == [("call", "f", (1, 2)), ("call", "g", (3,)), ("numba_info", "f"), ("numba_info", "g")]


def test_expect_compiled_failures() -> None:
    starter = LearnerError("NotImplementedError", "", "")
    with pytest.raises(LearnerError) as info:
        expect_compiled(_Learner({"f": starter}, {"f": GOOD}), [("f", ())])
    assert info.value is starter
    typing = LearnerError("TypingError", "Failed in nopython mode", "")
    with pytest.raises(LearnerError) as info:
        expect_compiled(_Learner({"f": typing}, {"f": {"compiled": 0, "type": "CPUDispatcher"}}), [("f", ())])
    assert info.value is typing
    failure = _failure(lambda: expect_compiled(_Learner({}, {"f": {"compiled": 0, "type": "function"}}), [("f", ())]))
    assert failure.diagnosis == "njit"
    assert failure.message == ("f is not a function compiled by Numba's @njit (it is a function); import njit from "
                               "numba and use it as the decorator")
    objmode = {"compiled": 1, "type": "CPUDispatcher", "nopython": False}
    assert "(it is a CPUDispatcher)" in _failure(lambda: expect_compiled(_Learner({}, {"f": objmode}),
                                                                         [("f", ())])).message
    assert "(it is a ?)" in _failure(lambda: expect_compiled(_Learner({}, {"f": None}), [("f", ())])).message
