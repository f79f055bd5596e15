"""Imports every module that defines tables, so migrations and tests see the whole schema."""

from storage import broadcast, deadlines, models, projects, rsvp

__all__ = ["broadcast", "deadlines", "models", "projects", "rsvp"]
