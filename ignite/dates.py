"""Dates as each language writes them."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _


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
