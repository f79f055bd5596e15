"""Feature handlers, one module or package per feature; `bot.app.routes()` includes their routers in one ordered
list. A package (`projects`, `deadlines`, `broadcast`) keeps its routes in `chat`, its use cases in `service`
(which the CLI, the jobs and a console call without a chat message) and its messages in `compose`.

Importing one feature does not import the others (the CLI loads only what a command needs).
"""
