"""Timing: the only package that imports APScheduler. Jobs are plain functions that write outbox rows."""

from scheduler.core import Runtime, Scheduler, current

__all__ = ["Runtime", "Scheduler", "current"]
