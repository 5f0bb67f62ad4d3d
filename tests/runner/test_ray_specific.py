"""Ray backend details that need no cluster: the address probe and a missing Ray."""

import socket
import sys
import time

import pytest

from spikey.runner import ray_backend


def test_probe_fails_fast_on_a_dead_address():
    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    start = time.perf_counter()
    with pytest.raises(ConnectionError, match=f"no Ray cluster answers at '127.0.0.1:{port}'"):
        ray_backend.probe(f"127.0.0.1:{port}", timeout=1.0)
    assert time.perf_counter() - start < 3.0
    with pytest.raises(ValueError, match="expected host:port"):
        ray_backend.probe("ray://host:port")


def test_probe_accepts_a_listening_address():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        ray_backend.probe(f"ray://127.0.0.1:{s.getsockname()[1]}", timeout=1.0)


def test_missing_ray_gives_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(RuntimeError, match=r"pip install 'spikey-snn\[ray\]'"):
        ray_backend.import_ray()
