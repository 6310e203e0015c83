"""Logging pieces read by the LOGGING setting (so nothing here may import the apps)."""

import logging


class OneLineWarning(logging.Filter):
    """Logs a client's mistake (e.g. TooManyFieldsSent) as one warning line, not an error with
    a traceback: nothing on our side needs fixing."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True
