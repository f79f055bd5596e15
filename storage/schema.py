"""Imports every module that defines tables, so migrations and tests see the whole schema."""

from storage import models, projects

__all__ = ["models", "projects"]
