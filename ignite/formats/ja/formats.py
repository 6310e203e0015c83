"""Japanese dates as the site writes them: short dates in full (2026年11月24日), not 2026/11/24,
so that an "as of" date reads like the rest of the page."""

DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 G:i"
SHORT_DATE_FORMAT = "Y年n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
MONTH_DAY_FORMAT = "n月j日"
