"""The baseline: a bare python-telegram-bot echo bot, as in the library's own example.

``python bench/echo_bot.py API_URL TOKEN`` polls the Bot API at ``API_URL`` with PTB's own
Updater (``run_polling``, library defaults) and answers every text with the same text.
"""

from __future__ import annotations

import sys

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the text back."""
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


def main() -> None:
    """Poll until SIGTERM."""
    api, token = sys.argv[1], sys.argv[2]
    application = (
        ApplicationBuilder().token(token).base_url(f"{api}/bot").base_file_url(f"{api}/file/bot")
    ).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
