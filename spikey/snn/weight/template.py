"""Weight matrix of a network: rows are presynaptic (inputs, then body), columns body neurons."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikey.module import ConfigError, Key, Module, check_memory, config_error
from spikey.snn._util import check_number
from spikey.snn.fastpath import FastPart


class Weight(Module):
    """Holds ``matrix`` (float64, shape (n_inputs + n_neurons, n_neurons)) and the mask
    ``live`` of existing synapses.

    Entries that are 0 when the matrix is given are absent synapses: learning and the
    in-place operators (``+=``, ``-=``, ``*=``, ``/=``) never change them. Every weight
    stays in [0, max_weight] (clipped).
    """

    NECESSARY_KEYS = [
        Key("n_inputs", "Number of input neurons, separate from the body.", int),
        Key("n_neurons", "Number of neurons in the network body.", int),
        Key("max_weight", "Largest synapse weight.", float),
    ]

    def __init__(self, **kwargs: Any):
        self._matrix = None
        self.live = None
        super().__init__(**kwargs)
        check_number(self, "n_inputs", self._n_inputs, lo=0, integer=True)
        check_number(self, "n_neurons", self._n_neurons, lo=1, integer=True)
        check_number(self, "max_weight", self._max_weight, lo=0)
        check_memory(self, "n_neurons", self._n_neurons, 3 * self.shape[0] * self.shape[1])

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_inputs + n_neurons, n_neurons)``: rows presynaptic, columns postsynaptic."""
        return (self._n_inputs + self._n_neurons, self._n_neurons)

    def _assert_matrix_shape(self, matrix, key):
        expected = self.shape
        real = np.shape(matrix)
        if tuple(real) == expected:
            return
        ni, nn = self._n_inputs, self._n_neurons
        hint = ""
        if len(real) > 2:
            hint = f" Remove the extra axes (e.g. `{key}.squeeze()`)."
        elif tuple(real) == (nn, ni + nn):
            hint = f" It looks transposed: pass `{key}.T`."
        elif tuple(real) == (nn, nn):
            hint = f" The {ni} input rows are missing: stack the input weights on top (np.vstack)."
        elif len(real) == 2 and real[1] == nn:
            hint = (
                f" Rows are presynaptic neurons: n_inputs rows then n_neurons rows "
                f"({ni} + {nn} = {ni + nn})."
            )
        raise ConfigError(
            f"{type(self).__name__}: key '{key}' has shape {tuple(real)}; expected "
            f"(n_inputs + n_neurons, n_neurons) = {expected}.{hint}"
        )

    def _set_matrix(self, matrix, key="matrix", live=None):
        """Validate, copy as float64, clip and store ``matrix``; ``live`` defaults to != 0."""
        if isinstance(matrix, np.ma.MaskedArray):
            live = ~np.ma.getmaskarray(matrix) if live is None else live
            matrix = matrix.filled(0.0)
        try:
            arr = np.array(matrix, dtype=float)
        except (TypeError, ValueError):
            raise config_error(self, key, matrix, "a numeric array") from None
        if np.ndim(arr) == 0:
            raise config_error(self, key, matrix, f"an array of shape {self.shape}")
        self._assert_matrix_shape(arr, key)
        if not np.all(np.isfinite(arr)):
            bad = np.argwhere(~np.isfinite(arr))[0]
            raise ConfigError(
                f"{type(self).__name__}: key '{key}' holds NaN or inf (first at index "
                f"{tuple(int(b) for b in bad)}); expected finite weights in [0, max_weight]."
            )
        self.live = np.ascontiguousarray(arr != 0 if live is None else np.asarray(live, dtype=bool))
        self._matrix = np.ascontiguousarray(np.clip(arr, 0.0, float(self._max_weight)))

    def fast_path(self) -> FastPart:
        """The compiled tick reproduces Weight (the ``FastPath`` protocol); the helpers
        that build the matrix are not reached by a tick.

        Returns
        -------
        FastPart
            Role ``weights``, base ``Weight``.
        """
        return FastPart(
            "weights",
            Weight,
            off_tick=frozenset(("_assert_matrix_shape", "_set_matrix", "_convert_feedforward")),
        )

    @property
    def matrix(self) -> np.ndarray:
        """The weights as a plain float64 array (a view: writes change the network)."""
        return self._matrix

    def kernel_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """``(matrix, live)`` as C-ordered float64 and bool arrays that compiled code may
        change in place (converts this part's own storage when needed)."""
        live = live_mask(self)
        if not (
            type(self._matrix) is np.ndarray
            and self._matrix.dtype == np.float64
            and self._matrix.flags.c_contiguous
        ):
            self._matrix = np.ascontiguousarray(np.ma.getdata(self._matrix), dtype=float)
        if not (live.dtype == np.bool_ and live.flags.c_contiguous):
            self.live = live = np.ascontiguousarray(live, dtype=np.bool_)
        return self._matrix, live

    def clip(self) -> None:
        """Restrict weights to [0, max_weight]."""
        np.clip(self._matrix, 0.0, float(self._max_weight), out=self._matrix)

    def __getitem__(self, idx):
        return self._matrix[idx]

    def __len__(self):
        return self._matrix.shape[0]

    def __add__(self, other):
        return self.matrix + other

    def __sub__(self, other):
        return self.matrix - other

    def __mul__(self, other):
        return self.matrix * other

    def __truediv__(self, other):
        return self.matrix / other

    def _inplace(self, ufunc, other):
        new = ufunc(self._matrix, other)
        np.copyto(self._matrix, new, where=live_mask(self))
        self.clip()
        return self

    def __iadd__(self, other):
        return self._inplace(np.add, other)

    def __isub__(self, other):
        return self._inplace(np.subtract, other)

    def __imul__(self, other):
        return self._inplace(np.multiply, other)

    def __itruediv__(self, other):
        return self._inplace(np.true_divide, other)

    def _convert_feedforward(self, layers):
        """Place feed-forward layer blocks on the block diagonal of a full matrix."""
        matrix = np.zeros(self.shape)
        r = c = 0
        for i, layer in enumerate(layers):
            layer = np.asarray(layer, dtype=float)
            if layer.ndim != 2:
                raise config_error(
                    self, "matrix", f"layer {i} of shape {layer.shape}", "2-D layers"
                )
            n, m = layer.shape
            if r + n > matrix.shape[0] or c + m > matrix.shape[1]:
                raise ConfigError(
                    f"{type(self).__name__}: key 'matrix' layers do not fit a {self.shape} matrix "
                    f"(layer {i} of shape {layer.shape} at row {r}, column {c}); layers go "
                    f"inputs->first body group, then each body group to the next."
                )
            matrix[r : r + n, c : c + m] = layer
            r += n
            c += m
        return matrix


def live_mask(weights: Any) -> np.ndarray:
    """The bool mask of synapses that learning may change, for any weight object.

    A :class:`Weight` keeps it in ``live``; one whose subclass never set it (it assigned
    ``_matrix`` itself) gets ``matrix != 0`` (unmasked entries of a masked array), stored
    as ``live``. Any other object with a ``_matrix`` (the original Spikey's protocol:
    ``_matrix``, ``matrix``, ``clip()``) has every entry live, as the original had.
    """
    live = getattr(weights, "live", None)
    matrix = weights._matrix
    if live is not None and np.shape(live) == np.shape(matrix):
        return live
    if not isinstance(weights, Weight):
        return np.ones(np.shape(matrix), dtype=bool)
    if isinstance(matrix, np.ma.MaskedArray):
        live = ~np.ma.getmaskarray(matrix) & (matrix.filled(0.0) != 0)
    else:
        live = np.asarray(matrix) != 0
    weights.live = np.ascontiguousarray(live)
    return weights.live
