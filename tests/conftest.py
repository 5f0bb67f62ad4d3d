"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import os
import shutil
import tempfile

import matplotlib
import pytest

matplotlib.use("Agg")

# NEST's wheel carries its own OpenMP runtime, which crashes beside numba's OpenMP threading
# layer in one process (tests/export after the engine's threaded tests); numba's own work
# queue avoids that (spikey.export.nest explains and guards the same case for users).
os.environ.setdefault("NUMBA_THREADING_LAYER", "workqueue")


@pytest.fixture(scope="session")
def ray_local():
    """One quiet local Ray for the test session: 2 CPUs, a small object store.

    ``RAY_TMPDIR`` points at a short private temp dir (Ray's socket paths must stay under
    108 characters, so not pytest's deep tmp_path); usage stats are off; worker logs are
    not forwarded. Backends reuse the already initialised Ray.
    """
    ray = pytest.importorskip("ray")
    tmp = tempfile.mkdtemp(prefix="ray", dir="/tmp" if os.path.isdir("/tmp") else None)
    saved = {k: os.environ.get(k) for k in ("RAY_TMPDIR", "RAY_USAGE_STATS_ENABLED")}
    os.environ["RAY_TMPDIR"] = tmp
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    if ray.is_initialized():
        ray.shutdown()
    import logging

    from spikey.runner.process import THREAD_ENV

    ray.init(
        address="local",
        num_cpus=2,
        object_store_memory=100 * 2**20,
        include_dashboard=False,
        log_to_driver=False,
        logging_level=logging.ERROR,
        _temp_dir=tmp,
        runtime_env={"env_vars": dict(THREAD_ENV)},
    )
    yield ray
    ray.shutdown()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    shutil.rmtree(tmp, ignore_errors=True)
