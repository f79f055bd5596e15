"""Browser tests: a real `coordbot serve --demo` (with its emulator, on free ports, on a database of its own) and
Debian's Chromium driven by Playwright. Each test that uses `page` leaves a screenshot in var/screenshots/.

Playwright's own browser download does not work here; the Makefile installs Debian's `chromium` with apt.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.browser.demo import DemoService
from tests.conftest import PG_URL, _pg_admin, _pg_database
from tests.helpers import serving

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
TIMEOUT_MS = 10_000
"""Playwright's wait for an element or a page; a bound, so that a broken page fails in seconds."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here is a browser test (`pytest -m "not browser"` leaves them out)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database for the demo service alone (a fresh SQLite file, or a fresh PostgreSQL database when the suite
    runs on PostgreSQL); `coordbot serve --demo` migrates and seeds it."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp('demo-db')}/coordbot.db"
        return
    name = f"b_{uuid.uuid4().hex[:12]}"
    _pg_admin(f"CREATE DATABASE {name}")
    yield _pg_database(name)
    _pg_admin(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_database: str) -> Iterator[DemoService]:
    """`coordbot serve --demo` in a folder without `.env`, started once for all browser tests. Tests share it, so
    a test that changes someone uses a newcomer (`demo.newcomer()`) or data of its own."""
    workdir = tmp_path_factory.mktemp("demo")
    env = {"PATH": os.environ["PATH"], "HOME": str(workdir), "COORDBOT_DATABASE_URL": demo_database,
           # The tests act quickly and often as the same few demo people.
           "COORDBOT_USER_BURST": "1000"}
    with serving(workdir, env, "--demo", "--log-level", "warning") as (port, emulator_port):
        yield DemoService(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{emulator_port}", env, workdir)


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    """Package-scoped: Playwright's sync API keeps an event loop running in this thread while it is open, which
    the asyncio tests outside this folder cannot share, so it is closed when the browser tests are done."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's headless Chromium (never Playwright's downloaded one)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browser-packages` installs Debian's chromium")
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page (its own cookies) in a laptop-sized window, in Thai and Bangkok time; its last state is saved
    as var/screenshots/<test>.png, passed or failed."""
    context = browser.new_context(viewport={"width": 1000, "height": 760}, locale="th-TH",
                                  timezone_id="Asia/Bangkok")
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    try:
        yield opened
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        opened.screenshot(path=SCREENSHOTS / f"{screenshot_name(request.node.name)}.png", full_page=True)
        context.close()


def screenshot_name(test: str) -> str:
    """A file name from a test's name (parametrised ones included)."""
    return re.sub(r"[^\w.-]+", "_", test).strip("_")
