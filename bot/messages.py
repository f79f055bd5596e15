"""The neutral message model: what handlers read (`Incoming`) and write (`Reply`), free of any platform."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator


class Platform(StrEnum):
    line = "line"
    telegram = "telegram"


class Kind(StrEnum):
    """What the user did. Adapters map every platform event to one of these (or drop it)."""

    text = "text"
    button = "button"
    location = "location"
    sticker = "sticker"
    follow = "follow"
    unfollow = "unfollow"
    joined = "joined"
    left = "left"
    other = "other"


class Incoming(BaseModel):
    """One user action, as the router and handlers see it."""

    platform: Platform
    event_id: str
    kind: Kind
    user_id: str
    chat_id: str
    private: bool = False
    """A one-to-one chat with the bot; False for groups and rooms (and unless the adapter says so)."""
    text: str = ""
    payload: str = ""
    reply_token: str | None = None
    received_at: datetime
    display_name: str | None = None
    language_code: str | None = None
    callback_id: str | None = None
    standby: bool = False
    """LINE's standby mode: another channel owns the chat, so we must not reply."""
    point: tuple[float, float] | None = None
    """A shared location's latitude and longitude (`text` holds its title when the platform gives one)."""

    @field_validator("text", "payload", "display_name")
    @classmethod
    def _without_nul(cls, value: str | None) -> str | None:
        """Without NUL characters: nobody types one, and PostgreSQL cannot hold one in a text column, so a forged
        or garbled one would fail the handler that looks the text up instead of getting an answer."""
        return value.replace("\x00", "") if value else value

    @property
    def args(self) -> str:
        """The text after the command word, e.g. `ABC123` in `/start ABC123`."""
        parts = self.text.strip().split(maxsplit=1)
        return parts[1].strip() if len(parts) == 2 else ""


class Button(BaseModel):
    """A tappable choice: LINE quick-reply postback, Telegram inline keyboard callback, or a link."""

    label: str
    payload: str | None = None
    url: str | None = None


class Location(BaseModel):
    """A map point; LINE and Telegram both require its title and address."""

    title: str = Field(min_length=1)
    address: str = Field(min_length=1)
    latitude: float
    longitude: float


class Card(BaseModel):
    """A short record (project, workshop): title, lines of detail, optional progress 0-100."""

    title: str
    lines: list[str] = Field(default_factory=list)
    progress: int | None = None


class Reply(BaseModel):
    """One outgoing message. Adapters render it with what their platform offers."""

    text: str = ""
    buttons: list[Button] = Field(default_factory=list)
    cards: list[Card] = Field(default_factory=list)
    location: Location | None = None
    document_url: str | None = None
    document_name: str | None = None
    image_url: str | None = None
    keep_buttons: bool = False
    """The buttons are needed later (answer an invitation, submitted, รับทราบ): they stay with the message in the
    chat history instead of LINE's quick replies, which vanish when the next message arrives."""
