"""Turning core replies into Discord messages: text parts, buttons, select menus, text boxes."""

from __future__ import annotations

import io

import discord

from bots.text_parts import split_text
from core import texts
from core.messages import Reply

MESSAGE_LIMIT = 2000
LABEL_LIMIT = 80
WRITE = "write:"
"""Custom id prefix of the button that opens a text box; the box's title follows it."""
TEXT_BOX = "write"
"""Custom id of the text box (a modal)."""
START = "start:"
"""Custom id prefix of a button that starts something in the presser's private chat."""
WRITE_LABEL = "✏️ Write my answer"
TEXT_FIELD = "text"
RED_CARD_BOX = "redcard:"
"""Custom id prefix of the text box asking which word is hard: ``redcard:<channel>:<message>``."""


class StatelessView(discord.ui.View):
    """Components only: presses arrive through ``on_interaction``, nothing is kept in memory."""

    def is_dispatchable(self) -> bool:
        """Never stored in discord.py's view store."""
        return False


def view_for(reply: Reply) -> discord.ui.View | None:
    """The reply's buttons (and menu) as message components; None if it has none."""
    view = StatelessView(timeout=None)
    rows = list(reply.buttons)
    if reply.menu is not None:
        menu = reply.menu
        options = [
            discord.SelectOption(label=o.label[:100], value=o.id, default=o.id in menu.chosen)
            for o in menu.options
        ]
        view.add_item(
            discord.ui.Select(
                custom_id=menu.id,
                options=options,
                min_values=menu.min_values,
                max_values=menu.max_values,
                placeholder="Pick your answers",
            )
        )
        rows = rows[menu.replaces_rows :]
    if reply.text_entry is not None:
        custom_id = WRITE + reply.text_entry[:45]
        view.add_item(_button(custom_id, WRITE_LABEL, discord.ButtonStyle.primary))
    for row in rows:
        for button in row:
            custom_id = f"{START}{button.private_start}" if button.private_start else button.id
            style = (
                discord.ButtonStyle.success
                if button.private_start
                else discord.ButtonStyle.secondary
            )
            view.add_item(_button(custom_id, button.label, style))
    return view if view.children else None


def _button(
    custom_id: str, label: str, style: discord.ButtonStyle
) -> discord.ui.Button[discord.ui.View]:
    return discord.ui.Button(label=label[:LABEL_LIMIT], custom_id=custom_id, style=style)


def text_box(title: str) -> discord.ui.Modal:
    """A modal with one paragraph box; its submission arrives through ``on_interaction``."""
    modal = discord.ui.Modal(title=title[:45], custom_id=TEXT_BOX, timeout=600)
    modal.add_item(
        discord.ui.TextInput(
            label=title[:45],
            custom_id=TEXT_FIELD,
            style=discord.TextStyle.paragraph,
            max_length=4000,
        )
    )
    return modal


def red_card_box(channel_id: int, message_id: int) -> discord.ui.Modal:
    """The text box the "Red card" message menu opens: which word is hard (it may be empty)."""
    modal = discord.ui.Modal(
        title=texts.REDCARD_MENU, custom_id=f"{RED_CARD_BOX}{channel_id}:{message_id}", timeout=600
    )
    modal.add_item(
        discord.ui.TextInput(
            label=texts.REDCARD_BOX_WORD,
            custom_id=TEXT_FIELD,
            placeholder=texts.REDCARD_BOX_HINT,
            required=False,
            max_length=60,
        )
    )
    return modal


def parts(text: str) -> list[str]:
    """Split text into Discord-sized messages."""
    return split_text(text, MESSAGE_LIMIT) or ["…"]


def file_for(reply: Reply) -> discord.File | None:
    """The reply's image or attachment as an upload."""
    if reply.attachment is not None:
        return discord.File(io.BytesIO(reply.attachment.content), reply.attachment.filename)
    if reply.image is not None:
        return discord.File(io.BytesIO(reply.image), filename="chart.png")
    return None
