"""A strict local emulator of the LINE Messaging API and the Telegram Bot API, with a record of every screen."""

from bot.emulator.app import create_emulator_app
from bot.emulator.server import BackgroundServer, EmulatorServer, emulator_url, serve_emulator
from bot.emulator.state import Call, EmulatorState, Received

__all__ = [
    "BackgroundServer", "Call", "EmulatorServer", "EmulatorState", "Received", "create_emulator_app",
    "emulator_url", "serve_emulator",
]
