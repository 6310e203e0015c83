from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from features import content_io as exports


class Command(BaseCommand):
    help = (
        "Export the content as JSON (complete, for backups and moves), CSV (the feature "
        "catalog) or Markdown (the recap article). Filters mean what they mean on /features/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=exports.FORMATS, default="json")
        parser.add_argument("--output", "-o", type=Path, help="File to write (default: stdout).")
        parser.add_argument("--status", action="append", default=[], help="Repeatable, e.g. ga.")
        parser.add_argument("--area", action="append", default=[], help="Area slug; repeatable.")
        parser.add_argument("--session", action="append", default=[], help="Session code.")
        parser.add_argument("--q", default="", help="Words the features must contain.")
        parser.add_argument("--event", default="", help="Event slug.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of CSV and Markdown output (JSON always carries every language).",
        )
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help="Include drafts (without it, only what readers can see is exported).",
        )

    def handle(self, *args, **options):
        filters = {name: options[name] for name in ("status", "area", "session", "q", "event")}
        try:
            selection = exports.select_features(filters, include_drafts=options["include_drafts"])
        except exports.ExportError as error:
            raise CommandError(f"Nothing exported:\n{error}") from None
        text = exports.render(options["format"], selection, options["language"])
        output = options["output"]
        if output is None:
            try:
                self.stdout.write(text, ending="")
                self.stdout.flush()
            except OSError as error:
                raise CommandError(f"Could not write the export: {error.strerror}.") from None
        else:
            if not output.parent.resolve().is_dir():
                raise CommandError(f"Nothing exported: the folder {output.parent} does not exist.")
            try:
                exports.write_atomically(output, text)
            except OSError as error:
                raise CommandError(
                    f"Nothing exported: cannot write {output}: {error.strerror or error}."
                ) from None
            self.stderr.write(
                f"Wrote {len(selection.features)} feature(s) as {options['format']} to {output}."
            )
        if selection.filtered and not selection.features:
            self.stderr.write("Note: no feature matches these filters.")
        if note := selection.left_out_note():
            self.stderr.write(note)
