"""Logging for the running service: one line per record, with secrets always blanked out.

Lines are plain text, or JSON objects (``YOUSAID_LOG_FORMAT=json``) for a log collector. What
people type never goes into a log: messages name kinds of events and numbers, never the text,
and database errors leave out the values of their statements.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

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


class JsonLines(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, and the error if any."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["error"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(
    secrets: list[str], level: int = logging.INFO, json_lines: bool = False
) -> None:
    """Log to stderr, keep chatty libraries at WARNING, and never print a secret."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonLines()
        if json_lines
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in _NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
