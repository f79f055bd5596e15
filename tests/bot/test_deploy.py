"""The deployment files in deploy/ (README, Scale-out) start real commands with options that exist, and the
web processes there are the acknowledging kind: no background work, no scheduler."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from bot.cli import parser

DEPLOY = Path(__file__).parents[2] / "deploy"


def commands() -> list[tuple[str, list[str]]]:
    """(file, argv after `coordbot`) of every coordbot command the deployment files run."""
    found = []
    for path in [DEPLOY / "Procfile", *sorted((DEPLOY / "systemd").glob("*.service"))]:
        for line in path.read_text().splitlines():
            match = re.search(r"(?:ExecStart=|: ).*?/coordbot (.*)$", line)
            if match and not line.startswith("#"):
                found.append((path.name, shlex.split(match.group(1).replace("%i", "8001"))))
    return found


def test_every_deployment_file_starts_a_coordbot_command() -> None:
    assert sorted({name for name, _ in commands()}) == ["Procfile", "coordbot-web@.service", "coordbot-work@.service"]


@pytest.mark.parametrize(("name", "argv"), commands())
def test_each_deployed_command_parses(name: str, argv: list[str]) -> None:
    args = parser(argv[0]).parse_args(argv)
    assert args.command in ("serve", "work"), name


def test_web_processes_only_acknowledge() -> None:
    procfile = [line for line in (DEPLOY / "Procfile").read_text().splitlines() if " serve " in line]
    unit = (DEPLOY / "systemd" / "coordbot-web@.service").read_text()
    for text in [*procfile, unit]:
        assert "COORDBOT_BACKGROUND_WORKERS=false" in text and "COORDBOT_SCHEDULER=false" in text
