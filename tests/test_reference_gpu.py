"""grader.reference_gpu against float64 central differences and plain NumPy formulas."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from test_reference_kernels import assert_close_to_numeric, numeric_vjp

from grader import reference_gpu as ref

pytestmark = pytest.mark.filterwarnings("error")

COVERED = {"elu", "elu_backward"}
SHAPES = [(), (1,), (7,), (3, 5), (2, 3, 4)]


def test_every_public_function_is_covered() -> None:
    public = {name for name, fn in inspect.getmembers(ref, inspect.isfunction)
              if fn.__module__ == ref.__name__ and not name.startswith("_")}
    assert public == COVERED


@pytest.mark.parametrize("alpha", [1.0, 0.3])
@pytest.mark.parametrize("shape", SHAPES)
def test_elu_forward_and_backward(shape: tuple[int, ...], alpha: float) -> None:
    rng = np.random.default_rng(7)
    x = rng.uniform(-4, 4, shape)
    x = np.where(np.abs(x) < 0.05, 0.1, x)  # away from the kink at 0 (alpha != 1)
    g = rng.normal(size=shape)
    out = ref.elu(x, alpha)
    assert out.shape == np.shape(x) and out.dtype == np.float64
    np.testing.assert_allclose(out, np.where(x > 0, x, alpha * (np.exp(x) - 1)), rtol=1e-12, atol=1e-15)
    back = ref.elu_backward(x, g, alpha)
    np.testing.assert_allclose(back, g * np.where(x > 0, 1.0, alpha * np.exp(x)), rtol=1e-14)
    assert_close_to_numeric(back, numeric_vjp(lambda v: ref.elu(v, alpha), x, g))


def test_elu_is_accurate_near_zero_and_saturates() -> None:
    x = np.array([-1e-12, 0.0, 1e-12, -50.0, -800.0])
    out = ref.elu(x)
    assert out[0] == pytest.approx(-1e-12, rel=1e-9) and out[1] == 0.0 and out[2] == 1e-12
    assert out[3] == pytest.approx(-1.0, rel=1e-15) and out[4] == -1.0
    assert ref.elu_backward(np.array([0.0]), np.array([2.0]), 0.5)[0] == 1.0  # x <= 0 branch at 0: alpha e^0


def test_elu_refuses_bad_arguments() -> None:
    with pytest.raises(ValueError, match="alpha"):
        ref.elu(np.zeros(3), -1.0)
    with pytest.raises(ValueError, match="shape"):
        ref.elu_backward(np.zeros(3), np.zeros(4))
