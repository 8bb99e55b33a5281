"""Errors every adapter uses to report a failed start to the operator."""


class AdapterStartError(Exception):
    """An adapter could not start; the message is one line and never holds a token."""
