"""Browser tests: a real `coordbot serve --demo` (with its emulator, on free ports, on a database of its own,
started when these tests are collected) and Debian's Chromium driven by Playwright. Each test that uses `page`
leaves a screenshot in var/screenshots/.

Playwright's own browser download does not work here; the Makefile installs Debian's `chromium` with apt.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.browser.demo import DemoService
from tests.conftest import PG_URL, _pg_admin, _pg_database
from tests.helpers import Served

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
TIMEOUT_MS = 10_000
"""Playwright's wait for an element or a page; a bound, so that a broken page fails in seconds."""


@dataclass
class Booting:
    """The demo service, started as soon as the browser tests are collected: it boots (imports, migrations, demo
    data, rich menu pictures) while the tests before them run."""

    served: Served
    service: DemoService
    workdir: Path
    database: str | None
    """The PostgreSQL database made for it, dropped at the end (a SQLite one lives in `workdir`)."""
    stopped: bool = False

    @classmethod
    def start(cls) -> Booting:
        """`coordbot serve --demo` in a folder without `.env`, on a database of its own (a fresh SQLite file, or a
        fresh PostgreSQL database when the suite runs on PostgreSQL), which it migrates and seeds."""
        workdir = Path(tempfile.mkdtemp(prefix="coordbot-browser-"))
        database = f"b_{uuid.uuid4().hex[:12]}" if PG_URL else None
        if database:
            _pg_admin(f"CREATE DATABASE {database}")
        url = _pg_database(database) if database else f"sqlite:///{workdir}/coordbot.db"
        env = {"PATH": os.environ["PATH"], "HOME": str(workdir), "COORDBOT_DATABASE_URL": url,
               # The tests act quickly and often as the same few demo people.
               "COORDBOT_USER_BURST": "1000"}
        served = Served(workdir, env, "--demo", "--log-level", "warning")
        service = DemoService(f"http://127.0.0.1:{served.port}", f"http://127.0.0.1:{served.emulator_port}", env,
                              workdir)
        return cls(served, service, workdir, database)

    def stop(self) -> None:
        """Stop the service and remove its database; once only (after the tests, or at the end of the run)."""
        if self.stopped:
            return
        self.stopped = True
        self.served.stop()
        if self.database:
            _pg_admin(f"DROP DATABASE {self.database} WITH (FORCE)")
        shutil.rmtree(self.workdir, ignore_errors=True)


BOOTING = pytest.StashKey[Booting]()


def _browser_tests(items: list[pytest.Item]) -> list[pytest.Item]:
    here = Path(__file__).parent
    return [item for item in items if here in Path(str(item.path)).parents]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here is a browser test (`pytest -m "not browser"` leaves them out)."""
    for item in _browser_tests(items):
        item.add_marker(pytest.mark.browser)


def pytest_collection_finish(session: pytest.Session) -> None:
    if _browser_tests(session.items) and not session.config.option.collectonly:
        session.config.stash[BOOTING] = Booting.start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    booting = session.config.stash.get(BOOTING, None)
    if booting is not None:
        booting.stop()


@pytest.fixture(scope="package")
def demo(request: pytest.FixtureRequest) -> Iterator[DemoService]:
    """The running demo service, shared by all browser tests (a test that changes someone uses a newcomer,
    `demo.newcomer()`, or data of its own), and stopped when they are done."""
    booting = request.config.stash[BOOTING]
    booting.served.ready()
    yield booting.service
    booting.stop()


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
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="th-TH",
                                  timezone_id="Asia/Bangkok")
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    try:
        yield opened
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        opened.screenshot(path=SCREENSHOTS / f"{screenshot_name(request.node.name)}.png", full_page=True)
        context.close()


@pytest.fixture
def screenshot(page: Page) -> Callable[..., Path]:
    """`screenshot(name, selector="body")`: save the page, or one element of it, as it is now as
    var/screenshots/<name>.png (e.g. for the README), beside the test's last one."""
    def save(name: str, selector: str | None = None) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{screenshot_name(name)}.png"
        if selector is None:
            page.screenshot(path=path)
        else:
            page.locator(selector).screenshot(path=path)
        return path

    return save


def screenshot_name(test: str) -> str:
    """A file name from a test's name (parametrised ones included)."""
    return re.sub(r"[^\w.-]+", "_", test).strip("_")
