"""Imports every module that defines tables, so migrations and tests see the whole schema."""

from storage import deadlines, models, projects, rsvp

__all__ = ["deadlines", "models", "projects", "rsvp"]
