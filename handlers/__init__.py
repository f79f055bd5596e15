"""Feature handlers, one module per feature; `bot.app.routes()` includes their routers in one ordered list.

Importing one feature does not import the others (the CLI loads only what a command needs).
"""
