"""What a sweep is: the searched parameters and every setting, checked, as one dataclass.

:class:`SweepSpec` is built by :meth:`SweepSpec.build` from what a caller gives (the
``sweep()`` keywords or the command line), which refuses every mistake with a
:class:`~spikey.module.ConfigError` before any trial runs. The two searchers take only it.
Its :meth:`SweepSpec.identity` is what ``sweep.json`` stores, so a rerun on the same
directory resumes only the same sweep.

Two words, each with one meaning:

- ``searcher`` — what proposes the trials: ``"optuna"`` (Optuna's TPE sampler, with its
  successive-halving pruner for ``scheduler="asha"``) or ``"tune"`` (Ray Tune driving
  ``OptunaSearch``, with its ASHA scheduler);
- ``backend`` — where the trials run, as in ``spikey run``: ``"process"`` (a pool of worker
  processes on this machine) or ``"ray"`` (Ray actors, local or on a cluster).

Optuna runs its trials on the process pool and Ray Tune on Ray, so giving one word picks
the other; ``"auto"`` for both takes Ray Tune on Ray when Ray is installed, else Optuna on
the process pool.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from spikey.experiments import registry
from spikey.module import ConfigError
from spikey.runner.core import parse_seeds

#: searcher -> the backend its trials run on
SEARCHER_BACKEND = {"optuna": "process", "tune": "ray"}
#: backend -> the searcher that runs trials there
BACKEND_SEARCHER = {b: s for s, b in SEARCHER_BACKEND.items()}


@dataclass(frozen=True)
class Param:
    """One searched parameter: ``low``..``high``, on a log scale or not, int or float."""

    name: str
    low: float
    high: float
    log: bool = False
    integer: bool = False

    def spec(self) -> str:
        """The ``--param`` text that parses back to this Param."""
        return f"{self.name}={self.low:g}:{self.high:g}{':log' if self.log else ''}"


def parse_param(text: str, exp: registry.Experiment) -> Param:
    """``"key=low:high"`` or ``"key=low:high:log"``; the type follows the parameter's default.

    Every mistake is a ConfigError naming the flag, the text and what was expected."""
    if not isinstance(text, str) or "=" not in text:
        raise ConfigError(f"--param expects key=low:high[:log], got {text!r}")
    name, rng = (s.strip() for s in text.split("=", 1))
    exp.check_keys([name])
    parts = [p.strip() for p in rng.split(":")]
    log = len(parts) == 3 and parts[2] == "log"
    if len(parts) not in (2, 3) or (len(parts) == 3 and not log):
        raise ConfigError(f"--param {text!r}: expected low:high or low:high:log after '='")
    try:
        low, high = float(parts[0]), float(parts[1])
    except ValueError:
        raise ConfigError(f"--param {text!r}: low and high must be numbers") from None
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ConfigError(f"--param {text!r}: low and high must be finite numbers")
    default = exp.defaults[name]
    if isinstance(default, bool) or not isinstance(default, (int, float)):
        raise ConfigError(
            f"--param {text!r}: {name!r} defaults to {default!r}; expected a numeric "
            "parameter (only those can be swept)"
        )
    integer = isinstance(default, int)
    if not low < high:
        raise ConfigError(f"--param {text!r}: expected low < high")
    if log and low <= 0:
        raise ConfigError(f"--param {text!r}: a log range needs low > 0")
    if integer and (low != int(low) or high != int(high)):
        raise ConfigError(
            f"--param {text!r}: {name!r} is an integer parameter; expected integer bounds"
        )
    return Param(name, low, high, log, integer)


def _pair(searcher: str, backend: str) -> tuple[str, str]:
    """``(searcher, backend)`` from the two words, each "auto" or a value (see the module
    docstring)."""
    if searcher not in ("auto", *SEARCHER_BACKEND):
        raise ConfigError(f"--searcher got {searcher!r}; expected 'optuna', 'tune' or 'auto'")
    if backend not in ("auto", *BACKEND_SEARCHER):
        raise ConfigError(f"--backend got {backend!r}; expected 'process', 'ray' or 'auto'")
    if searcher == "auto" and backend == "auto":
        backend = "ray" if importlib.util.find_spec("ray") is not None else "process"
    if searcher == "auto":
        return BACKEND_SEARCHER[backend], backend
    if backend == "auto":
        return searcher, SEARCHER_BACKEND[searcher]
    if SEARCHER_BACKEND[searcher] != backend:
        raise ConfigError(
            f"--searcher {searcher} with --backend {backend}: {searcher} runs its trials on "
            f"--backend {SEARCHER_BACKEND[searcher]}; expected that pair or one of the two"
        )
    return searcher, backend


def _count(value, flag: str, lo: int = 1, optional: bool = False) -> int | None:
    if optional and value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < lo:
        raise ConfigError(f"{flag} got {value!r}; expected an integer >= {lo}")
    return value


@dataclass(frozen=True)
class SweepSpec:
    """One sweep, checked: what is searched, how, and where its trials run."""

    experiment: registry.Experiment
    params: tuple[Param, ...]
    metric: str
    mode: str
    samples: int
    scheduler: str | None
    searcher: str
    backend: str
    seeds: tuple[int, ...]
    #: the resolved configuration every trial starts from
    base: dict
    sampler_seed: int
    out: Path
    workers: int | None = None
    address: str | None = None
    reuse_workers: bool = False

    @classmethod
    def build(
        cls,
        experiment: str | registry.Experiment,
        params: Iterable[str | Param] | str,
        metric: str | None = None,
        *,
        samples: int = 8,
        mode: str = "max",
        scheduler: str | None = None,
        searcher: str = "auto",
        backend: str = "auto",
        seeds: int | str | Iterable[int] = (0,),
        config: dict | None = None,
        quick: bool = False,
        out: str | Path | None = None,
        sampler_seed: int = 0,
        address: str | None = None,
        workers: int | None = None,
        reuse_workers: bool = False,
    ) -> SweepSpec:
        """Check every setting (see :func:`spikey.runner.sweep.sweep`) and build the spec.

        Returns
        -------
        SweepSpec
            The checked sweep; ``out`` defaults to ``runs/sweep-<experiment>-<hash>``.

        Raises
        ------
        ConfigError
            Naming the flag, the value given and what is expected.
        """
        exp = registry.get(experiment) if isinstance(experiment, str) else experiment
        if not metric:
            raise ConfigError("sweep needs the metric to optimise (--metric NAME)")
        exp.check_metric(metric)
        if mode not in ("max", "min"):
            raise ConfigError(f"--mode got {mode!r}; expected 'max' or 'min'")
        if scheduler not in (None, "none", "asha"):
            raise ConfigError(f"--scheduler got {scheduler!r}; expected 'asha' or none")
        params = [params] if isinstance(params, str) else list(params)
        params = [p if isinstance(p, Param) else parse_param(p, exp) for p in params]
        if not params:
            raise ConfigError("sweep needs at least one --param key=low:high[:log]")
        if len({p.name for p in params}) != len(params):
            raise ConfigError("each parameter may be given to --param once")
        if isinstance(sampler_seed, bool) or not isinstance(sampler_seed, int):
            raise ConfigError(f"--sampler-seed got {sampler_seed!r}; expected an integer")
        spec = cls(
            experiment=exp,
            params=tuple(params),
            metric=metric,
            mode=mode,
            samples=_count(samples, "--samples"),
            scheduler=None if scheduler == "none" else scheduler,
            seeds=tuple(parse_seeds(seeds)),
            base=exp.resolve(config, quick=quick),
            sampler_seed=sampler_seed,
            out=Path("."),
            workers=_count(workers, "--workers", optional=True),
            address=address,
            reuse_workers=bool(reuse_workers),
            **dict(zip(("searcher", "backend"), _pair(searcher, backend))),
        )
        if out is None:
            tag = hashlib.sha256(json.dumps(spec.identity(), sort_keys=True).encode())
            out = Path("runs") / f"sweep-{exp.name}-{tag.hexdigest()[:12]}"
        return dataclasses.replace(spec, out=Path(out))

    def identity(self) -> dict:
        """What makes two sweeps the same one (``sweep.json``; only ``samples`` may differ
        on a resume). ``searcher`` and ``backend`` are added by the sweep directory."""
        return {
            "experiment": self.experiment.name,
            "config_hash": registry.config_hash(self.base),
            "params": [p.spec() for p in self.params],
            "samples": self.samples,
            "metric": self.metric,
            "mode": self.mode,
            "scheduler": self.scheduler,
            "seeds": list(self.seeds),
            "sampler_seed": self.sampler_seed,
        }
