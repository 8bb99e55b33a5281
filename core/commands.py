"""The commands people can use, with plain descriptions for each platform's command menu."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CommandInfo:
    """A command's name (without the slash), a one-line description and how to use it."""

    name: str
    description: str
    usage: str = ""


PRIVATE = (
    CommandInfo("start", "Begin, or start again"),
    CommandInfo("consult", "See what you can have your say on"),
    CommandInfo("pause", "Stop for now and keep your answers"),
    CommandInfo("resume", "Carry on where you left off"),
    CommandInfo("skip", "Skip a question you don't want to answer"),
    CommandInfo("whatis", "Ask what a word means", "/whatis word"),
    CommandInfo("vote", "Vote in a secret vote, or use a vote code", "/vote or /vote your-code"),
    CommandInfo("link", "Use me on Telegram and Discord as one person", "/link or /link 123456"),
    CommandInfo("mydata", "See everything we keep about you"),
    CommandInfo("myrecord", "See what you took part in, and what we did about it"),
    CommandInfo(
        "certificate",
        "Get your certificates for having your say",
        "/certificate or /certificate Sam",
    ),
    CommandInfo(
        "digest", "Get a message once a week about what changed", "/digest on or /digest off"
    ),
    CommandInfo("forgetme", "Delete everything we keep about you"),
    CommandInfo("stop", "Get no more messages from us"),
    CommandInfo("help", "See what I can do"),
)
"""Commands for a private chat with the bot."""

GROUP = (
    CommandInfo("results", "See the results of the latest quick poll or secret vote"),
    CommandInfo("whatis", "Ask what a word means", "/whatis word"),
    CommandInfo("redcard", "Reply to a message with this if a word is hard", "/redcard word"),
    CommandInfo("help", "See what I can do"),
)
"""Commands anyone in a group can use."""

ORGANISER = (
    CommandInfo("poll", "Ask the group a quick question", "/poll Your question | option | option"),
    CommandInfo("endpoll", "Close the latest quick poll and show the results"),
    CommandInfo("invite", "Invite the group to have their say", "/invite name"),
    CommandInfo("announce", "Post news for the group", "/announce Your news"),
    CommandInfo(
        "ballot", "Start a secret vote", "/ballot [irv] [2d] Your question | option | option"
    ),
    CommandInfo("endballot", "Close the secret vote now and show the results"),
    CommandInfo("members", "Post a button to join this forum, so people can vote"),
    CommandInfo("redcards", "See the red cards raised here, and how they were answered"),
    CommandInfo("award", "Give everyone who had their say a certificate", "/award name"),
    CommandInfo(
        "moderate", "Check posts here for signs someone is not safe", "/moderate on, hide or off"
    ),
    CommandInfo(
        "hours", "See or change when news from me waits", "/hours night 21:00-08:00 or school off"
    ),
    *GROUP,
)
"""Commands for a group's organisers (Telegram group admins, Discord organisers)."""

COMMISSIONER = (
    CommandInfo(
        "outcome",
        "Tell young people what you did about what they said",
        "/outcome name | they said | you did | what comes next",
    ),
)
"""Commands for commissioners and admins, in a private chat with the bot."""

ORGANISER_ONLY = frozenset(
    {
        "poll",
        "endpoll",
        "invite",
        "announce",
        "ballot",
        "endballot",
        "members",
        "redcards",
        "moderate",
        "award",
        "hours",
    }
)
"""Commands that only organisers (or, for some, commissioners and admins) may use."""
