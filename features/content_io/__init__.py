"""Content in and out of the database: the JSON format, its import, and three exports.

Importing reads a file (read), checks all of it against the published JSON Schema (schema) and
the import's own rules (validate, items, references), and only then writes it in one
transaction (write, report). Exporting selects features as the catalog does (selection) and
renders them as JSON (export_json, complete), CSV (export_csv, the catalog, formula-safe) or
Markdown (export_markdown, the article, made safe to render by safe_markdown). The shapes both
directions share live in `format`.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from ignite.page_cache import one_revision_for_many_changes

from ..models import followed_at_once_for_many_changes
from .export import FORMATS, render, write_atomically
from .export_csv import export_csv
from .export_json import export_json
from .export_markdown import export_markdown
from .problems import ImportFailed, Problem, merged
from .read import MAX_FILE_BYTES, MAX_FILE_MB, read_document
from .report import ImportReport
from .schema import SCHEMA_PATH, build_schema, schema_problems
from .selection import ExportError, Selection, select_features
from .validate import validate
from .write import Progress, Writer

__all__ = [
    "FORMATS",
    "MAX_FILE_MB",
    "SCHEMA_PATH",
    "ExportError",
    "ImportFailed",
    "ImportReport",
    "Problem",
    "Selection",
    "build_schema",
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
    max_bytes: int = MAX_FILE_BYTES,
) -> ImportReport:
    """Import a JSON content file; raise ImportFailed (database untouched) on any problem."""
    document = read_document(source, max_bytes)
    # The published schema first, so that a file it refuses is never imported; the
    # validator's own words for the same places are the more precise, so they win.
    schema = schema_problems(document)
    try:
        plan = validate(document, prune=prune)
    except ImportFailed as failure:
        raise ImportFailed(merged(failure.problems, schema)) from None
    if schema:
        raise ImportFailed(schema)
    writer = Writer(plan, prune=prune, user=user, progress=progress)
    writer.report.dry_run = dry_run
    try:
        with (
            transaction.atomic(),
            one_revision_for_many_changes(),
            followed_at_once_for_many_changes(),
        ):
            writer.write()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except (DatabaseError, ValidationError) as error:
        raise ImportFailed([Problem(writer.where, f"the database refused it: {error}")]) from None
    return writer.report
