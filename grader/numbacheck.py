"""Helpers for the checks of Numba exercises (the learner writes @njit functions): static checks on the
learner's source (parsed, never run here: a decorator that is not in the source cannot be faked at run time)
and the run-time check that Numba really compiled each function in nopython mode."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence

from grader.checklib import CheckContext
from grader.cudacheck import function_node
from grader.sandbox import LearnerError

__all__ = ["VECTORIZED", "expect_compiled", "expect_loops", "expect_njit", "function_node", "has_njit",
           "vectorized_ops"]

# NumPy products that would replace the index loops a loops exercise is about.
VECTORIZED = frozenset({"dot", "matmul", "outer", "einsum", "inner", "tensordot", "vdot"})


def vectorized_ops(node: ast.AST, names: Iterable[str] = VECTORIZED) -> list[str]:
    """Every `@` and every call of a function or method named in `names` (np.dot, x.dot, einsum...) inside
    node ('@' for the operator), in ast.walk order."""
    names = set(names)
    found = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.MatMult):
            found.append("@")
        elif isinstance(sub, ast.Call):
            callee = sub.func.attr if isinstance(sub.func, ast.Attribute) else getattr(sub.func, "id", "")
            if callee in names:
                found.append(callee)
    return found


def has_njit(ctx: CheckContext, name: str) -> bool:
    """Whether the top-level function `name` carries Numba's @njit (numba.njit, njit(cache=True)...)."""
    return any(d.split(".")[-1] == "njit" for d in ctx.decorators_of(name))


def expect_njit(ctx: CheckContext, name: str) -> None:
    """Fail unless the top-level function `name` is decorated with Numba's @njit."""
    ctx.expect(has_njit(ctx, name),
               f"{name} is not decorated with Numba's @njit: put @njit(cache=True) (from numba import njit, not a "
               f"decorator of your own) on the line above its def", diagnosis="njit")


def expect_loops(ctx: CheckContext, name: str, loops: str) -> ast.FunctionDef:
    """Fail unless `name` is a top-level @njit function without vectorized products; `loops` says what to write
    instead ("the index loops of L884–900 instead (for i in range(M): …)")."""
    node = function_node(ctx.source, name)
    ctx.expect(node is not None, f"{name} must be a top-level function (def {name}(...)) in your file",
               diagnosis="njit")
    assert node is not None
    expect_njit(ctx, name)
    ops = vectorized_ops(node)
    ctx.expect(not ops, f"{name} uses {', '.join(sorted(set(ops)))}: write {loops}", diagnosis="loops")
    return node


def expect_compiled(ctx: CheckContext, calls: Sequence[tuple[str, tuple]], *, real_numba: bool = False) -> None:
    """Call each (name, args) once, then fail unless Numba compiled every name as an @njit (nopython) function.

    An untouched starter stops here as "not implemented". A wrong result or an IndexError is for the other
    checks to report; a call that failed because Numba could not compile the function is re-raised, so its
    typing error is the message. With real_numba, the probe must also have found a real Numba dispatcher
    (`numba` in its answer: an isinstance check, so a home-made class with the same name and attributes
    fails), and any failed call of a function that is not one is re-raised."""
    failures: dict[str, LearnerError] = {}
    for name, args in calls:
        try:
            ctx.call(name, *args)
        except LearnerError as error:
            if error.not_implemented:
                raise
            failures[name] = error
    for name, _ in calls:
        info = ctx.probe("numba_info", name)
        compiled = isinstance(info, dict) and info.get("compiled", 0) > 0
        njit = compiled and info.get("type") == "CPUDispatcher" and info.get("nopython") is True
        if real_numba:
            njit = njit and info.get("numba") is True
            if not njit and name in failures:
                raise failures[name]
            ctx.expect(njit, f"{name} is not a function compiled by Numba's @njit: use `from numba import njit` "
                             f"and @njit(cache=True), not a decorator of your own", diagnosis="njit")
            continue
        if not compiled and name in failures:
            raise failures[name]
        ctx.expect(njit, f"{name} is not a function compiled by Numba's @njit (it is a "
                         f"{info.get('type') if isinstance(info, dict) else '?'}); import njit from numba and use it "
                         f"as the decorator", diagnosis="njit")
