"""Feature handlers. `routes()` includes every feature's router in one ordered list."""

from __future__ import annotations

from bot.router import Routes
from handlers import broadcast, deadlines, help, people, projects, registration, rsvp


def routes() -> Routes:
    """Order matters only for the help menu and for free-text matchers, which are tried in this order."""
    return Routes([registration.router, rsvp.router, projects.router, deadlines.router, broadcast.router,
                   people.router, help.router], fallback=help.not_understood)
