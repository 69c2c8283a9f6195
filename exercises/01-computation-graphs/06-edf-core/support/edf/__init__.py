"""edf, the notes' educational framework (§2.4, L751-868), one file per exercise:

    core.py     Input, Parameter, CompNode, Forward, Backward, UpdateParameters   (edf-core)
    sigmoid.py  Sigmoid                                                           (edf-sigmoid)
    affine.py   AffineParams, Affine                                              (edf-affine)
    softmax.py  Softmax                                                           (edf-softmax)
    loss.py     CrossEntropyLoss                                                  (edf-cross-entropy)

`import edf` then works as in the notes (L844-866): edf.Input(), edf.Affine(...), edf.Forward().
The names are looked up lazily, on first use, so a file you have not finished (or that does not
import yet) only matters once you use something from it.

`edf.learning_rate = 0.1` sets the global in edf/core.py, which Parameter.UpdateParameters reads.
This file is provided: you do not need to change it.
"""

import importlib
import sys
import types

_HOME = {
    "CompNodes": "core", "Parameters": "core", "DT": "core", "learning_rate": "core",
    "clear_compgraph": "core", "Input": "core", "Parameter": "core", "CompNode": "core",
    "Forward": "core", "Backward": "core", "UpdateParameters": "core",
    "Sigmoid": "sigmoid",
    "AffineParams": "affine", "Affine": "affine",
    "Softmax": "softmax",
    "CrossEntropyLoss": "loss",
}
_SUBMODULES = ("core", "sigmoid", "affine", "softmax", "loss")
_FORWARDED = ("learning_rate", "DT")  # assigning edf.X must change the global the code reads


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _HOME:
        return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(f"module 'edf' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_HOME) | set(_SUBMODULES))


class _Edf(types.ModuleType):
    def __setattr__(self, name, value):
        if name in _FORWARDED:
            setattr(importlib.import_module(f"{__name__}.core"), name, value)
        else:
            super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Edf
