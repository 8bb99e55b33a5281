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
GROUP_ONLY = "That one works in a group chat. Type /help to see what you can do here."
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

TEXT_BOX_ANSWER = "Your answer"
TEXT_BOX_REASON = "Your reason"

BUTTON_PAUSE = "⏸ Pause"
BUTTON_SKIP = "Skip"
BUTTON_DONE = "✔ Done"
BUTTON_AGAIN = "Start again"
BUTTON_CHANGE_SCORE = "Change score"
BUTTON_CARRY_ON = "▶ Carry on"

ONLY_WORDS = "Sorry, I can only read typed words."

FORUM_HELLO = (
    'Hello, "{title}"! I\'m YouSaid. I help young people have their say.\n'
    "Organisers can type /poll to ask a quick question, or /invite to share something to "
    "have your say on. Everyone can type /help to see what I can do."
)
GROUP_HELP = (
    "Here's what you can do in this group:\n"
    "/results - see the results of the latest quick poll\n"
    "/help - see this list again\n"
    "To have your say in private, message me directly and type /start."
)
ORGANISER_HELP = (
    "\n\nFor organisers:\n"
    "/poll Question | option | option - ask a quick question\n"
    "/endpoll - close the latest quick poll and show the results\n"
    "/invite name - invite the group to have their say"
)
ORGANISERS_ONLY = "Sorry, only this group's organisers can do that."
POLL_HOW = (
    "How to ask a quick question: /poll Your question | option | option\n"
    "Give 2 to {most} options, each with a | between them."
)
POLL_POSTED = "Quick poll: {question}\n\nTap one answer. Only the totals are shown, not who voted."
VOTE_COUNTED = 'Thanks! Your vote for "{option}" is counted. Tap another answer to change it.'
VOTE_CHANGED = 'OK, you changed your vote to "{option}".'
VOTE_SAME = 'Your vote for "{option}" is already counted.'
POLL_CLOSED = "Sorry, this poll has closed."
NO_POLL = "There's no quick poll in this chat yet."
NO_OPEN_POLL = "There's no open quick poll in this chat."
RESULTS_HEADING = "Results so far: {question}"
RESULTS_FINAL = "Final results: {question}"
VOTES_TOTAL = "{count} people voted."
ONE_VOTE_TOTAL = "1 person voted."
INVITE_HOW = "Which one? Type /invite and a name:\n{names}"
INVITE_POSTED = (
    'Have your say on "{title}".\n{summary}\n\n'
    "Tap the button to take part in a private chat with me. Your answers stay private."
)
BUTTON_TAKE_PART = "Take part"
BUTTON_RESULTS = "📊 Results"

MYDATA_HEADING = "Here is everything we keep about you."
MYDATA_FILE = "The file with this message has the same, for you to keep."
MYDATA_NONE = "We don't keep anything about you."
FORGETME_ASK = (
    "This deletes everything we keep about you: your settings and your answers. "
    "You can't undo it. Are you sure?"
)
FORGETME_DONE = (
    "Done. We've deleted everything we kept about you.\n"
    "If you want to take part again, just type /start."
)
FORGETME_KEPT = "OK, we've kept everything as it was."
BUTTON_FORGET_YES = "Yes, delete it all"
BUTTON_FORGET_NO = "No, keep it"
