"""python-telegram-bot's echo bot on its own `run_webhook` server, with the library's defaults.

A peer for bench/e2e.py, run in bench/.peers-venv (not a project dependency):
    TELEGRAM_BOT_TOKEN=… TELEGRAM_WEBHOOK_SECRET=… TELEGRAM_API_BASE_URL=… python telegram_echo.py PORT
"""

import os
import sys

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


def main() -> None:
    port = int(sys.argv[1])
    application = (Application.builder().token(os.environ["TELEGRAM_BOT_TOKEN"])
                   .base_url(os.environ["TELEGRAM_API_BASE_URL"]).build())
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_webhook(listen="127.0.0.1", port=port, url_path="telegram",
                            secret_token=os.environ["TELEGRAM_WEBHOOK_SECRET"],
                            webhook_url=f"http://127.0.0.1:{port}/telegram")


if __name__ == "__main__":
    main()
