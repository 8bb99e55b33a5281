import logging

from bots.log_setup import REDACTED, RedactSecrets

TOKEN = "123456:ABC-secret-token"


def record(message, *args, exc_info=None):
    return logging.LogRecord("x", logging.INFO, __file__, 1, message, args, exc_info)


def test_tokens_are_blanked_in_messages_arguments_and_tracebacks():
    redact = RedactSecrets([TOKEN, ""])
    plain = record("POST https://api.telegram.org/bot%s/getMe", TOKEN)
    redact.filter(plain)
    assert plain.getMessage() == f"POST https://api.telegram.org/bot{REDACTED}/getMe"
    try:
        raise RuntimeError(f"failed for {TOKEN}")
    except RuntimeError as error:
        failed = record("oops", exc_info=(type(error), error, error.__traceback__))
    redact.filter(failed)
    assert TOKEN not in failed.exc_text and REDACTED in failed.exc_text
    assert TOKEN not in logging.Formatter().format(failed)
