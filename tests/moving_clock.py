"""A clock for tests that run a real bot: real time, until a test moves it on."""

from datetime import UTC, datetime, timedelta


class MovingClock:
    """Real time plus however far a test has moved it on."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)
