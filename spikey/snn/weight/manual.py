"""Manual: weights given by the user."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikey.module import Key
from spikey.snn.weight.template import Weight


class Manual(Weight):
    """``matrix`` is an array of shape (n_inputs + n_neurons, n_neurons), a function
    ``f(weight_part) -> array``, or a list of feed-forward layer arrays placed on the
    block diagonal (inputs -> first group -> next group ...). The array is copied."""

    NECESSARY_KEYS = Weight.extend_keys(
        [
            Key("matrix", "ndarray, f(part) -> ndarray, or list of layer arrays."),
        ]
    )

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        matrix = self._matrix
        if callable(matrix) and not isinstance(matrix, np.ndarray):
            matrix = matrix(self)
        elif (
            isinstance(matrix, (list, tuple))
            and len(matrix)
            and isinstance(matrix[0], np.ndarray)
            and matrix[0].ndim == 2
        ):
            matrix = self._convert_feedforward(matrix)
        self._set_matrix(matrix, "matrix")
