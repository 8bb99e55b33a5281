"""When news and updates may go out: quiet hours every night, school hours on weekdays.

Times are local (``YOUSAID_TIMEZONE``). A forum may set its own hours; a delivery caused by a
forum's activity follows that forum's hours, everything else the deployment's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

OFF = "off"
"""The setting that turns a kind of hours off."""
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")
_SCHOOL_DAYS = range(5)
"""Monday to Friday."""


@dataclass(frozen=True, slots=True)
class QuietHours:
    """Hours in which nothing is sent; may wrap past midnight (21:00-08:00)."""

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        """True if ``moment`` falls inside the quiet hours."""
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def over_at(self, moment: datetime) -> datetime | None:
        """When the quiet hours around ``moment`` (a local time) end; None if not quiet then."""
        if not self.contains(moment.time()):
            return None
        end = moment.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        return end if end > moment else end + timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def check_hours(value: str) -> str:
    """A setting like ``21:00-08:00`` or ``off``, tidied; ValueError naming the form."""
    value = value.strip()
    if value.lower() == OFF:
        return OFF
    if not _HOURS.match(value) or value[:5] == value[6:]:
        raise ValueError(f"'{value}' should look like 21:00-08:00, or be off")
    return value


def parse_hours(value: str) -> QuietHours | None:
    """The hours of a checked setting; None for ``off``."""
    value = check_hours(value)
    if value == OFF:
        return None
    match = _HOURS.match(value)
    assert match is not None
    h1, m1, h2, m2 = (int(group) for group in match.groups())
    return QuietHours(time(h1, m1), time(h2, m2))


@dataclass(frozen=True, slots=True)
class SendHours:
    """When news waits: the quiet hours every day, and the school hours Monday to Friday."""

    quiet: QuietHours | None = None
    school: QuietHours | None = None

    def waits_until(self, moment: datetime) -> datetime | None:
        """When news due at ``moment`` (a local time) may go; None if it may go now."""
        later = moment
        for _ in range(4):  # quiet, then school, then quiet again at most
            end = self._over_at(later)
            if end is None:
                break
            later = end
        return None if later == moment else later

    def _over_at(self, moment: datetime) -> datetime | None:
        if self.quiet is not None:
            end = self.quiet.over_at(moment)
            if end is not None:
                return end
        if self.school is not None and moment.weekday() in _SCHOOL_DAYS:
            return self.school.over_at(moment)
        return None

    def overridden(self, quiet: str | None, school: str | None) -> SendHours:
        """These hours with a forum's own settings (None keeps the deployment's)."""
        return SendHours(
            self.quiet if quiet is None else parse_hours(quiet),
            self.school if school is None else parse_hours(school),
        )
