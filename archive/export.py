"""The static archive: every public page in every language, rendered as production renders
them, with links that work from disk and on any static host (see README, "Static archive").

It runs in two passes. The crawl renders each address of the registry (archive.registry)
through the site's whole middleware stack, as an anonymous reader would get it, and follows
every link to the site it finds. Then each answer is written to the file its address and type
give it (archive.addresses), its links rewritten to those files.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
import zipfile
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.middleware.csp import get_nonce
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import override_settings
from django.utils import translation

from ignite.static_archive import ENVIRON_KEY

from . import documents
from .addresses import UnsafeAddress, archive_file, canonical, pretty, relative_href, rooted_href
from .registry import Entry, Generated, Page, archive_entries

# A runaway crawl (a page linking to ever new addresses) stops here with a clear message.
MAX_ADDRESSES = 50_000
MAX_REDIRECTS = 10
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
# Every file in the archive (and in the zip) gets this time: byte-identical exports.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

Progress = Callable[[int, int, str], None]


class ArchiveError(Exception):
    """The archive could not be made (reported to the operator; nothing is left half-written)."""


@dataclass
class Answer:
    """What one address gave: a page or file to write, or a redirect to follow."""

    address: str
    status: int
    content_type: str = ""
    body: bytes = b""
    location: str = ""  # a redirect's canonical target (or an absolute external address)
    entry: Entry | None = None
    nonce: str = ""


@dataclass
class Report:
    pages: int = 0
    redirects: int = 0
    other_files: int = 0
    static_files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    files: list[str] = field(default_factory=list)
    # (file, address) of each link to an address of the site the archive does not hold.
    broken_links: list[tuple[str, str]] = field(default_factory=list)
    # Addresses the registry named that did not answer as expected: (address, status).
    failed: list[tuple[str, int]] = field(default_factory=list)

    @property
    def file_count(self) -> int:
        return len(self.files)


def normalise_site_url(site_url: str) -> str:
    """The address the archive will be served at, ending in "/"; ValueError if it is not an
    absolute http(s) address."""
    parts = urlsplit(site_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(site_url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


@contextmanager
def production_rendering(static_root: Path, host: str):
    """Settings under which pages render as in production: DEBUG off (the real 404 page),
    static files under their hashed names (collected into `static_root`), the render host
    allowed, no HTTPS redirect (the export asks over no network at all)."""
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(
        DEBUG=False,
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, host.rsplit(":", 1)[0]],
        SECURE_SSL_REDIRECT=False,
        STORAGES=storages,
        STATIC_ROOT=str(static_root),
    ):
        yield


class Crawl:
    """Renders the registry's addresses and everything they link to."""

    def __init__(self, entries: Iterable[Entry], *, origin: str, static_root: Path, progress):
        self.origin = origin
        self.scheme, self.host = origin.split("://", 1)
        hosts = {self.host}
        if "django.contrib.sites" in settings.INSTALLED_APPS:
            # The sitemap's addresses name the Site row's domain.
            site = Site.objects.filter(pk=settings.SITE_ID).values_list("domain", flat=True)
            hosts.update(site)
        self.origins = sorted(f"{self.scheme}://{host}" for host in hosts)
        self.absolute = documents.absolute_url_pattern(self.origins)
        self.static_root = static_root
        self.static_prefix = urlsplit(settings.STATIC_URL).path
        self.excluded = ("/" + settings.ADMIN_URL, "/healthz")
        self.progress = progress
        self.client = Client(raise_request_exception=True)
        self.answers: dict[str, Answer] = {}
        self.static: dict[str, Path] = {}
        self.missing_static: set[str] = set()
        self.entries: dict[str, Entry] = {}
        self.queue: deque[str] = deque()
        self.seen: set[str] = set()
        for entry in entries:
            address = canonical(entry.url)
            if address not in self.entries:
                self.entries[address] = entry
                self.queue.append(address)
                self.seen.add(address)

    # Addresses ------------------------------------------------------------------------------

    def site_address(self, value: str, base: str) -> str | None:
        """The canonical address on the site a link points at (None: another site, a fragment,
        mail…). `base` is the address of the document the link is in."""
        value = value.strip()
        if not value or value.startswith("#"):
            return None
        absolute = urljoin(self.origin + base, value)
        parts = urlsplit(absolute)
        if f"{parts.scheme}://{parts.netloc}" not in self.origins:
            return None
        return canonical(absolute)

    def is_absolute(self, value: str) -> bool:
        return bool(urlsplit(value.strip()).scheme) or value.strip().startswith("//")

    def _skipped(self, address: str) -> bool:
        path = urlsplit(address).path
        return path.startswith(self.excluded)

    def is_static(self, address: str) -> bool:
        return urlsplit(address).path.startswith(self.static_prefix)

    # Crawling --------------------------------------------------------------------------------

    def run(self) -> None:
        while self.queue:
            address = self.queue.popleft()
            if self.progress:
                self.progress(len(self.answers), len(self.answers) + len(self.queue) + 1, address)
            self.answers[address] = self._answer(address, self.entries.get(address))
            self._follow(self.answers[address])
        if self.progress:
            self.progress(len(self.answers), len(self.answers), "")

    def _enqueue(self, address: str | None) -> None:
        if address is None or self._skipped(address):
            return
        if self.is_static(address):
            self._add_static(urlsplit(address).path)
            return
        if address in self.seen:
            return
        if len(self.seen) >= MAX_ADDRESSES:
            raise ArchiveError(
                f"More than {MAX_ADDRESSES} addresses: the pages link to ever new ones "
                f"(the last was {address})."
            )
        self.seen.add(address)
        self.queue.append(address)

    def _answer(self, address: str, entry: Entry | None) -> Answer:
        if isinstance(entry, Generated):
            try:
                body = entry.render()
            except Exception as error:
                raise ArchiveError(f"{address} could not be made: {error!r}") from error
            return Answer(address, 200, entry.content_type, body, entry=entry)
        try:
            response = self.client.get(
                address, secure=self.scheme == "https", HTTP_HOST=self.host, **{ENVIRON_KEY: "1"}
            )
        except Exception as error:
            raise ArchiveError(f"{address} could not be rendered: {error!r}") from error
        finally:
            self.client.cookies.clear()  # every page as a first-time reader gets it
        if response.status_code in REDIRECT_STATUSES:
            target = urljoin(self.origin + address, response["Location"])
            location = self.site_address(target, address) or target
            return Answer(address, response.status_code, location=location, entry=entry)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        nonce = get_nonce(response.wsgi_request)
        return Answer(
            address,
            response.status_code,
            response.get("Content-Type", "application/octet-stream"),
            body,
            entry=entry,
            nonce=str(nonce) if nonce else "",
        )

    def expected(self, answer: Answer) -> bool:
        wanted = answer.entry.status if isinstance(answer.entry, Page) else 200
        return answer.status == wanted

    def _follow(self, answer: Answer) -> None:
        if answer.location:
            if answer.location.startswith("/"):
                self._enqueue(answer.location)
            return
        if not self.expected(answer):
            return
        for value in self.links(answer.address, answer.content_type, answer.body):
            self._enqueue(self.site_address(value, answer.address))

    def links(self, address: str, content_type: str, body: bytes) -> Iterable[str]:
        kind = media_kind(content_type)
        if kind == "binary":
            return []
        text = body.decode("utf-8", errors="replace")
        found = list(documents.text_links(text, self.absolute, markup=kind in ("html", "xml")))
        if kind == "html":
            found += documents.html_links(documents.parse_html(text))
        elif kind == "css":
            found += documents.css_links(text)
        return found

    def _add_static(self, path: str) -> None:
        if path in self.static or path in self.missing_static:
            return
        name = unquote(path.removeprefix(self.static_prefix))
        source = (self.static_root / name).resolve()
        if not source.is_file() or not source.is_relative_to(self.static_root.resolve()):
            self.missing_static.add(path)
            return
        self.static[path] = source
        if source.suffix == ".css":
            for value in documents.css_links(source.read_text(encoding="utf-8")):
                self._enqueue(self.site_address(value, path))


def media_kind(content_type: str) -> str:
    media_type = content_type.split(";")[0].strip().lower()
    if media_type in ("text/html", "application/xhtml+xml"):
        return "html"
    if media_type == "text/css":
        return "css"
    if media_type.endswith(("/xml", "+xml")):
        return "xml"
    if media_type.startswith("text/") or media_type in (
        "application/json",
        "application/feed+json",
        "application/javascript",
    ):
        return "text"
    return "binary"


class Writer:
    """Writes the crawl's answers into a folder, each link pointing at the file it names."""

    def __init__(self, crawl: Crawl, site_url: str):
        self.crawl = crawl
        self.site_url = site_url
        self.base_path = urlsplit(site_url).path if site_url else "/"
        self.files: dict[str, str] = {}  # address → file, for every page and file written
        self.report = Report()
        taken: set[str] = set()
        for address, answer in sorted(crawl.answers.items()):
            if not answer.location and crawl.expected(answer):
                entry = answer.entry
                name = getattr(entry, "file", "") or archive_file(address, answer.content_type)
                if name not in taken:  # two spellings of one page: the first (sorted) wins
                    self.files[address] = name
                    taken.add(name)

    def file_of(self, address: str) -> str | None:
        """The file an address ends at, through redirects (None: not in the archive)."""
        for _step in range(MAX_REDIRECTS):
            if address in self.files:
                return self.files[address]
            if self.crawl.is_static(address):
                path = urlsplit(address).path
                return unquote(path.lstrip("/")) if path in self.crawl.static else None
            answer = self.crawl.answers.get(address)
            if answer is None or not answer.location.startswith("/"):
                return None
            address = answer.location
        return None

    # Links ----------------------------------------------------------------------------------

    def _relative_link(self, value: str, address: str, own_file: str, rooted: bool) -> str | None:
        """A link in an HTML attribute or CSS as the archive writes it (None: unchanged)."""
        if self.crawl.is_absolute(value):
            return None  # absolute addresses are the text pass's (or stay as they are)
        target = self.crawl.site_address(value, address)
        if target is None:
            return None
        fragment = urlsplit(value).fragment
        found = self.file_of(target)
        if found is None:
            self.report.broken_links.append((own_file, target))
            try:
                found = archive_file(target)
            except UnsafeAddress:
                return None
        if rooted:
            return rooted_href(self.base_path, found, fragment)
        return relative_href(own_file, found, fragment)

    def _public_link(self, value: str) -> str | None:
        """An absolute address of the site as the archive's public address (with --site-url)."""
        target = self.crawl.site_address(value, "/")
        found = self.file_of(target) if target else None
        if found is None:
            return None
        fragment = urlsplit(value).fragment
        href = rooted_href(self.site_url, pretty(found))
        return f"{href}#{fragment}" if fragment else href

    # Documents ------------------------------------------------------------------------------

    def render(self, answer: Answer, own_file: str) -> bytes:
        kind = media_kind(answer.content_type)
        if kind == "binary" or (kind in ("text", "xml") and not self.site_url):
            return answer.body
        text = answer.body.decode("utf-8")
        rooted = isinstance(answer.entry, Page) and answer.entry.rooted

        def relative(value: str) -> str | None:
            return self._relative_link(value, answer.address, own_file, rooted)

        if kind == "html":
            text = documents.rewrite_html(documents.parse_html(text), relative)
        elif kind == "css":
            text = documents.rewrite_css(text, relative)
        if self.site_url:
            markup = kind in ("html", "xml")
            text = documents.rewrite_text(text, self.crawl.absolute, self._public_link, markup)
        if kind == "html":
            parsed = documents.parse_html(text)
            policy = documents.archive_policy(settings.SECURE_CSP, parsed)
            text = documents.insert_csp_meta(text, parsed, policy)
            if answer.nonce and answer.nonce in text:
                raise ArchiveError(f"{answer.address} carries its server nonce outside a nonce=.")
        return text.encode()

    def redirect_stub(self, address: str, own_file: str) -> bytes | None:
        target = self.file_of(address)
        if target is None:
            return None
        language = address.strip("/").split("/", 1)[0]
        codes = [code for code, _name in settings.LANGUAGES]
        with translation.override(language if language in codes else settings.LANGUAGE_CODE):
            text = render_to_string(
                "archive/redirect.html", {"target": relative_href(own_file, target)}
            )
        parsed = documents.parse_html(text)
        policy = documents.archive_policy(settings.SECURE_CSP, parsed)
        return documents.insert_csp_meta(text, parsed, policy).encode()

    def write(self, folder: Path, progress: Progress | None) -> Report:
        outputs: dict[str, bytes] = {}
        answers = sorted(self.crawl.answers.items())
        for done, (address, answer) in enumerate(answers):
            if progress:
                progress(done, len(answers), address)
            if answer.location:
                continue
            if not self.crawl.expected(answer):
                self.report.failed.append((address, answer.status))
                continue
            own_file = self.files.get(address)
            if own_file is None:
                continue
            content = self.render(answer, own_file)
            outputs[own_file] = content
            for alias in getattr(answer.entry, "aliases", ()):
                outputs[alias] = self.render(answer, alias)
            if media_kind(answer.content_type) == "html":
                self.report.pages += 1 + len(getattr(answer.entry, "aliases", ()))
            else:
                self.report.other_files += 1
        for address, answer in answers:
            if not answer.location:
                continue
            try:
                own_file = archive_file(address)
            except UnsafeAddress:
                continue
            if own_file in outputs:
                continue  # a page of its own lives there: the redirect is only a spelling of it
            if (stub := self.redirect_stub(address, own_file)) is not None:
                outputs[own_file] = stub
                self.report.redirects += 1
        for path, source in sorted(self.crawl.static.items()):
            name = unquote(path.lstrip("/"))
            body = source.read_bytes()
            if source.suffix == ".css":
                answer = Answer(path, 200, "text/css", body)
                body = self.render(answer, name)
            outputs[name] = body
            self.report.static_files += 1
        for path in sorted(self.crawl.missing_static):
            self.report.broken_links.append(("(static)", path))
        for name, content in sorted(outputs.items()):
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            self.report.bytes += len(content)
        self.report.files = sorted(outputs)
        self.report.broken_links = sorted(set(self.report.broken_links))
        return self.report


def write_zip(folder: Path, zip_path: Path, files: list[str]) -> None:
    """The archive as a zip with one top folder named like the file; byte-identical for the
    same files (fixed times and permissions, sorted entries), written beside and renamed."""
    top = zip_path.stem
    temporary = zip_path.with_name(f".{zip_path.name}.{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in files:
                info = zipfile.ZipInfo(f"{top}/{name}", date_time=ZIP_TIME)
                info.create_system = 3  # Unix, so the permissions below mean what they say
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, (folder / name).read_bytes(), compresslevel=9)
        os.replace(temporary, zip_path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def looks_like_an_archive(folder: Path) -> bool:
    """Whether a folder holds an earlier archive (which --replace may replace)."""
    return (folder / "index.html").is_file() and (folder / "404.html").is_file()


def _replace_folder(staging: Path, destination: Path) -> None:
    """Put the new archive where the old one was: the old one goes only once the new one is
    complete, so a failed export never leaves a half-written folder."""
    if destination.exists():
        retired = destination.with_name(f".{destination.name}.old-{os.getpid()}")
        os.replace(destination, retired)
        os.replace(staging, destination)
        shutil.rmtree(retired)
    else:
        os.replace(staging, destination)


@contextmanager
def _quiet_not_found():
    """The 404 pages are rendered on purpose, and missing pages are in the report: Django's
    request log need not warn about each (errors are still logged)."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def export_site(
    output: Path | None = None,
    *,
    zip_path: Path | None = None,
    site_url: str = "",
    sources=(),
    progress: Progress | None = None,
) -> Report:
    """Export every public page in every language, with what they link to, into `output`
    (replaced as a whole) and/or a zip. `site_url` (normalised, see normalise_site_url) is
    where the archive will be served: absolute addresses of the site are rewritten to it, and
    error pages link from its path."""
    started = time.monotonic()
    origin = f"{settings.SITE_SCHEME}://{settings.SITE_DOMAIN}"
    work_parent = output.resolve().parent if output else None
    with (
        tempfile.TemporaryDirectory(prefix="ignite-archive-") as work,
        tempfile.TemporaryDirectory(prefix=".ignite-archive-", dir=work_parent) as staging_dir,
        translation.override(translation.get_language()),
    ):
        static_root = Path(work) / "static"
        with production_rendering(static_root, settings.SITE_DOMAIN):
            call_command("collectstatic", interactive=False, verbosity=0)
            crawl = Crawl(
                archive_entries(sources), origin=origin, static_root=static_root, progress=progress
            )
            with _quiet_not_found():
                crawl.run()
            staging = Path(staging_dir) / "archive"
            staging.mkdir()
            report = Writer(crawl, site_url).write(staging, progress)
        if zip_path:
            write_zip(staging, zip_path, report.files)
        if output:
            _replace_folder(staging, output)
    report.seconds = time.monotonic() - started
    return report
