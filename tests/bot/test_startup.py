"""Start-up rules: the demo runs only when asked for, and a real service starts only on whole credentials and a
database without the demo people. These run the installed `coordbot` command in a folder without `.env`."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from bot.app import create_app
from bot.config import Settings
from bot.emulator import EmulatorServer
from storage.db import make_engine
from storage.demo import PERSONAS, demo_people, persona, seed_all
from storage.migrations import upgrade
from tests.conftest import platform_env
from tests.helpers import COORDBOT, free_port, serving

LINE = {"LINE_CHANNEL_SECRET": "0123456789abcdef0123456789abcdef", "LINE_CHANNEL_ACCESS_TOKEN": "real-looking-token"}
TELEGRAM = {"TELEGRAM_BOT_TOKEN": "7000000001:AAFrealLookingToken", "TELEGRAM_WEBHOOK_SECRET": "real_secret-1"}


@pytest.fixture
def shell(tmp_path: Path, database_url: str) -> dict[str, str]:
    """The environment of a fresh shell: nothing but PATH and the test database (and no `.env` in the cwd)."""
    return {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "COORDBOT_DATABASE_URL": database_url}


def coordbot(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command; a serve that wrongly starts would run until the timeout, which fails the test."""
    if args[0] == "serve":
        args = (*args, "--port", str(free_port()), "--emulator-port", str(free_port()))
    return subprocess.run([COORDBOT, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def listening(port: int) -> set[str]:
    """The addresses a TCP port is listened on, from Linux's socket tables (an IPv6 one as "v6:<hex>")."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                ipv4 = len(address) == 8
                found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]) if ipv4 else f"v6:{address}")
    return found


def people_in(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        return demo_people(engine)
    finally:
        engine.dispose()


@pytest.mark.parametrize("command", ["serve", "work"])
def test_without_credentials_serve_and_work_refuse_and_say_how_to_run_the_demo(
    command: str, tmp_path: Path, shell: dict[str, str], database_url: str
) -> None:
    result = coordbot(tmp_path, shell, command)
    assert result.returncode != 0
    for hint in ("make run", "coordbot serve --demo", ".env", "LINE_CHANNEL_SECRET", "TELEGRAM_BOT_TOKEN"):
        assert hint in result.stderr
    assert people_in(database_url) == 0


@pytest.mark.parametrize(("command", "given", "missing"), [
    ("serve", {"LINE_CHANNEL_SECRET": LINE["LINE_CHANNEL_SECRET"]}, "LINE_CHANNEL_ACCESS_TOKEN"),
    ("serve", {"LINE_CHANNEL_ACCESS_TOKEN": LINE["LINE_CHANNEL_ACCESS_TOKEN"], **TELEGRAM}, "LINE_CHANNEL_SECRET"),
    ("serve", {"TELEGRAM_BOT_TOKEN": TELEGRAM["TELEGRAM_BOT_TOKEN"]}, "TELEGRAM_WEBHOOK_SECRET"),
    ("work", {**LINE, "TELEGRAM_BOT_TOKEN": TELEGRAM["TELEGRAM_BOT_TOKEN"]}, "TELEGRAM_WEBHOOK_SECRET"),
])
def test_half_of_a_platforms_credentials_is_a_startup_error_not_a_fallback(
    command: str, given: dict[str, str], missing: str, tmp_path: Path, shell: dict[str, str], database_url: str
) -> None:
    result = coordbot(tmp_path, {**shell, **given}, command)
    assert result.returncode != 0
    assert f"{missing} is not" in result.stderr
    assert people_in(database_url) == 0


@pytest.mark.parametrize("ask", [("--demo",), ()])
def test_demo_mode_with_real_credentials_refuses_to_start(
    ask: tuple[str, ...], tmp_path: Path, shell: dict[str, str], database_url: str
) -> None:
    env = {**shell, **TELEGRAM, "LINE_CHANNEL_SECRET": "demo-line-channel-secret"}
    if not ask:
        env["COORDBOT_DEMO"] = "true"
    result = coordbot(tmp_path, env, "serve", *ask)
    assert result.returncode != 0
    assert "TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET" in result.stderr
    assert "LINE_CHANNEL_SECRET" not in result.stderr  # the built-in demo value is no real credential
    assert people_in(database_url) == 0


@pytest.mark.parametrize("command", ["serve", "work"])
def test_a_real_start_refuses_a_database_that_holds_the_demo_people(
    command: str, tmp_path: Path, shell: dict[str, str], database_url: str
) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    seed_all(engine)
    engine.dispose()
    result = coordbot(tmp_path, {**shell, **LINE, **TELEGRAM}, command)
    assert result.returncode != 0
    assert "holds 6 demo people" in result.stderr and "COORDBOT_DATABASE_URL" in result.stderr


def test_a_real_start_with_whole_credentials_serves_and_seeds_nothing(
    tmp_path: Path, shell: dict[str, str], database_url: str, emulator: EmulatorServer
) -> None:
    with serving(tmp_path, {**shell, **platform_env(emulator)}) as (port, _):
        assert httpx.get(f"http://127.0.0.1:{port}/docs").status_code == 404
    assert people_in(database_url) == 0


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's socket table")
def test_the_demo_listens_on_loopback_only_and_says_so(
    tmp_path: Path, shell: dict[str, str], database_url: str
) -> None:
    with serving(tmp_path, shell, "--demo") as (port, emulator_port):
        assert listening(port) == {"127.0.0.1"} and listening(emulator_port) == {"127.0.0.1"}
        assert httpx.get(f"http://127.0.0.1:{port}/docs").status_code == 200
    log = (tmp_path / "serve.log").read_text()
    assert "DEMO MODE" in log and f"Listening on loopback only: http://127.0.0.1:{port}" in log
    assert people_in(database_url) == len(PERSONAS) - 1  # the guest has no accounts


def test_the_demo_on_other_ports_links_to_the_port_it_serves_and_names_its_emulator(
    tmp_path: Path, shell: dict[str, str]
) -> None:
    with serving(tmp_path, shell, "--demo") as (port, emulator_port):
        user = persona("dg-kkn").line_user_id
        control = f"http://127.0.0.1:{emulator_port}/_emulator"
        assert httpx.post(f"{control}/line/events", json={"user_id": user, "text": "/rsvp 2"}).json()["status"] == 200
        links: list[str] = []
        deadline = time.monotonic() + 30
        while not links and time.monotonic() < deadline:
            time.sleep(0.2)
            links = [b["data"] for m in httpx.get(f"{control}/screen/line/{user}").json() for b in m["buttons"]
                     if b["data"].startswith("http")]
    assert links and all(link.startswith(f"http://127.0.0.1:{port}/files/") for link in links)
    log = (tmp_path / "serve.log").read_text()
    assert f"coordbot chat --as coord-cmi --emulator http://127.0.0.1:{emulator_port}" in log


def test_the_chat_client_piped_into_a_reader_that_stops_early_ends_quietly(
    tmp_path: Path, shell: dict[str, str]
) -> None:
    """`coordbot chat --as coord-cmi | head -1`: no traceback when `head` has read what it wanted."""
    with (serving(tmp_path, shell, "--demo") as (_, emulator_port),
          subprocess.Popen([COORDBOT, "chat", "--as", "coord-cmi", "--emulator", f"http://127.0.0.1:{emulator_port}"],
                           cwd=tmp_path, env=shell, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE) as chat):
        assert chat.stdin and chat.stdout and chat.stderr
        assert b"coord-cmi" in chat.stdout.readline()  # the banner; then the reader goes away
        chat.stdout.close()
        chat.stdin.write("กำหนดส่ง\n".encode())
        chat.stdin.close()
        errors = chat.stderr.read().decode()
        assert chat.wait(timeout=60) == 141  # as a shell reports a command stopped by a closed pipe
    assert errors == ""


def test_demo_people_have_ids_no_real_telegram_user_has() -> None:
    # Bot API, User.id: "it has at most 52 significant bits"; below 2**53 a double still holds it exactly.
    for person in PERSONAS:
        assert 2**52 <= person.telegram_id < 2**53, person.key
    assert len({p.telegram_id for p in PERSONAS}) == len({p.line_user_id for p in PERSONAS}) == len(PERSONAS)


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json"])
async def test_the_api_description_is_served_only_in_demo_mode(path: str, settings: Settings) -> None:
    for demo, status in ((False, 404), (True, 200)):
        app = create_app(settings.model_copy(update={"demo": demo}))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://coordbot") as client:
            assert (await client.get(path)).status_code == status, demo
        app.state.engine.dispose()
