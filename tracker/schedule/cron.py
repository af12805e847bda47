"""The sweep's calendar: a crontab expression in UTC read as an APScheduler 3 trigger (with crontab's weekdays, not
APScheduler's), and the time between two of its slots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

_CRONTAB_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _crontab_day_of_week(field_value: str) -> str:
    """A crontab day-of-week field (0 and 7 = Sunday) in APScheduler 3's words (where 0 is Monday).

    APScheduler 3's `CronTrigger.from_crontab` passes numbers through, so "0 3 * * 1" would fire on Tuesdays.
    """
    if field_value == "*" or not any(ch.isdigit() for ch in field_value):
        return field_value
    days: list[int] = []
    for part in field_value.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            low, high = span.split("-", 1)
            first, last = int(low), int(high)
        else:
            first = last = int(span)
            if step_text:
                last = 6
        if not (0 <= first <= 7 and 0 <= last <= 7 and first <= last and step >= 1):
            raise ValueError(f"bad day-of-week {part!r} in cron expression")
        days.extend(range(first, last + 1, step))
    names = dict.fromkeys(_CRONTAB_WEEKDAYS[d] for d in sorted(d % 7 for d in days))
    return ",".join(names)


def sweep_period(trigger: BaseTrigger, now: datetime) -> timedelta | None:
    """The time between the next two sweep slots after `now` (None when the trigger fires at most once more)."""
    first = trigger.get_next_fire_time(None, now)
    if first is None:
        return None
    second = trigger.get_next_fire_time(first, first + timedelta(seconds=1))
    return None if second is None else second - first


def sweep_trigger(expression: str) -> CronTrigger:
    """A trigger from a crontab expression in UTC: 5 fields (minute hour day month weekday, crontab weekdays),
    or 6 with seconds first (`*/5 * * * * *`: every five seconds, for tests). ValueError when malformed."""
    fields = expression.split()
    if len(fields) == 5:
        fields = ["0", *fields]
    if len(fields) != 6:
        raise ValueError(f"cron expression {expression!r} needs 5 fields (or 6 with seconds first)")
    second, minute, hour, day, month, weekday = fields
    return CronTrigger(
        second=second,
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_crontab_day_of_week(weekday),
        timezone=UTC,
    )
