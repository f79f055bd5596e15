"""The `coordbot` command loads only what the command being run needs: `--help` and the quick commands do not
import the platform SDKs or the web stack (that took seconds at every command)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.cli import main
from bot.emulator import EmulatorServer
from tests.conftest import TG_SECRET, platform_env

HEAVY = ("linebot", "telegram", "fastapi", "uvicorn", "bot.app")


def modules_after(*argv: str, env: dict[str, str] | None = None) -> set[str]:
    """The heavy modules imported by running `coordbot ARGV` (in a fresh interpreter)."""
    code = ("import sys\nfrom bot.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=60,
                          env={"COORDBOT_DATABASE_URL": "sqlite:///:memory:", "PATH": "", **(env or {})})
    return set(done.stdout.split("\n")[-2].split())


@pytest.mark.parametrize("argv", [("--help",), ("window", "--help"), ("window", "list"), ("people", "list"),
                                  ("invite", "list"), ("audit",)])
def test_quick_commands_do_not_load_the_platform_sdks(argv: tuple[str, ...]) -> None:
    assert modules_after(*argv) == set()


@pytest.mark.parametrize("command", ["serve", "work"])
def test_a_start_refused_for_its_settings_says_so_before_loading_the_service(command: str) -> None:
    """Half of LINE's credentials: the refusal comes in a second or two, not after both SDKs have loaded."""
    assert not {"linebot", "telegram", "bot.app"} & modules_after(command, env={"LINE_CHANNEL_SECRET": "x"})


def test_telegram_set_webhook_registers_the_url_with_the_secret(
    emulator: EmulatorServer, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator.state.reset()
    for name, value in {**platform_env(emulator), "COORDBOT_DATABASE_URL": database_url}.items():
        monkeypatch.setenv(name, value)
    assert main(["telegram", "set-webhook", "--url", "https://coordbot.example.go.th/webhooks/telegram"]) == 0
    assert emulator.state.telegram_webhook == {"url": "https://coordbot.example.go.th/webhooks/telegram",
                                               "secret_token": TG_SECRET}
