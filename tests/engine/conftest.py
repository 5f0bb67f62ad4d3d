"""Fixtures for the engine tests (helpers live in engine_helpers.py: a module named conftest
clashes with other folders' conftest when tests from several folders run together)."""

import pytest
from engine_helpers import pair_net


@pytest.fixture
def pair():
    return pair_net
