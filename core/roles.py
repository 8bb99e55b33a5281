"""Who may do what: roles from the deployment's settings and from the platforms' own roles.

- participant: everyone;
- organiser: in one forum's group, the people the platform says run it (Telegram group admins,
  Discord Manage Server or the organiser role), as the adapter sets ``Address.organiser``;
- commissioner: the accounts in ``YOUSAID_COMMISSIONERS``, in any forum;
- safeguarding lead: the accounts in ``YOUSAID_SAFEGUARDING_LEADS``;
- instance admin: the accounts in ``YOUSAID_ADMINS``, who may do anything an organiser may,
  in every forum.

``Authority.check`` is the one check before every organiser or commissioner action. A refusal
is polite and recorded in the audit log under a pseudonym, never a platform id.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core import texts
from core.messages import Address, Platform, Reply
from core.ports import UnitOfWork
from core.safeguarding import Lead

log = logging.getLogger(__name__)


class Role(StrEnum):
    """What a person is to YouSaid."""

    PARTICIPANT = "participant"
    ORGANISER = "organiser"
    COMMISSIONER = "commissioner"
    SAFEGUARDING_LEAD = "safeguarding_lead"
    ADMIN = "admin"


_RUN_THE_GROUP = frozenset({Role.ORGANISER, Role.ADMIN})
PERMISSIONS: dict[str, frozenset[Role]] = {
    "poll": _RUN_THE_GROUP,
    "endpoll": _RUN_THE_GROUP,
    "ballot": _RUN_THE_GROUP,
    "endballot": _RUN_THE_GROUP,
    "members": _RUN_THE_GROUP,
    "moderate": _RUN_THE_GROUP,
    "hours": _RUN_THE_GROUP,
    "redcards": _RUN_THE_GROUP,
    "award": _RUN_THE_GROUP,
    "invite": _RUN_THE_GROUP | {Role.COMMISSIONER},
    "announce": _RUN_THE_GROUP | {Role.COMMISSIONER},
    "outcome": frozenset({Role.COMMISSIONER, Role.ADMIN}),
}
"""The roles allowed each organiser or commissioner action (every command in ORGANISER_ONLY).

``outcome`` is writing what was done about what young people said (``yousaid outcome``).
"""


def pseudonym(platform: Platform | str, user_id: str) -> str:
    """A one-way name for a chat account, for the audit log: the same account, the same name."""
    return hashlib.sha256(f"yousaid-actor:{platform}:{user_id}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class RoleSettings:
    """The accounts the deployment names for each role (``platform:user_id`` lists)."""

    commissioners: tuple[Lead, ...] = ()
    admins: tuple[Lead, ...] = ()
    leads: tuple[Lead, ...] = ()

    def of(self, address: Address) -> frozenset[Role]:
        """Every role the sender of an event has, there."""
        account = Lead(address.platform, address.user_id)
        roles = {Role.PARTICIPANT}
        if address.organiser and not address.private:
            roles.add(Role.ORGANISER)
        if account in self.commissioners:
            roles.add(Role.COMMISSIONER)
        if account in self.leads:
            roles.add(Role.SAFEGUARDING_LEAD)
        if account in self.admins:
            roles.add(Role.ADMIN)
        return frozenset(roles)

    def may(self, address: Address, action: str) -> bool:
        """True if the sender has a role allowed to do ``action``."""
        return bool(self.of(address) & PERMISSIONS.get(action, frozenset()))


class Authority:
    """The role check for one event, inside its unit of work."""

    def __init__(self, uow: UnitOfWork, now: datetime, roles: RoleSettings) -> None:
        self._uow = uow
        self._now = now
        self._roles = roles

    async def check(self, address: Address, action: str) -> Reply | None:
        """None if the sender may do ``action``; else a polite refusal, recorded."""
        if self._roles.may(address, action):
            return None
        await self._uow.audit.refused(
            pseudonym(address.platform, address.user_id), action, self._now
        )
        log.info("refused /%s from someone without the role on %s", action, address.platform)
        return Reply(texts.ORGANISERS_ONLY, only_for_sender=True)
