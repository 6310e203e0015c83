from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from archive.export import ArchiveError, export_site, looks_like_an_archive, normalise_site_url
from archive.progress import ProgressBar


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


class Command(BaseCommand):
    help = (
        "Export the whole public site, in every language, as a static archive that opens from "
        "disk and can be served by any static host: a folder (--output) and/or a zip (--zip)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", type=Path, help="Folder to write the archive to.")
        parser.add_argument("--zip", type=Path, dest="zip_path", help="Zip file to write.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace an earlier archive in the --output folder (once the new one is done).",
        )
        parser.add_argument(
            "--site-url",
            default="",
            help=(
                "Where the archive will be served, e.g. https://example.org/recap/: absolute "
                "links (canonical, feeds, sitemap) point there, and the 404 pages link from its "
                "path. Without it they keep naming the live site and 404 pages link from /."
            ),
        )

    def handle(self, *args, output=None, zip_path=None, replace=False, site_url="", **options):
        if output is None and zip_path is None:
            raise CommandError("Say where the archive goes: --output FOLDER and/or --zip FILE.")
        if site_url:
            try:
                site_url = normalise_site_url(site_url)
            except ValueError:
                raise CommandError(
                    f"--site-url must be an absolute http(s) address such as "
                    f"https://example.org/recap/, not {site_url!r}."
                ) from None
        if output is not None:
            self._check_output(output, replace)
        if zip_path is not None:
            self._check_zip(zip_path, output)
        bar = ProgressBar(self.stderr, "Archiving")
        try:
            report = export_site(output, zip_path=zip_path, site_url=site_url, progress=bar)
        except (ArchiveError, OSError) as error:
            raise CommandError(f"No archive written: {error}") from None
        finally:
            bar.finish()
        for address, status in report.failed:
            self.stderr.write(f"Not archived: {address} answered {status}.")
        for file, address in report.broken_links:
            self.stderr.write(f"Broken link in {file}: {address} is not in the archive.")
        self.stdout.write(
            f"Archived {report.pages} pages, {report.redirects} redirects, "
            f"{report.other_files} feeds and downloads and {report.static_files} static files: "
            f"{report.file_count} files, {_megabytes(report.bytes)}, in {report.seconds:.1f} s."
        )
        if output is not None:
            self.stdout.write(f"  Folder: {output} (open {output / 'index.html'})")
        if zip_path is not None:
            self.stdout.write(f"  Zip: {zip_path} ({_megabytes(zip_path.stat().st_size)})")

    def _check_output(self, output: Path, replace: bool) -> None:
        resolved = output.resolve()
        if resolved.exists() and not resolved.is_dir():
            raise CommandError(f"No archive written: {output} is a file, not a folder.")
        if not resolved.parent.is_dir():
            raise CommandError(f"No archive written: the folder {output.parent} does not exist.")
        if Path(settings.BASE_DIR).resolve().is_relative_to(resolved) or resolved == Path.home():
            raise CommandError(
                f"No archive written: {output} holds the project or your home folder; "
                "choose a folder of its own."
            )
        if resolved.is_dir() and any(resolved.iterdir()):
            if not looks_like_an_archive(resolved):
                raise CommandError(
                    f"No archive written: {output} holds something other than an archive "
                    "(no index.html and 404.html at its top); choose an empty folder."
                )
            if not replace:
                raise CommandError(
                    f"No archive written: {output} holds an earlier archive. Pass --replace "
                    "to replace it as a whole, or choose an empty folder."
                )

    def _check_zip(self, zip_path: Path, output: Path | None) -> None:
        resolved = zip_path.resolve()
        if output is not None and resolved.is_relative_to(output.resolve()):
            raise CommandError("No archive written: put the zip outside the --output folder.")
        if resolved.is_dir():
            raise CommandError(f"No archive written: {zip_path} is a folder, not a file.")
        if not resolved.parent.is_dir():
            raise CommandError(f"No archive written: the folder {zip_path.parent} does not exist.")
