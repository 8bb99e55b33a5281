"""Everything the bot itself says: short sentences and plain words, for ages 11 and up."""

from __future__ import annotations

CONSENT_VERSION = "2026-12.1"
"""The version of the privacy text people agree to; a new version asks again."""

HELP = (
    "Here's what you can do:\n"
    "/consult - see what you can have your say on\n"
    "/pause - stop for now, and keep your answers\n"
    "/resume - carry on where you left off\n"
    "/skip - skip a question you don't want to answer\n"
    "/whatis word - find out what a word means\n"
    "/vote - vote in a secret vote\n"
    "/link - use me on Telegram and Discord as one person\n"
    "/myrecord - see what you took part in, and what we did about it\n"
    "/certificate - get your certificates for having your say\n"
    "/digest - get a message once a week about what changed, or stop it\n"
    "/stop - get no more messages from us\n"
    "/help - see this list again"
)
WELCOME_BACK = "Welcome back!"
CARRY_ON_FROM_HERE = "Let's carry on where you left off."
PAUSED = (
    "Paused. Your answers so far are saved.\nCome back any time. Just type /resume or tap Carry on."
)
REMIND_CHOICES = {"1": "Remind me tomorrow", "3": "In 3 days", "7": "In a week"}
"""Buttons under "Paused": when to remind the person, in days."""
REMIND_SET = {
    "1": "OK. I'll remind you tomorrow.",
    "3": "OK. I'll remind you in 3 days.",
    "7": "OK. I'll remind you in a week.",
}
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
WHATIS_HOW = "Type /whatis and then the word you want to know about."
WHATIS_MEANS = "{term}: {explanation}"
WHATIS_UNKNOWN = "I don't know that word yet. Ask the person who used it to explain it."
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
    "/results - see the results of the latest quick poll or secret vote\n"
    "/whatis word - find out what a word means\n"
    "{red_card}\n"
    "/help - see this list again\n"
    "To have your say in private, message me directly and type /start."
)
RED_CARD_HELP = {
    "telegram": "/redcard word - reply to a message with this if a word in it is hard",
    "discord": "Red card - in a message's Apps menu, if a word in it is hard",
}
"""How to raise a red card, for the group help of each platform."""
ORGANISER_HELP = (
    "\n\nFor organisers:\n"
    "/poll Question | option | option - ask a quick question\n"
    "/endpoll - close the latest quick poll and show the results\n"
    "/invite name - invite the group to have their say\n"
    "/announce news - post news for the group\n"
    "/redcards - see the red cards raised here, and how they were answered\n"
    "/members - post a button to join this forum, so people can vote\n"
    "/ballot Question | option | option - start a secret vote (type /ballot to see how)\n"
    "/endballot - close the secret vote now and show the results\n"
    "/moderate - check the posts in this group for words that sound like someone is not safe\n"
    "/award name - give a certificate to everyone who had their say on something"
    "/hours - see or change when news from me waits: at night and in school hours"
)
ORGANISERS_ONLY = "Sorry, only the people who run this group can do that."
POLL_HOW = (
    "How to ask a quick question: /poll Your question | option | option\n"
    "Give 2 to {most} options, each with a | between them.\n"
    "To close it on its own, start with how long it stays open, like: /poll 2h Your question | "
    "option | option (m is minutes, h is hours, d is days; from 5 minutes to 60 days)."
)
POLL_CLOSES = "It closes {when}."
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
    "You can't undo it. We still keep any message that made us worried about your safety, "
    "for the trained adult who checks on that. Are you sure?"
)
FORGETME_DONE = (
    "Done. We've deleted everything we kept about you.\n"
    "If you want to take part again, just type /start."
)
FORGETME_KEPT = "OK, we've kept everything as it was."
BUTTON_FORGET_YES = "Yes, delete it all"
BUTTON_FORGET_NO = "No, keep it"

# Secret votes (ballots), forum membership and linking two apps.

METHOD_NAMES = {
    "plurality": "one choice",
    "approval": "pick all you like",
    "irv": "put in order",
    "stv": "put in order, {seats} chosen",
}
METHOD_EXPLAINED = {
    "plurality": "Pick one option. The option with the most votes wins.",
    "approval": "Pick every option you are happy with. The option picked most often wins.",
    "irv": (
        "Put the options in order, your favourite first. "
        "If your favourite can't win, your vote moves to your next choice."
    ),
    "stv": (
        "Put the options in order, your favourite first. {seats} options will be chosen. "
        "If your favourite can't win, or has more votes than it needs, "
        "your vote moves on to your next choice."
    ),
}
HOW_TO_VOTE = {
    "plurality": "Tap the option you want.",
    "approval": "Tap every option you are happy with, then tap Done.",
    "irv": "Tap the options in order, your favourite first. Stop when you like, then tap Done.",
    "stv": "Tap the options in order, your favourite first. Stop when you like, then tap Done.",
}
RON_LABEL = "Re-open nominations (none of these)"

BALLOT_ANNOUNCED = (
    "🗳 Secret vote: {question}\n\n"
    "{how}\n\n"
    "The options:\n{options}\n\n"
    "{when}\n"
    "Tap Vote privately to vote in a private chat with me. "
    "Nobody here can see how you vote. The results come when the vote closes."
)
BALLOT_CLOSES = "Voting closes {closes}."
BALLOT_OPENS = "Voting opens {opens} and closes {closes}."
BUTTON_VOTE_PRIVATELY = "🗳 Vote privately"
BALLOT_HOW = (
    "How to start a secret vote:\n"
    "/ballot Your question | option | option\n\n"
    "You can put these before the question:\n"
    "- how people vote: plurality (one choice, the default), approval (pick all you like), "
    "irv (put in order) or stv (put in order, to choose more than one)\n"
    "- how long it stays open, like 30m, 6h or 2d (the default is 1d)\n"
    "- seats=2 to choose 2 with stv\n"
    '- +ron to add a "none of these" option\n'
    "- turnout=5 to show results only if at least 5 people vote (the default)\n\n"
    "For example: /ballot irv 2d Who should chair? | Sam | Alex | Jo\n"
    "Give 2 to {most} options."
)
BALLOT_NO_MEMBERS = (
    "Nobody has joined this forum yet, so nobody could vote. "
    "Type /members to post a Join button first."
)
BALLOT_NO_OPEN = "There's no open secret vote in this chat."
BALLOT_RESULTS_LATER = (
    'The secret vote "{question}" is still open. The results come when it closes, {closes}.'
)

BALLOT_SECRET = "Your vote is secret from the organisers."
BALLOT_PLATFORM_SEES = "{platform} itself can see which button you pressed."
BALLOT_SCREEN = "🗳 Secret vote: {question}\n\n{how}"
BALLOT_ORDER_SO_FAR = "Your order so far:\n{order}"
BALLOT_PICKED_SO_FAR = "You picked:\n{picked}"
BALLOT_PICK_FIRST = "Please pick at least one option first."
BALLOT_REVIEW = (
    "🗳 Secret vote: {question}\n\nYou chose:\n{choice}\n\n"
    "Is that right? Once you cast your vote, you can't change it."
)
BALLOT_CAST = (
    "Your vote is counted. Thank you!\n\n"
    "Your receipt code is {receipt}. Keep it to yourself. "
    "When the vote closes, I'll post the list of counted receipt codes in the group. "
    "Then you can check yours is there."
)
BALLOT_ALREADY_COUNTED = "You've already voted in this one, and your vote is counted. Thank you!"
BALLOT_NOT_FOUND = "Sorry, I can't find that vote."
BALLOT_NOT_OPEN_YET = "This vote hasn't opened yet. It opens {opens}. Come back then."
BALLOT_HAS_CLOSED = "Sorry, this vote has closed. The results will be posted in the group."
BALLOT_NOT_ON_LIST = (
    "Sorry, you can't vote in this one. "
    "Only people who were members of the forum when the vote opened can vote."
)
BALLOT_NEEDS_CODE = (
    "This vote needs a code. Type /vote and the code you were given, like this: /vote ABCDE-FGHJK"
)
BALLOT_OLD_BUTTON = "That button is from an earlier screen. Here's your vote as it is now."
BALLOT_BUTTON_GONE = "That button doesn't work any more. Type /vote to see what you can vote on."
BALLOT_NONE_FOR_YOU = (
    "There's no vote for you right now. If you were given a code, type /vote and your code."
)
BALLOT_MORE = "You can vote in {count} more. Type /vote again after this one."
CODE_UNKNOWN = "Sorry, that code doesn't work. Please check it and try again."
CODE_USED = "Sorry, that code has already been used."
BUTTON_CAST = "✅ Cast my vote"
BUTTON_CHANGE = "✏️ Change"
BUTTON_UNDO = "↩ Undo last"

BALLOT_RESULTS = "🗳 Results of the secret vote: {question}"
BALLOT_LOW_TURNOUT = "Not enough people voted to show results: {count} of the needed {needed}."
BALLOT_CHOSEN = "Chosen: {names}"
BALLOT_NONE_CHOSEN = "Nothing was chosen, because nobody voted."
BALLOT_VOTES_EACH = "Votes for each option:"
BALLOT_FIRST_CHOICES = "First choices:"
BALLOT_ROUNDS = "Round by round:"
BALLOT_ROUND = "Round {number}: {counts}"
BALLOT_ROUND_OUT = "{names} went out."
BALLOT_ROUND_IN = "{names} chosen."
BALLOT_NEEDED = "To be chosen, an option needed {quota} votes."
BALLOT_TIE = "There was a tie. It was settled by a fair draw set up by the computer."
BALLOT_COUNTED = "{count} votes were counted."
BALLOT_COUNTED_ONE = "1 vote was counted."
BALLOT_MARKED = "{voted} of the {roll} people who could vote are marked as having voted."
BALLOT_RECEIPTS = "Receipt codes counted:"
BALLOT_NO_RECEIPTS = "No receipt codes: nobody voted."

MEMBERS_POSTED = (
    "Join this forum to vote in its secret votes. "
    "Tap the button to join in a private chat with me.\n{count} people have joined so far."
)
BUTTON_JOIN = "Join this forum"
JOINED = "You're now a member of {title}. You can vote in its secret votes."
ALREADY_JOINED = "You're already a member of {title}."
UNNAMED_FORUM = "this forum"
"""What JOINED and ALREADY_JOINED call a forum whose group has no name we know (on Discord)."""
JOIN_NOT_FOUND = "Sorry, I can't find that forum."

LINK_CODE = (
    "Your code is {code}. In the other app, send me this message:\n/link {code}\n"
    "The code works once, for 10 minutes."
)
LINK_START_FIRST = "Please type /start and say yes to taking part first. Then type /link again."
LINK_HOW = (
    "To link two apps, type /link here to get a code. "
    "Then send /link and the code in the other app."
)
LINK_DONE = "Done! Both apps now reach the same you. Your settings and votes are shared."
LINK_BAD = (
    "Sorry, that code doesn't work. Codes work once, for 10 minutes. "
    "Get a new one by typing /link in the other app."
)
LINK_ALREADY_HERE = (
    "You already take part in this app, so I can't link the two. "
    "To link them, first delete what we keep here with /forgetme, then try again."
)
LINK_SAME_APP = "That code is from this app. Please send it in the other app."

# Safeguarding

SAFEGUARDING_HELP = (
    "Thank you for telling me. If things are hard right now, you don't have to deal with it "
    "on your own.\n\n"
    "You can talk to someone now, for free:\n"
    "- Childline: call 0800 1111, any time, day or night.\n"
    "- Shout: text the word Shout to 85258.\n"
    "- If you're in danger right now, call 999."
)
"""Shown at once when a message has worrying words; a deployment may set its own."""
SAFEGUARDING_MAY_READ = "A trained adult may read what you wrote, to check you're OK."
"""Always shown with the help: the bot never promises to keep a worrying message secret."""

ALERT_HEADING = "⚠️ Safety alert {number}"
ALERT_REMINDER = (
    "⚠️ Safety alert {number}, sent again (time {round}). Nobody has said they've seen it yet."
)
ALERT_PARTICIPANT = "Participant {number}"
ALERT_NOT_STARTED = "Someone who has not started with the bot yet"
ALERT_BODY = "{who} wrote this on {platform} at {when}{where}:\n\n{text}"
ALERT_WHERE = ', while answering "{title}" (question "{question}")'
ALERT_WHERE_TITLE = ', while taking part in "{title}"'
ALERT_WHERE_GROUP = ', in a post in the group "{title}"'
ALERT_DETAILS = (
    "Words that raised this alert: {terms}\n"
    "To reach them: {platform} user id {user_id}\n"
    "The bot showed them where to get help now (Childline, Shout and 999)."
)
ALERT_ESCALATED = "The deputy leads have this alert too."
ALERT_HOW_TO_ACK = (
    "When you've seen this, tap \"I've seen this\" or type /ack {number}. "
    "Until then it is sent again every few minutes."
)
BUTTON_ALERT_SEEN = "✅ I've seen this"
ALERT_SEEN = "Thank you. Alert {number} is marked as seen. It won't be sent again."
ALERT_SEEN_BY_OTHER = "Alert {number} has been marked as seen by another lead."
ALERT_ALREADY_SEEN = "Alert {number} was already marked as seen, at {when}."
ALERT_NOT_FOUND = "Sorry, I can't find alert {number}."
ALERT_ACK_HOW = "Type /ack and the alert number, like this: /ack 12"
ALERT_LEADS_ONLY = "Sorry, only the adults who check that people are safe can do that."
ALERT_ACK_PRIVATE = "Please do this in a private chat with me."
MYDATA_FORUM = 'You joined the forum "{title}" on {day}.'
MYDATA_UNNAMED_FORUM = "a group"
MYDATA_VOTED = (
    'You could vote in the secret vote "{question}", and you did. '
    "How you voted is not kept with your name."
)
MYDATA_RED_CARDS = (
    "You red-carded {count} messages we sent you. The adults who wrote them don't know it was you."
)
MYDATA_OWN_MESSAGES = (
    "We keep {count} of your messages, so young people can red-card hard words in them."
)
MYDATA_NOT_VOTED = 'You can vote in the secret vote "{question}". You haven\'t voted yet.'

# Red cards: young people flag a hard word, and the adult who wrote it explains.

BUTTON_RED_CARD = "🟥 Red card"
REDCARD_HOW = (
    "To red-card a hard word, reply to the message with /redcard and then the word. "
    "Or tap the 🟥 Red card button under my messages."
)
REDCARD_THANKS = (
    'Thanks! Your red card for "{word}" is in. I\'ve asked the adult who wrote it to explain '
    "it in plain words. I won't tell them who asked."
)
REDCARD_THANKS_MESSAGE = (
    "Thanks! Your red card is in. I've asked the adult who wrote it to say it again in plain "
    "words. I won't tell them who asked.\nNext time you can say which word is hard, too."
)
REDCARD_MEANWHILE = "While you wait, here's what it often means:\n{term}: {explanation}"
REDCARD_AGAIN = 'You\'ve red-carded "{word}" here already. The adult has been asked to explain it.'
REDCARD_AGAIN_MESSAGE = "You've red-carded this message already. The adult has been asked about it."
REDCARD_EXPLAINED_BEFORE = (
    '"{word}" was red-carded before, and the adult explained it:\n{explanation}'
)
REDCARD_EXPLAINED_BEFORE_MESSAGE = (
    "This message was red-carded before. The adult said it more simply:\n{explanation}"
)
REDCARD_GONE = "Sorry, I can't find that message any more. It may have been deleted."
REDCARD_NOT_ADULT = (
    "You can red-card messages from the adults who run this group, and the ones I post for them."
)
REDCARD_BOT_WORDS = (
    "That message is from me. If a word is hard, type /whatis and the word, and I'll explain it."
)
REDCARD_NOT_IN_FORUM = "Sorry, you need to be in this forum to red-card its messages."
REDCARD_WORD_TOO_LONG = "Please name just the hard word, or a few words, not a whole sentence."
REDCARD_WORD_NOT_THERE = (
    "I can't find \"{word}\" in that message. Please check how it's spelt. "
    "Or leave the word out to red-card the whole message."
)
REDCARD_ANSWER = '🟥 Red card: "{word}"\nThe adult who wrote it explains:\n{explanation}'
REDCARD_ANSWER_MESSAGE = (
    "🟥 Red card on this message.\nThe adult who wrote it says it more simply:\n{explanation}"
)

REDCARD_ASK = "A young person red-carded '{word}'. Please explain it in plain words."
REDCARD_ASK_MESSAGE = "A young person red-carded your message. Please say it again in plain words."
REDCARD_ASKED_WHERE = 'It was in your message in "{forum}":\n"{quote}"'
REDCARD_ASKED_FORUM = 'It was in your message in "{forum}".'
REDCARD_ASK_HOW = (
    "Your next message to me is your answer. I'll post it where the card was raised. "
    "Nobody will know who raised it."
)
REDCARD_ASK_WORDS = "I'll add it to the forum's list of words, too."
REDCARD_REMINDER = "⏰ This is still waiting for you, after {ago}."
TEXT_BOX_EXPLANATION = "Your explanation"
REDCARD_EXPLANATION_HOW = "Please type your answer in one message, up to {most} letters."
REDCARD_THANK_YOU = (
    "Thank you! I've posted what you wrote, and added '{word}' to the forum's list of words."
)
REDCARD_THANK_YOU_MESSAGE = "Thank you! I've posted what you wrote."
REDCARD_SAVED_HERE = (
    "Thank you! It's saved. But I can't post it in the group from this app. "
    "Please answer there too."
)
REDCARD_NEXT = "There's another one waiting for you:"
REDCARD_CHASE = (
    '⏰ A red card in "{forum}" has waited {ago} for an answer: {word}.\n'
    "{where}\n"
    "Can you help the adult who wrote it to explain? Type /redcards in the group to see them all."
)
REDCARD_CHASE_MESSAGE = "the whole message"

REDCARDS_NONE = "No red cards in this forum yet."
REDCARDS_HEADING = '🟥 Red cards in "{forum}"'
REDCARDS_TOTALS = (
    "{raised} raised, on {cards} words or messages. {explained} explained, {waiting} waiting."
)
REDCARDS_MOST = "Red-carded most: {words}"
REDCARDS_TIME = "Time to explain: {time} on average."
REDCARDS_WAITING = "Still waiting for an answer:"
REDCARDS_WAITING_ONE = "- {word}, for {ago}. Reminders sent: {chases}."
REDCARDS_YOURS = "Your messages: {raised} red cards, {explained} explained."
DURATION_MINUTES = "{count} minutes"
DURATION_HOURS = "{count} hours"
DURATION_DAYS = "{count} days"
DURATION_ONE = {"minutes": "1 minute", "hours": "1 hour", "days": "1 day"}

# Checking an adult's words before they go out.

ANNOUNCE_HOW = "How to post news for the group: type /announce and then your news."
ANNOUNCEMENT = "📣 {text}"
WORDS_EXPLAINED = "What the words mean:"
DRAFT_HELD = "Before I post this, some of it may be hard for young people:"
DRAFT_TERM = '- "{word}": I\'ll add what it means: {explanation}'
DRAFT_ACRONYM = '- "{word}": I don\'t know what this means. Please explain it.'
DRAFT_LONG = '- a long sentence ({count} words): "{sentence}"'
DRAFT_HARD = "- it reads like it's for age {age}. Aim for 11 or under."
DRAFT_CHOICES = (
    "Tap Send anyway to post it as it is. I'll add what the words I know mean.\n"
    "Tap Add explanations to tell me what the words mean.\n"
    "Or type {command} again with plainer words."
)
DRAFT_CHOICES_AGAIN = (
    "Tap Send to post it. I'll add what the words mean for young readers.\n"
    "Or type {command} again in the group with plainer words."
)
BUTTON_SEND_ANYWAY = "✅ Send anyway"
BUTTON_SEND = "✅ Send"
BUTTON_ADD_EXPLANATIONS = "✏️ Add explanations"
DRAFT_WORDS_HOW = (
    "Type what each word means, each on its own line, like this:\n{example}\n"
    "Keep it short and plain, for an 11-year-old. The words: {words}"
)
DRAFT_WORDS_EXAMPLE = "{word} = what it means"
TEXT_BOX_WORDS = "What the words mean"
DRAFT_WORDS_BAD = (
    "Sorry, I couldn't read that. Please put each word, then =, then what it means, "
    "on its own line."
)
DRAFT_WORDS_SAVED = "Thanks, I've added that to the forum's list of words."
DRAFT_SENT = "Posted."
DRAFT_GONE = "That post was sent or changed already. Type the command again to post something new."
DRAFT_NOT_YOURS = "Only the person who wrote this can send it."
REDCARD_MENU = "Red card"
"""The name of the message menu item (Discord) that raises a red card."""
REDCARD_BOX_WORD = "Which word is hard?"
REDCARD_BOX_HINT = "Leave this empty if the whole message is hard"

# Privacy: who may join, consent again, keeping answers, the rights

OTHER_WAY = "Ask the adult who runs your group about another way to have your say."
"""How someone too young for the app can still take part; a deployment sets its own."""
TOO_YOUNG = (
    "Thank you for wanting to take part! You need to be {age} or over to use me here, "
    "so we haven't kept anything about you."
)
NEEDS_CODE = (
    "That's OK. If you're 12 or under, you need a code to take part. The person who runs your "
    "group gives it to you once your parent or carer has said yes. "
    "We haven't kept anything about you."
)
INVITE_CODE_EXPIRED = (
    "Sorry, that code is too old to use now. Ask the person who runs your group for a new one."
)
INVITE_CODE_USED = (
    "Sorry, that code has already been used. Ask the person who runs your group for a new one."
)
PUBLIC_TASK_WHY = (
    "Why we can use your answers: the people who run these services have to ask young people "
    "what they think. It's part of their job. You can still choose not to take part."
)
"""Added to the privacy text when the lawful basis is a public task (YOUSAID_LAWFUL_BASIS)."""
PUBLIC_TASK_ASK = "Do you want to take part? It's up to you."
PRIVACY_CHANGED = (
    "We've changed how we explain what we keep about you. Please read it again, then say if "
    "you're happy to carry on. If you say no, we'll delete everything we keep about you."
)
PRIVACY_AGREED = "Thank you. You can carry on now."
KEPT_FOR = (
    "We keep your typed answers for {months} months. Then we delete them, and keep only totals."
)
MYDATA_GUARDIAN = (
    'A parent or carer said yes to you taking part. The code came from "{title}". '
    "That was on {day}."
)
MYDATA_REPORTS = 'You get messages about worrying posts in the group "{title}".'
MYDATA_REFUSED = "You tried something only the people who run a group can do (/{action}) on {day}."
MYDATA_SAFETY = (
    "If a message made us worried about your safety, the trained adult who checks it keeps it. "
    "You can ask them about it."
)

# Checking the posts in a group

MODERATE_HOW = (
    "How to check the posts in this group:\n"
    "/moderate on - I check posts for words that sound like someone may not be safe. "
    "I tell you and the trained adult in private.\n"
    "/moderate hide - the same, and I also hide those posts from the group.\n"
    "/moderate off - I stop checking.\n"
    "Right now: {state}"
)
MODERATE_STATE_OFF = "I don't check posts."
MODERATE_STATE_ON = "I check posts, and tell you about worrying ones."
MODERATE_STATE_HIDE = "I check posts, and hide worrying ones."
MODERATE_ON = (
    "From now on, I check the messages posted in this group for words that sound like someone "
    "may not be safe. If I find some, I tell the people who run this group and a trained adult. "
    "Messages you send me in private are checked too, as always."
)
MODERATE_HIDE = (
    "From now on, I check the messages posted in this group for words that sound like someone "
    "may not be safe. If I find some, I hide the message and tell the people who run this group "
    "and a trained adult. Messages you send me in private are checked too, as always."
)
MODERATE_OFF = "I've stopped checking the messages posted in this group."
MODERATE_REPORTS_TO_YOU = (
    "I'll send you a private message about each worrying post. If you haven't yet, message me "
    "in private and type /start, so that I can reach you.\n"
    "I can only read posts if the bot is allowed to. On Telegram, turn off its privacy mode "
    "with @BotFather. On Discord, the bot needs its message content setting."
)
POST_REPORT = (
    '⚠️ A post in "{title}" has words that may mean someone is not safe: {terms}\n\n{text}\n\n'
    "{hidden} The trained adult who checks on safety has alert {number} about it."
)
POST_HIDDEN = "I hid the post from the group."
POST_LEFT = "The post is still in the group."
POST_FOLLOW_UP = "I saw what you wrote in the group, and I want to check you're OK."

OUTCOME_THANKS = {
    "planned": "Thank you for having your say on {title}. Here is what we plan to do.",
    "in_progress": "Thank you for having your say on {title}. We have started work on it.",
    "done": "Thank you for having your say on {title}. We did it.",
    "not_possible": "Thank you for having your say on {title}. Sadly, we could not do it.",
}
"""The first line of a thank-you, for each stage."""
OUTCOME_MESSAGE = (
    "{thanks}\n\nYou said: {you_said}\n\nWe did: {we_did}\n\nWhat comes next: {next_steps}"
    "\n\nHow far we are: {progress}%\n\nDid this make a difference?"
)
OUTCOME_FEEDBACK = {"u": "👍", "m": "😐", "d": "👎"}
"""The feedback buttons: it made a difference, not sure, it did not."""
OUTCOME_FEEDBACK_THANKS = "Thank you for telling us."
OUTCOME_FEEDBACK_BEFORE = "You told us already. Thank you."
OUTCOME_FEEDBACK_NOT_YOURS = "This button is not for you. Sorry."
OUTCOME_NOT_PLAIN = (
    "Young people will read this, so please use plainer words. "
    "Here is what to change, then try again:"
)
OUTCOME_STATUS = {
    "planned": "Planned",
    "in_progress": "Started",
    "done": "Done",
    "not_possible": "Could not be done",
}
"""How each stage of an outcome is shown."""
OUTCOME_HOW = (
    "To tell young people what you did, type:\n"
    "/outcome name | what they said | what you did | what comes next\n\n"
    "To say how far it has got, type the number, the stage and how far, like:\n"
    "/outcome 3 started 40\n"
    "The stages are: planned, started, done, could not.\n\n"
    "To send news on how it is going at a time you choose, type the number, at, the day and "
    "the time, like:\n/outcome 3 at 2027-01-15 16:30"
)
OUTCOME_SHARED = (
    "Thank you. This is number {number}. Everyone who had their say will get a thank-you."
)
OUTCOME_MOVED = "Number {number} is now: {stage}, {progress}% of the way."
MY_RECORD_NOTHING = "You have not taken part in anything yet. Send /consult to have your say."
MY_RECORD_HAD_SAY = "What you had your say on:"
MY_RECORD_OUTCOME = "{status} ({progress}%): {we_did}"
MY_RECORD_NO_OUTCOME = "We will tell you what happens next."
MY_RECORD_VOTED = "Secret votes you voted in:"
OUTCOME_NO_CONSULTATION = "There is nothing called {slug} to write about."
OUTCOME_NO_QUESTION = "{slug} has no question called {question}."
OUTCOME_BAD_PROGRESS = "How far you are must be a number from 0 to 100."
OUTCOME_NOT_FOUND = "There is nothing with the number {number}."
MYDATA_CERTIFICATES = (
    "You have {count} certificates for having your say. Send /certificate to see them."
)
MYDATA_OUTCOME_FEEDBACK = "You told us {count} times if what we did made a difference."
AWARD_HOW = (
    "To give everyone who had their say a certificate, type /award and the name, like:\n"
    "/award {example}\n\n"
    "You can give them for:\n{names}"
)
AWARD_NOBODY = "Nobody has had their say in {title} yet, so there is no one to give one to."
AWARD_ALREADY = "Everyone who had their say in {title} already has a certificate."
AWARD_GIVEN_ONE = "1 person who had their say in {title} now has a certificate."
AWARD_GIVEN = "{count} people who had their say in {title} now have a certificate."
CERTIFICATE_GIVEN = (
    "🎉 {forum} has given you a certificate for having your say in {title}. Thank you!\n\n"
    "Send /certificate to get it. To put your first name on it, add it, like: /certificate Sam\n"
    "We do not keep your name."
)
CERTIFICATE_NONE = (
    "You do not have a certificate yet. When you have your say, your group's organiser can "
    "give you one."
)
CERTIFICATE_HERE = "Here is your certificate. Thank you for having your say! 🎉"
CERTIFICATE_FORUM = "your group"
PROGRESS_UPDATE = (
    "News on {title}: {stage}, {progress}% of the way.\n\n"
    "What we did: {we_did}\n\n"
    "What comes next: {next_steps}"
)
"""A progress update on an outcome, sent at the time its commissioner chose."""
OUTCOME_UPDATE_SET = "OK. The next news on number {number} goes to everyone at {at}."
OUTCOME_UPDATE_PAST = "That time has passed. Pick a time still to come."
OUTCOME_UPDATE_HOW = "Type the day and the time like this: /outcome 3 at 2027-01-15 16:30"
DIGEST = (
    "What changed this week, on what you had your say on:\n{lines}\n\n"
    "To stop these, send /digest off."
)
"""The weekly round-up; ``lines`` has one line per outcome that changed."""
DIGEST_LINE = "• {title}: {stage}, {progress}% of the way. {we_did}"
DIGEST_ON = "OK. Once a week I'll tell you what changed on what you had your say on."
DIGEST_OFF = "OK. No more weekly messages. Send /digest on to get them again."
DIGEST_HOW = (
    "Once a week I can tell you what changed on what you had your say on.\n"
    "Right now this is {state}.\n"
    "Send /digest on or /digest off."
)
DIGEST_STATE = {True: "on", False: "off"}
HOURS_HOW = (
    "News and updates from me about this group wait until these hours are over:\n"
    "Night: {quiet}\n"
    "School hours, Monday to Friday: {school}\n\n"
    "To change them: /hours night 21:00-08:00 or /hours school 09:00-15:00.\n"
    "Use off for none, or usual to go back to the usual hours."
)
HOURS_NONE = "none"
HOURS_USUAL = "{hours} (the usual)"
HOURS_SET = (
    "OK. News from me about this group now waits at night: {quiet}, "
    "and in school hours, Monday to Friday: {school}."
)
MYDATA_DIGEST = "Weekly message about what changed: {state} (send /digest on or /digest off)"
