"""Dates as each language writes them, and no more precisely than they are known."""

import datetime

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def date_range(start: datetime.date, end: datetime.date) -> str:
    """17–21 November 2025 / 2025年11月17日〜21日, shortening what both dates share."""
    if start == end:
        return date_format(start)
    if (start.year, start.month) == (end.year, end.month):
        # Translators: a date range within one month, e.g. "17–21 November 2025". month_year is
        # the month and year as the language writes them (YEAR_MONTH_FORMAT).
        return _("%(start_day)s–%(end_day)s %(month_year)s") % {
            "start_day": start.day,
            "end_day": end.day,
            "month_year": date_format(start, "YEAR_MONTH_FORMAT"),
        }
    return _("%(start)s – %(end)s") % {"start": date_format(start), "end": date_format(end)}


class DatePrecision(models.TextChoices):
    """How precisely a date is known: the source may give a day, a month, or only an event."""

    DAY = "day", gettext_lazy("On a day")
    MONTH = "month", gettext_lazy("In a month")
    EVENT = "event", gettext_lazy("During an event")


def normalise_to_precision(date: datetime.date, precision: str, event=None) -> datetime.date:
    """The date stored for `precision`: the month's first day, the event's first day."""
    if precision == DatePrecision.MONTH:
        return date.replace(day=1)
    if precision == DatePrecision.EVENT and event is not None:
        return event.start_date
    return date


def date_at_precision(date: datetime.date, precision: str, event=None) -> str:
    """A date written no more precisely than it is known: "17 November 2025", "November 2025",
    "during Microsoft Ignite 2025 (17–21 November 2025)". `event` needs name and dates."""
    if precision == DatePrecision.MONTH:
        return date_format(date, "YEAR_MONTH_FORMAT")
    if precision == DatePrecision.EVENT and event is not None:
        # Translators: when only the event is known, e.g. "during Microsoft Ignite 2025
        # (17–21 November 2025)".
        return _("during %(event)s (%(dates)s)") % {
            "event": event.name,
            "dates": date_range(event.start_date, event.end_date),
        }
    return date_format(date)
