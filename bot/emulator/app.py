"""The emulator's web app: LINE under `/line`, Telegram under `/telegram`, control under `/_emulator`."""

from __future__ import annotations

from fastapi import FastAPI

from bot.emulator.control import control_router
from bot.emulator.line_api import line_router
from bot.emulator.line_richmenu import line_richmenu_routers
from bot.emulator.state import EmulatorState
from bot.emulator.telegram_api import telegram_router


def create_emulator_app(state: EmulatorState) -> FastAPI:
    """One emulator over one state; tests keep the state to configure it and read the screens."""
    app = FastAPI(title="coordbot platform emulator", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.emulator = state
    app.include_router(line_router(state))
    for router in line_richmenu_routers(state):
        app.include_router(router)
    app.include_router(telegram_router(state))
    app.include_router(control_router(state))
    return app
