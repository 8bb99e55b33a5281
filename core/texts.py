"""Everything the bot itself says: short sentences and plain words, for ages 11 and up."""

from __future__ import annotations

CONSENT_VERSION = "2026-11"
"""The version of the privacy text people agree to; a new version asks again."""

HELP = (
    "Here's what you can do:\n"
    "/consult - see what you can have your say on\n"
    "/pause - stop for now, and keep your answers\n"
    "/resume - carry on where you left off\n"
    "/skip - skip a question you don't want to answer\n"
    "/stop - get no more messages from us\n"
    "/help - see this list again"
)
WELCOME_BACK = "Welcome back!"
CARRY_ON_FROM_HERE = "Let's carry on where you left off."
PAUSED = (
    "Paused. Your answers so far are saved.\nCome back any time. Just type /resume or tap Carry on."
)
YOU_PAUSED = 'You paused "{title}". Your answers are saved.'
NOTHING_TO_RESUME = "There's nothing to carry on with. Type /consult to see what's open."
NOTHING_TO_PAUSE = "There's nothing to pause right now."
NOTHING_TO_SKIP = "There's no question to skip right now."
PAUSED_OTHER = 'I\'ve paused "{title}" for you. Type /resume to go back to it later.'
OPEN_LIST = "Here's what you can have your say on right now. Tap one to start."
NONE_OPEN = "There's nothing open right now. We'll let you know when there is."
NO_SUCH_CONSULTATION = "Sorry, I can't find that one. Here's what is open."
CLOSED = 'Sorry, "{title}" has closed, so it can\'t take answers now.'
ALREADY_DONE = 'You\'ve already answered "{title}". Thank you!'
DECLINED = (
    "That's OK. We haven't kept anything about you.\nIf you change your mind, just type /start."
)
FIRST_HELLO = "Hi! I'm YouSaid. Type /start to begin."
NO_QUESTION_NOW = "Thanks for your message! Type /consult to see what you can have your say on."
UNKNOWN_COMMAND = "Sorry, I don't know that one. Type /help to see what I can do."
OLD_BUTTON = "That button is from an earlier message. Here's where you are now."
OLD_BUTTON_NO_SESSION = "That button is from an earlier message. Type /consult to see what's open."
STOPPED = (
    "OK. We won't send you any more messages.\n"
    "You can still write to us any time. Type /start if you want to hear from us again."
)
GROUP_ONLY_PRIVATE = (
    "Let's talk in a private chat, so your answers stay private. Message me directly."
)
SOMETHING_WRONG = (
    "Sorry, something went wrong on our side. Your last answer was not saved. "
    "Please try again in a moment."
)
BUSY = "Sorry, I'm busy right now. Please try that again in a moment."
MORE_TO_DO = "Type /consult to see what else you can have your say on."
YOU_GAVE = "You gave {score} out of 5. Why? Type a short reason."

BUTTON_PAUSE = "⏸ Pause"
BUTTON_SKIP = "Skip"
BUTTON_DONE = "✔ Done"
BUTTON_AGAIN = "Start again"
BUTTON_CHANGE_SCORE = "Change score"
BUTTON_CARRY_ON = "▶ Carry on"
