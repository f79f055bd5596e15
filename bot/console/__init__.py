"""The admin console in the browser: server-rendered pages over the same feature services as chat and the CLI.

`bot.console.app.install` adds it to the FastAPI application; this package's `__init__` stays empty so the CLI can
import `bot.console.passwords` without the web stack.
"""
