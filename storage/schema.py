"""Imports every module that defines tables, so migrations and tests see the whole schema."""

from storage import broadcast, console, deadlines, models, projects, rsvp

__all__ = ["broadcast", "console", "deadlines", "models", "projects", "rsvp"]
