"""Writing an export: the format chosen by name, and a file replaced all at once."""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from .export_csv import export_csv
from .export_json import export_json
from .export_markdown import export_markdown
from .selection import Selection

FORMATS = ("json", "csv", "markdown")


def render(format_name: str, selection: Selection, language: str) -> str:
    """The export in one of FORMATS (CSV and Markdown in `language`; JSON has every one)."""
    if format_name == "json":
        return export_json(selection)
    if format_name == "csv":
        return export_csv(selection, language)
    return export_markdown(selection, language)


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename it into place.

    The file keeps the permissions of the one it replaces (a new one gets the usual ones, as
    the umask has them), so an export over a shared file does not lock others out of it.
    Raises OSError.
    """
    path = path.resolve()
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = None
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        if mode is not None:
            os.chmod(temporary, mode)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
