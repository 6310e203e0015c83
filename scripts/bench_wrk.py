"""Throughput under wrk against gunicorn, as bench_scale's second half: pages vs a bare view.

    bench_scale.py calls run(); alone: .venv/bin/python scripts/bench_wrk.py edit-loop SECONDS
    (the editor of the surge scenario, against DATABASE_URL).

gunicorn serves the throwaway database with the production settings of `make serve` plus one
bare `HttpResponse("ok")` view (DJANGO_BENCH_BARE_VIEW=1) behind the same middleware: each
page's requests per second are a ratio to that view's, measured in the same run, so the
figures compare across machines. The page cache is measured on (Redis, a database of its own,
flushed first) and off (DJANGO_PAGE_CACHE=0: a dummy cache). Then the keynote surge: a mix of
public addresses with the cache on, without and with an editor saving a change every 2 s.

Every request accepts gzip, as browsers' do (scripts/paths.lua): a cached page then sends the
bytes compressed when it was stored. BENCH_GZIP=0 asks for uncompressed pages instead.
BENCH_WRK_SECONDS (default 3) sets each page measurement's length, BENCH_REDIS_URL the Redis
database (default redis://127.0.0.1:6379/7; it is flushed).
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "scripts" / "paths.lua"
BARE = "/bench/bare/"
PAGES = [
    ("catalog", "/en/features/"),
    ("catalog q=network", "/en/features/?q=network"),
    ("catalog area+status", "/en/features/?area=networking&status=ga"),
    ("feature", "/en/features/localdns/"),
    ("recap", "/en/"),
]
# The keynote surge: what readers open while the keynote runs, in both languages.
SURGE = [
    "/en/",
    "/ja/",
    "/en/features/",
    "/en/features/?area=networking&status=ga",
    "/en/features/?q=network",
    "/en/features/?status=ga&sort=-updated",
    "/ja/features/?area=networking",
    "/en/features/localdns/",
    "/ja/features/localdns/",
    "/en/features/generated-00001/",
    "/en/sessions/",
    "/en/sessions/brk120/",
    "/ja/sessions/brk120/",
    "/en/speakers/",
    "/en/speakers/brendan-burns/",
    "/en/events/ignite-2025/",
    "/en/changes/",
    "/ja/changes/",
    "/en/features/feed.atom",
    "/en/changes/feed.json",
]
# Five short rounds rather than three long ones: on a shared machine a run of either side
# sometimes stalls, and the median of five shrugs off two such runs.
ROUNDS = 5
SURGE_SECONDS = 10  # each of the surge's two runs, so that the editor saves five times or more
EDIT_EVERY = 2.0
SETTLE_SECONDS = 1  # a bare run thrown away before each measured one (see measure_pages)
EDITED_FEATURE = "localdns"
# Goals of issue 15.
UNCACHED_SHARE = 0.05
CACHED_SHARE = 0.85
CACHED_P99_FACTOR = 2.0
SURGE_SHARE = 0.5
SURGE_MAX_SECONDS = 1.0


@dataclass
class Result:
    rps: float
    p50: float  # seconds
    p99: float
    max: float
    requests: int
    not_ok: int
    errors: int


UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def seconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(report: str) -> Result:
    """The figures of one `wrk --latency` report with paths.lua."""

    def grab(pattern: str, default: str | None = None) -> str:
        found = re.search(pattern, report, re.MULTILINE)
        if found is None:
            if default is None:
                raise ValueError(f"wrk report without {pattern!r}:\n{report}")
            return default
        return found.group(1)

    errors = sum(int(n) for n in re.findall(r"(\d+)", grab(r"Socket errors: (.*)$", "0")))
    return Result(
        rps=float(grab(r"^Requests/sec:\s+([\d.]+)")),
        p50=seconds(grab(r"^\s+50%\s+(\S+)")),
        p99=seconds(grab(r"^\s+99%\s+(\S+)")),
        max=seconds(grab(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)")),
        requests=int(grab(r"^\s+(\d+) requests in")),
        not_ok=int(grab(r"^Responses other than 200: (\d+)")),
        errors=errors,
    )


class Load:
    """wrk with 2 threads and 2 connections per core, against one base address."""

    def __init__(self, base: str, duration: int):
        self.base = base
        self.duration = duration
        self.connections = 2 * (os.cpu_count() or 1)

    def run(self, paths: list[str], duration: int | None = None) -> Result:
        command = [
            "wrk",
            "--threads",
            "2",
            "--connections",
            str(self.connections),
            "--duration",
            f"{duration or self.duration}s",
            "--timeout",
            "10s",  # a slow answer is measured (and counted in Max), not dropped as a timeout
            "--latency",
            "--script",
            str(LUA),
            self.base,
            "--",
            *paths,
        ]
        report = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        return parse_wrk(report)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn as `make serve` runs it, on a free port, for one cache setting."""

    def __init__(self, env: dict[str, str], log: Path):
        self.env, self.log = env, log
        self.base = f"http://{env['GUNICORN_BIND']}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        # Two departures from production: workers are not recycled every 2,000 requests (the
        # bare view would pay for more restarts than a slow page), and there is no control
        # socket (its fixed path would collide with another gunicorn on this machine).
        command = [
            str(gunicorn),
            *("-c", "ignite/gunicorn.conf.py", "--max-requests", "0", "--no-control-socket"),
            "ignite.wsgi",
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {self.log}")
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=2).close()
                return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer within 60 s; see {self.log}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=40)

    def check(self, paths: list[str]) -> None:
        """Every address answers 200 (no redirect, no error page), and is rendered once."""
        for path in paths:
            request = urllib.request.Request(self.base + path)
            with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
                if response.status != 200:
                    raise RuntimeError(f"{path} answered {response.status}, not 200")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise RuntimeError(f"{req.full_url} redirects ({code}) to {newurl}")


def server_env(database_url: str, static_root: Path, port: int, cache_url: str | None) -> dict:
    """The environment of `make serve` (production settings, loopback without HTTPS)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_")) and key not in ("REDIS_URL",)
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=BENCH_SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SITE_DOMAIN=f"127.0.0.1:{port}",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_BENCH_BARE_VIEW="1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_ACCESS_LOG="",
    )
    if cache_url:
        env["REDIS_URL"] = cache_url
        env["DJANGO_CACHE_PREFIX"] = "bench"
    else:
        env["DJANGO_PAGE_CACHE"] = "0"
    return env


BENCH_SECRET_KEY = secrets.token_urlsafe(50)


def collect_static(database_url: str, static_root: Path) -> None:
    env = server_env(database_url, static_root, 0, None)
    manage = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(manage, cwd=ROOT, env=env, check=True)


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def ms(value: float) -> str:
    return f"{value * 1000:.1f}"


def measure_pages(load: Load) -> tuple[list[Result], dict[str, tuple[list, list]]]:
    """Interleaved rounds (bare, page A, bare, page B, …): every bare run, and per page its
    runs and the bare runs just before them.

    Each measured bare run follows a short one that is thrown away: about one bare run in three
    straight after a slow page (the recap, an uncached search) served 2.5 times fewer requests
    than the next, which made the page after it look two or three times better than it was."""
    bare: list[Result] = []
    pages: dict[str, list[Result]] = {name: [] for name, _path in PAGES}
    before: dict[str, list[Result]] = {name: [] for name, _path in PAGES}
    for _round in range(ROUNDS):
        for name, path in PAGES:
            load.run([BARE], duration=SETTLE_SECONDS)  # what the page before left, not measured
            bare.append(load.run([BARE]))
            before[name].append(bare[-1])
            pages[name].append(load.run([path]))
    return bare, {name: (pages[name], before[name]) for name in pages}


def median_result(runs: list[Result]) -> Result:
    """Each figure's median over the runs (one stalled run cannot set a p99), the slowest
    request of all, and every run's faults."""

    def median(figure: str) -> float:
        return statistics.median(getattr(run, figure) for run in runs)

    return Result(
        rps=median("rps"),
        p50=median("p50"),
        p99=median("p99"),
        max=max(run.max for run in runs),
        requests=sum(run.requests for run in runs),
        not_ok=sum(run.not_ok for run in runs),
        errors=sum(run.errors for run in runs),
    )


def verdict(cached: bool, share: float, p99_factor: float) -> str:
    if cached:
        met = share >= CACHED_SHARE and p99_factor <= CACHED_P99_FACTOR
        goal = f"≥{CACHED_SHARE:.0%}, p99 ≤{CACHED_P99_FACTOR:g}×"
    else:
        met, goal = share >= UNCACHED_SHARE, f"≥{UNCACHED_SHARE:.0%}"
    return f"{'met' if met else 'NOT met'} ({goal})"


def paired(runs: list[Result], before: list[Result], figure: str) -> tuple[float, float, float]:
    """The page's figure over the bare view's in the same round, round by round: the median,
    the lowest and the highest. Pairs cancel what drifts between rounds (another job on the
    machine), which a ratio of two medians taken across rounds does not."""
    pairs = zip(runs, before, strict=True)
    ratios = [getattr(page, figure) / getattr(bare, figure) for page, bare in pairs]
    return statistics.median(ratios), min(ratios), max(ratios)


def print_pages(rows: list[tuple[str, bool, list[Result], list[Result]]]) -> None:
    print(
        f"{'page':20} {'cache':5} {'req/s':>8} {'×bare':>6} {'(range)':>13} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'p99×bare':>8}  goal"
    )
    for name, cached, runs, before in rows:
        page = median_result(runs)
        share, low, high = paired(runs, before, "rps")
        p99_factor = paired(runs, before, "p99")[0]
        faults = page.not_ok + page.errors
        note = f"  ({faults} failed)" if faults else ""
        goal = "—" if name == "bare" else verdict(cached, share, p99_factor)
        spread = "" if name == "bare" else f"{low:.3f}–{high:.3f}"
        print(
            f"{name:20} {'on' if cached else 'off':5} {page.rps:>8.1f} {share:>6.3f} "
            f"{spread:>13} {ms(page.p50):>7} {ms(page.p99):>7} {p99_factor:>8.2f}  {goal}{note}"
        )


def run(workdir: Path, database_url: str) -> None:
    """Measure pages against the bare view (page cache on and off), then the keynote surge."""
    duration = int(os.environ.get("BENCH_WRK_SECONDS", "3"))
    cache_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
    static_root = workdir / "static"
    log = workdir / "gunicorn.log"
    collect_static(database_url, static_root)
    load_connections = 2 * (os.cpu_count() or 1)
    accepts = "no gzip" if os.environ.get("BENCH_GZIP") == "0" else "Accept-Encoding: gzip"
    print()
    print(
        f"wrk against gunicorn (production settings, {duration} s per run, 2 threads, "
        f"{load_connections} connections, {accepts}; median of {ROUNDS} interleaved rounds; "
        f"log: {log})"
    )
    rows = []
    for cached in (False, True):
        port = free_port()
        if cached:
            flush_redis(cache_url)
        env = server_env(database_url, static_root, port, cache_url if cached else None)
        with Server(env, log) as server:
            server.check([BARE, *(path for _name, path in PAGES)])
            load = Load(server.base, duration)
            load.run([BARE, *(path for _name, path in PAGES)], duration=2)  # warm every worker
            bare, pages = measure_pages(load)
            rows.append(("bare", cached, bare, bare))
            for name, (runs, before) in pages.items():
                rows.append((name, cached, runs, before))
            if cached:
                surge(server, load, database_url, env)
    print()
    print_pages(rows)
    print(
        f"Medians of {ROUNDS} rounds; ×bare and p99×bare: the median (and range) of each "
        "round's page run over the bare run just before it. "
        f"Goals: uncached ≥ {UNCACHED_SHARE:.0%} of bare, cached ≥ {CACHED_SHARE:.0%} with "
        f"p99 ≤ {CACHED_P99_FACTOR:g}× bare's."
    )
    print_surge()


_surge: dict[str, object] = {}


def surge(server: Server, load: Load, database_url: str, env: dict[str, str]) -> None:
    """The keynote surge: the mix, cache on, quiet and then with an editor saving every 2 s."""
    server.check(SURGE)
    duration = SURGE_SECONDS
    quiet = load.run(SURGE, duration=duration)
    editor_env = {**env, "DJANGO_DEBUG": "1", "DATABASE_URL": database_url}
    editor = subprocess.Popen(
        [sys.executable, __file__, "edit-loop", str(EDIT_EVERY)],
        cwd=ROOT,
        env=editor_env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        if editor.stdout.readline().strip() != "editing":  # Django is set up, a first save made
            raise RuntimeError("the editor did not start")
        edited = load.run(SURGE, duration=duration)
    finally:
        editor.send_signal(signal.SIGTERM)
        output, _ = editor.communicate(timeout=30)
    saves = re.search(r"saves: (\d+), revisions: (\d+)", output or "")
    _surge.update(quiet=quiet, edited=edited, duration=duration)
    _surge["saves"], _surge["revisions"] = map(int, saves.groups()) if saves else (0, 0)


def print_surge() -> None:
    if not _surge:
        return
    quiet, edited = _surge["quiet"], _surge["edited"]
    share = edited.rps / quiet.rps
    met = share >= SURGE_SHARE and edited.max <= SURGE_MAX_SECONDS
    print()
    print(
        f"Keynote surge: {len(SURGE)} public addresses (en and ja), page cache on, "
        f"{_surge['duration']} s each; the editor saved {_surge['saves']} changes "
        f"(one every {EDIT_EVERY:g} s; the content revision advanced {_surge['revisions']})"
    )
    print(f"{'run':12} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>8}  failed")
    for name, result in (("no edits", quiet), ("with edits", edited)):
        print(
            f"{name:12} {result.rps:>8.1f} {ms(result.p50):>7} {ms(result.p99):>7} "
            f"{ms(result.max):>8}  {result.not_ok + result.errors}"
        )
    print(
        f"  edits/no edits {share:.3f}, max {ms(edited.max)} ms: "
        f"{'met' if met else 'NOT met'} (goal: ≥ {SURGE_SHARE:.0%}, no request over "
        f"{SURGE_MAX_SECONDS:g} s)"
    )


def edit_loop(every: float) -> None:
    """Save a change to one feature's summary every `every` seconds, as the admin saves it
    (one transaction, signals and history included), until stopped; print how many."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ignite.settings")
    import django

    django.setup()
    from django.db import transaction
    from django.utils import translation

    from features.models import Feature
    from ignite.models import ContentRevision

    stopped = False

    def stop(*_args) -> None:
        nonlocal stopped
        stopped = True

    signal.signal(signal.SIGTERM, stop)
    saves = 0
    first = ContentRevision.current().number
    translation.activate("en")
    while not stopped:
        started = time.monotonic()
        with transaction.atomic():
            feature = Feature.objects.select_for_update().get(slug=EDITED_FEATURE)
            base = re.sub(r" \(edit \d+\)$", "", feature.summary)
            feature.summary = f"{base} (edit {saves + 1})"
            feature.save()
        saves += 1
        if saves == 1:
            print("editing", flush=True)
        time.sleep(max(0.0, every - (time.monotonic() - started)))
    revisions = ContentRevision.current().number - first
    print(f"saves: {saves}, revisions: {revisions}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "edit-loop":
        edit_loop(float(sys.argv[2]))
    else:
        sys.exit(__doc__)
