"""Every setting the service reads is documented in `.env.example`, so an operator can find it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import AliasChoices

from bot.config import ConfigError, Settings, load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def test_every_setting_is_in_env_example() -> None:
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", EXAMPLE.read_text(), flags=re.MULTILINE))
    names: set[str] = set()
    for field in Settings.model_fields.values():
        alias = field.validation_alias
        assert isinstance(alias, AliasChoices)
        names.update(str(choice) for choice in alias.choices)
    assert names - documented == set()


def test_a_wrong_value_is_refused_naming_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COORDBOT_INBOX_RETENTION_DAYS", "0")
    with pytest.raises(ConfigError, match=r"^COORDBOT_INBOX_RETENTION_DAYS: .* greater than or equal to 1"):
        load_settings(_env_file=None)
