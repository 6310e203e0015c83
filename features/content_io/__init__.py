"""Content in and out of the database: the JSON format, its import, and three exports.

Importing reads a file (read), checks all of it (validate, items, references) and only then
writes it in one transaction (write); exporting selects features as the catalog does
(selection) and renders them as JSON (complete), CSV (the catalog) or Markdown (the article).
The shapes both directions share live in `format`.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from ignite.page_cache import one_revision_for_many_changes

from .export import FORMATS, render, write_atomically
from .export_csv import export_csv
from .export_json import export_json
from .export_markdown import export_markdown
from .problems import ImportFailed, Problem
from .read import read_document
from .report import ImportReport
from .selection import ExportError, Selection, select_features
from .validate import validate
from .write import Progress, Writer

__all__ = [
    "FORMATS",
    "ExportError",
    "ImportFailed",
    "ImportReport",
    "Problem",
    "Selection",
    "export_csv",
    "export_json",
    "export_markdown",
    "import_content",
    "render",
    "select_features",
    "write_atomically",
]


class _DryRun(Exception):
    pass


def import_content(
    source: str | Path,
    *,
    prune: bool = False,
    dry_run: bool = False,
    user=None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a JSON content file; raise ImportFailed (database untouched) on any problem."""
    plan = validate(read_document(source), prune=prune)
    writer = Writer(plan, prune=prune, user=user, progress=progress)
    writer.report.dry_run = dry_run
    try:
        with transaction.atomic(), one_revision_for_many_changes():
            writer.write()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except (DatabaseError, ValidationError) as error:
        raise ImportFailed([Problem(writer.where, f"the database refused it: {error}")]) from None
    return writer.report
