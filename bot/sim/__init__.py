"""The chat simulator at `/sim`, in demo mode only: be a demo person on LINE or Telegram in the browser, over the
real webhook path, and see the chat as each app shows it."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from bot.config import Settings
from bot.sim.router import sim_router

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI, settings: Settings) -> None:
    """Add the simulator's pages and its script and style sheet (served from here, never from a CDN)."""
    app.include_router(sim_router(settings))
    app.mount("/sim/static", StaticFiles(directory=STATIC), name="sim-static")
