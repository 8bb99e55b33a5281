"""Keeping typed answers only as long as each consultation says (``retention_months``).

After that, a typed answer is deleted and only counted (how many answered each question), and
the reason given with a score is cleared, keeping the score. Safeguarding alerts are not
touched: they follow the safeguarding lead's own retention rules.
"""

from __future__ import annotations

import logging
from datetime import datetime

from core.ports import UnitOfWork
from core.privacy import months_before
from dialogs.loader import ScriptError, cached_script

log = logging.getLogger(__name__)


async def expire_typed_answers(uow: UnitOfWork, now: datetime) -> int:
    """Remove typed words kept longer than their consultation's retention period; how many."""
    removed = 0
    for consultation in await uow.consultations.list_all():
        try:
            script = cached_script(consultation.script_yaml)
        except ScriptError:
            log.error("consultation %d: its script can't be read; answers kept", consultation.id)
            continue
        typed = [q.id for q in script.questions if q.type == "text"]
        reasons = [q.id for q in script.questions if q.type == "score"]
        if typed or reasons:
            before = months_before(now, script.retention_months)
            removed += await uow.personal_data.expire_text(consultation.id, typed, reasons, before)
    if removed:
        log.info("%d typed answers were past their retention period and were removed", removed)
    return removed
