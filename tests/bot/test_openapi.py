"""The JSON API the service describes (`coordbot serve --demo` serves /openapi.json: the health check and the
signed file links), fuzzed by schemathesis from that description against a real demo server: never a 500, and
every answer in the shape and content type it documents."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)

from bot.app import create_app
from bot.config import Settings
from tests.helpers import COORDBOT, free_port, wait_for_health


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`coordbot serve --demo` on a database of its own, its emulator on a free port."""
    folder = tmp_path_factory.mktemp("openapi")
    port = free_port()
    env = {"PATH": os.environ["PATH"], "HOME": str(folder), "COORDBOT_DATABASE_URL": f"sqlite:///{folder}/demo.db",
           "COORDBOT_MENUS": "false", "COORDBOT_SCHEDULER": "false"}
    with (folder / "serve.log").open("wb") as log:
        proc = subprocess.Popen([COORDBOT, "serve", "--demo", "--port", str(port), "--emulator-port",
                                 str(free_port()), "--log-level", "warning"], cwd=folder, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(proc, base, folder / "serve.log")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def description() -> dict[str, Any]:
    """The demo's /openapi.json, built from the app's routes (the description does not depend on the database)."""
    settings = Settings(demo=True, database_url="sqlite://", _env_file=None)  # type: ignore[call-arg]
    return create_app(settings).openapi()


schema = schemathesis.openapi.from_dict(description())


def test_the_demo_serves_the_description_that_is_fuzzed(demo: str) -> None:
    served = httpx.get(f"{demo}/openapi.json", timeout=10).json()
    assert served == description()
    assert "/healthz" in served["paths"] and any(path.startswith("/files/ws/") for path in served["paths"])


@schema.parametrize()
def test_every_described_operation_answers_as_it_is_described_and_never_with_a_500(
    case: schemathesis.Case, demo: str
) -> None:
    case.call_and_validate(base_url=demo, checks=[not_a_server_error, response_schema_conformance,
                                                  content_type_conformance, response_headers_conformance])
