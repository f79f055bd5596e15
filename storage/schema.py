"""Imports every module that defines tables, so migrations and tests see the whole schema."""

from storage import deadlines, models, projects

__all__ = ["deadlines", "models", "projects"]
