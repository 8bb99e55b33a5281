"""Erasing a person everywhere in one transaction, keeping only anonymous counts.

Used by ``/forgetme``, by ``yousaid person forget``, and when someone says no to taking part
or is too young for the platform. Safeguarding alerts are kept: they follow the safeguarding
lead's retention rules, not this.
"""

from __future__ import annotations

from core.forum_flow import voter_key
from core.ports import UnitOfWork
from core.roles import pseudonym


async def erase(uow: UnitOfWork, participant_id: int) -> None:
    """Delete the participant and all that links to them; counts, votes and totals stay.

    Their answers are kept only as counts, their quick-poll votes and voter roll entries as
    votes and counts that point to nobody, and refused actions recorded under their pseudonym
    are dropped. The ballot box never linked to anyone, so it is left as it is.
    """
    identities = await uow.participants.identities(participant_id)
    polls = await uow.personal_data.poll_ids()
    votes = [
        (poll, voter_key(poll, platform, user_id))
        for poll in polls
        for platform, user_id in identities
    ]
    actors = [pseudonym(platform, user_id) for platform, user_id in identities]
    await uow.personal_data.erase(participant_id, votes, actors)
