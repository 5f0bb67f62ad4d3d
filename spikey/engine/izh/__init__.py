"""The Izhikevich engines: one module per engine, one registry.

Each engine module gives

- ``State``: its state, a NamedTuple of arrays (kernels' types; updated in place by
  ``advance``); ``initial_state(model, lanes) -> State`` builds it (``model``: a
  :class:`~spikey.engine.izh.model.Model`; ``lanes``: ``kernels.lanes(n)``, where v, u and the
  noise words live);
- ``advance(model, state, t0, n_ms, plastic_on, io, bounds) -> (ms done, spikes written,
  samples written)`` on an ``IO`` tuple (:func:`~spikey.engine.izh.model.io`); ``bounds``: the
  threads' neuron ranges (``[0, N]`` for one thread);
- ``weights(model, state)``, ``eligibility(model, state)`` and
  ``set_weights(model, state, idx, values)``;
- ``THREADED``: whether ``bounds`` may name more than one range; optionally
  ``UNUSED_STRUCTURE`` (``Structure`` tables its code never reads, left empty) and
  ``from_v2(state_dict)``: a version-2 checkpoint's state as this engine's fields.

:class:`~spikey.engine.network.IzhNetwork` keeps validation, chunking, recording and
checkpoints over them, and chooses the engine by name here, in :data:`ENGINES`, only.
"""

from spikey.engine.izh import dense, lazy, reference

#: engine name -> module; the first is the default
ENGINES = {"numba": lazy, "dense": dense, "reference": reference}

__all__ = ["ENGINES"]
