"""A deployment's privacy rules: lawful basis, platform minimum ages, another way to take part.

Someone too young for a platform is pointed to the other way to take part. Discord's terms ask
for users of 13 or over; Telegram's ask for 16 or over in the UK and the EU (``docs/privacy.md``
has the sources). A minimum is checked against the youngest age of the band a person picks, so
a band that straddles it is turned away: with a minimum of 14, the whole 13 to 15 band is.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from core import texts
from core.domain import AgeBand
from core.messages import Platform
from dialogs.schema import Script


class LawfulBasis(StrEnum):
    """Why a deployment may use young people's answers (UK GDPR article 6)."""

    CONSENT = "consent"
    PUBLIC_TASK = "public_task"
    """For councils and NHS bodies that consult as part of their public duties."""


DEFAULT_MINIMUM_AGES: Mapping[Platform, int] = {Platform.TELEGRAM: 16, Platform.DISCORD: 13}
"""Telegram: 16 in the UK and the EU; Discord: 13 (more in some EU countries)."""

YOUNGEST_IN_BAND = {
    AgeBand.UNDER_13: 0,
    AgeBand.AGE_13_15: 13,
    AgeBand.AGE_16_17: 16,
    AgeBand.AGE_18_25: 18,
}
MOST_MINIMUM_AGE = 18


@dataclass(frozen=True)
class PrivacyPolicy:
    """The privacy settings of one deployment (``YOUSAID_LAWFUL_BASIS`` and friends)."""

    lawful_basis: LawfulBasis = LawfulBasis.CONSENT
    minimum_ages: Mapping[Platform, int] = field(default_factory=lambda: dict(DEFAULT_MINIMUM_AGES))
    other_way: str = texts.OTHER_WAY
    """How someone too young for a platform can still have their say (a named adult, a form)."""
    notice: str = texts.CONSENT_VERSION
    """The version of the privacy text; a new one asks everyone again."""

    @property
    def version(self) -> str:
        """The version people agree to: the text's, marked when the basis is a public task."""
        return self.notice if self.lawful_basis == LawfulBasis.CONSENT else f"{self.notice}-task"

    def too_young(self, platform: Platform, band: AgeBand) -> bool:
        """True when people in this band may be younger than the platform allows."""
        return YOUNGEST_IN_BAND[band] < self.minimum_ages.get(platform, 0)

    def onboarding(self, script: Script) -> Script:
        """The onboarding script in the words of this lawful basis."""
        if self.lawful_basis == LawfulBasis.CONSENT:
            return script
        questions = tuple(
            question.model_copy(update={"text": texts.PUBLIC_TASK_ASK})
            if question.profile == "consent"
            else question
            for question in script.questions
        )
        intro = f"{script.intro}\n\n{texts.PUBLIC_TASK_WHY}"
        return script.model_copy(update={"intro": intro, "questions": questions})


def parse_minimum_ages(value: str) -> dict[Platform, int]:
    """``telegram:16,discord:13`` as ages per platform, on top of the defaults; ValueError."""
    ages = dict(DEFAULT_MINIMUM_AGES)
    for item in value.split(","):
        pair = item.strip()
        if not pair:
            continue
        name, _, age = pair.partition(":")
        name, age = name.strip().lower(), age.strip()
        if name not in set(Platform) or not age.isdigit() or int(age) > MOST_MINIMUM_AGE:
            raise ValueError(f"'{pair}' should look like telegram:16 or discord:13")
        ages[Platform(name)] = int(age)
    return ages


def months_before(moment: datetime, months: int) -> datetime:
    """The same time ``months`` calendar months earlier (the 31st becomes the month's last day)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)
