"""Splitting long texts into messages a platform accepts."""

from __future__ import annotations


def split_text(text: str, limit: int) -> list[str]:
    """Parts of at most ``limit`` characters, cut at a line break, else a space, else anywhere."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    pieces.append(rest)
    return [piece for piece in pieces if piece]
