"""English dates as the site writes them everywhere: 17 November 2025 (as in "17–21 November
2025"), not Django's default "Nov. 17, 2025"."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
