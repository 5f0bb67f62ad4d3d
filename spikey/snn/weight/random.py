"""Random: weights drawn by a generator function."""

from __future__ import annotations

from typing import Any

import numpy as np

from spikey.module import Key, config_error
from spikey.snn._util import make_rng
from spikey.snn.weight.template import Weight


class Random(Weight):
    """Weights ``weight_generator(shape) * max_weight`` (so the generator gives values in
    [0, 1]) where ``matrix_mask`` is true (everywhere when it is None). ``matrix_mask``
    has the full shape, or (n_neurons, n_neurons) for the body only (inputs then fully
    connected), or is a list of feed-forward layer masks. As in the original, a block
    (inputs or body) that the mask covers asks ``weight_generator(k)`` for its k
    masked-in synapses and fills them row by row; an unmasked block asks for its shape.
    Self-connections are removed; ``force_unidirectional`` removes one direction, chosen
    at random, of each pair of body neurons connected both ways."""

    NECESSARY_KEYS = Weight.extend_keys(
        [
            Key(
                "force_unidirectional",
                "Keep at most one direction between two body neurons.",
                bool,
                default=False,
            ),
            Key("weight_generator", "f(shape: tuple) -> ndarray of weights in [0, 1]."),
            Key(
                "matrix_mask",
                "bool array (full or body shape), list of layer masks, or None.",
                (np.ndarray, list, type(None)),
                default=None,
            ),
        ]
    )

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.rng = make_rng(kwargs.get("rng"))
        if not callable(self._weight_generator):
            raise config_error(
                self, "weight_generator", self._weight_generator, "a function f(shape) -> ndarray"
            )
        ni, nn = self._n_inputs, self._n_neurons
        mask = self._matrix_mask
        if isinstance(mask, list) and len(mask) and isinstance(mask[0], np.ndarray):
            mask = self._convert_feedforward(mask)
        given = mask is not None
        mask = np.asarray(mask if given else np.ones(self.shape)).astype(bool)
        body_only = mask.shape == (nn, nn)
        if body_only:
            mask = np.vstack((np.ones((ni, nn), dtype=bool), mask))
        masked = (given and not body_only, given)  # the blocks (inputs, body) the mask covers
        self._assert_matrix_shape(mask, "matrix_mask")
        matrix = np.zeros(self.shape)
        for rows, by_count in zip((slice(0, ni), slice(ni, ni + nn)), masked):
            if by_count:  # as the original: one value per masked-in synapse, row by row
                block = matrix[rows]
                block[mask[rows]] = self._gen(int(np.count_nonzero(mask[rows])))
            else:
                matrix[rows] = self._gen((rows.stop - rows.start, nn))
        body = matrix[ni:]
        np.fill_diagonal(body, 0.0)
        if self._force_unidirectional:
            both = np.triu((body != 0) & (body.T != 0), 1)
            for x, y in zip(*np.nonzero(both)):
                if self.rng.integers(0, 2):
                    body[x, y] = 0.0
                else:
                    body[y, x] = 0.0
        matrix *= self._max_weight
        matrix = np.clip(matrix, 0.0, self._max_weight) if np.all(np.isfinite(matrix)) else matrix
        self._set_matrix(matrix, "weight_generator")

    def _gen(self, shape):
        out = np.asarray(self._weight_generator(shape), dtype=float)
        if out.shape != (shape if isinstance(shape, tuple) else (shape,)):
            raise config_error(
                self,
                "weight_generator",
                f"an array of shape {out.shape}",
                f"an array of the asked shape {shape}",
            )
        return out
