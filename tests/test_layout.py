"""The tests' own shape: builders live in `tests/factories.py` (and `tests/helpers.py`), and no test module imports
another, so a test can be read, moved or deleted on its own."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from tests.conftest import OutsideNetwork

TESTS = Path(__file__).parent


def test_no_test_module_imports_another() -> None:
    pattern = re.compile(r"^\s*(?:from|import)\s+tests\.(?:\w+\.)*test_\w+", re.MULTILINE)
    assert [str(p.relative_to(TESTS)) for p in TESTS.rglob("*.py") if pattern.search(p.read_text())] == []


def test_a_connection_outside_loopback_fails_the_test() -> None:
    with socket.socket() as sock, pytest.raises(OutsideNetwork):
        sock.connect(("203.0.113.7", 443))  # TEST-NET-3: would never answer anyway
