"""Imports every module that defines tables, so migrations and tests see the whole schema."""

from storage import models

__all__ = ["models"]
