"""Logging for the running service: one line per record, with secrets always blanked out."""

from __future__ import annotations

import logging

REDACTED = "[secret]"
_NOISY = ("httpx", "httpcore", "telegram.ext.Updater", "discord.http", "discord.gateway")


class RedactSecrets(logging.Filter):
    """Replace every known secret (bot tokens) in a record's final message."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        """Blank out secrets in the message and drop the arguments it was built from."""
        message = record.getMessage()
        for secret in self._secrets:
            message = message.replace(secret, REDACTED)
        record.msg, record.args = message, None
        if record.exc_info and record.exc_text is None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            for secret in self._secrets:
                record.exc_text = record.exc_text.replace(secret, REDACTED)
        return True


def configure_logging(secrets: list[str], level: int = logging.INFO) -> None:
    """Log to stderr, keep chatty libraries at WARNING, and never print a secret."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in _NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
