from argparse import ArgumentTypeError
from contextlib import nullcontext
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, no_translations

from features.content_io import MAX_FILE_MB, ImportFailed, import_content
from ignite.rules import Refused, acting_as

PROGRESS_EVERY = 100


def _megabytes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise ArgumentTypeError(f"expected a size in MB, such as 64, not “{text}”")
    return value


class Command(BaseCommand):
    help = (
        "Import content from the JSON export format: validate the whole file, then create "
        "and update rows in one transaction. Nothing is written if anything is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--prune", action="store_true", help="Also remove rows the file no longer has."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--user",
            help=(
                "Import as this user: recorded in the history as the author, and held to their "
                "role (an Editor's file may not publish, unpublish or remove published content)."
            ),
        )
        parser.add_argument(
            "--max-size",
            type=_megabytes,
            default=MAX_FILE_MB,
            metavar="MB",
            help=f"Refuse larger files (default: {MAX_FILE_MB} MB).",
        )

    @no_translations  # reports in English, whatever the process did before
    def handle(self, *args, path: Path, prune: bool, dry_run: bool, user: str | None, **options):
        max_bytes = int(options["max_size"] * 1_000_000)
        author = None
        if user:
            try:
                author = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user “{user}”; nothing was imported.") from None
        try:
            # Without --user the operator imports, as from a shell: no role applies.
            with acting_as(author) if author else nullcontext():
                report = import_content(
                    path,
                    prune=prune,
                    dry_run=dry_run,
                    user=author,
                    progress=self.progress,
                    max_bytes=max_bytes,
                )
        except Refused as refused:
            raise CommandError(
                f"{path}: {user}'s role does not allow this import; nothing was imported.\n"
                f"  {refused}"
            ) from None
        except ImportFailed as failure:
            lines = [f"  {problem}" for problem in failure.problems]
            raise CommandError(
                f"{path}: {len(failure.problems)} problem(s); nothing was imported.\n"
                + "\n".join(lines)
            ) from None
        if dry_run or options["verbosity"] > 1:
            for change in report.changes:
                self.stdout.write(f"  {change}")
        prefix = "Dry run, nothing written. Would import" if dry_run else "Imported"
        self.stdout.write(f"{prefix} {path}:")
        for line in report.summary_lines():
            self.stdout.write(f"  {line}")

    def progress(self, section: str, done: int, total: int) -> None:
        if total >= PROGRESS_EVERY and (done % PROGRESS_EVERY == 0 or done == total):
            self.stderr.write(f"  {section}: {done}/{total}")
