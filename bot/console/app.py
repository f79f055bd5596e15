"""`install(app)`: the console's pages, its static files (served from here, no CDN) and its refusal pages."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from bot.console import announcements, dashboard, people, projects, signin, windows, workshops
from bot.console.web import HERE, Refused, SignInNeeded, refused_page, to_sign_in


def install(app: FastAPI) -> None:
    for module in (signin, dashboard, windows, workshops, announcements, projects, people):
        app.include_router(module.router, include_in_schema=False)
    app.mount("/console/static", StaticFiles(directory=HERE / "static"), name="console-static")
    app.add_exception_handler(Refused, refused_page)  # type: ignore[arg-type]
    app.add_exception_handler(SignInNeeded, to_sign_in)  # type: ignore[arg-type]
