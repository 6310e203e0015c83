"""How the site scales: the same pages at launch size and with N generated features.

    .venv/bin/python scripts/bench_scale.py [N]        (make bench-scale; N defaults to 10,000)

Everything runs on a throwaway SQLite database, or on PostgreSQL when BENCH_DATABASE_URL names
one (`make bench-scale DB=postgres`: the database is created here, and dropped at the end).
First, in this process with the page cache off so each render is a cold one, per page: SQL
queries, median render time (and its ratio to launch size), and the HTML size. The launch-size
database is kept as a copy, and the two sizes are measured in interleaved rounds, so a drift in
the machine's speed moves both sides of a ratio alike. Then
(scripts/bench_wrk.py; BENCH_WRK=0 skips it) wrk against gunicorn: each page's throughput as a
share of a bare view's, page cache on and off, and the keynote surge with and without edits.
Last, the import of the whole content as one file against Django's loaddata of the same rows.
Ratios are what to compare: the machines are shared and noisy.

Not measured here (see the README's scale notes): two servers on one PostgreSQL.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
WORKDIR = Path(tempfile.mkdtemp(prefix="bench-scale-"))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
)
os.environ.pop("REDIS_URL", None)  # in process, no page cache; bench_wrk chooses its own
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ignite.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import dj_database_url  # noqa: E402
import django  # noqa: E402
from psycopg import sql as psycopg_sql  # noqa: E402

django.setup()

import bench_wrk  # noqa: E402
from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, reset_queries  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from features.generated import generate_features  # noqa: E402
from ignite.models import ContentRevision  # noqa: E402

PAGES = [
    ("recap", "/en/"),
    ("recap (ja)", "/ja/"),
    ("catalog", "/en/features/"),
    ("catalog q=network", "/en/features/?q=network"),
    # A Japanese word found in one generated feature in eight (network: in nineteen of twenty).
    (
        "catalog q=ネットワーク (ja)",
        "/ja/features/?q=%E3%83%8D%E3%83%83%E3%83%88%E3%83%AF%E3%83%BC%E3%82%AF",
    ),
    ("catalog area+status", "/en/features/?area=networking&status=ga"),
    ("feature", "/en/features/localdns/"),
    ("session BRK120", "/en/sessions/brk120/"),
    ("speaker", "/en/speakers/brendan-burns/"),
    ("event", "/en/events/ignite-2025/"),
    ("changes", "/en/changes/"),
    ("feed (Atom)", "/en/features/feed.atom"),
    ("sitemap index", "/sitemap.xml"),
    ("sitemap features p1", "/sitemap-features.xml"),
]
ROUNDS = 5
RENDERS = 2  # timed renders of a page per round and database
SNAPSHOTS: list[str] = []  # PostgreSQL databases to drop at the end
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def measure(client: Client, databases: dict[str, str]) -> dict[str, dict[str, tuple]]:
    """{database: {page: (queries, median seconds, bytes)}}, each page rendered cold in
    ROUNDS interleaved rounds (launch size, then N, then launch size again…), so a machine
    that slows down or speeds up midway moves both sides of a ratio alike."""
    times: dict[str, dict[str, list[float]]] = {db: {} for db in databases}
    last: dict[str, dict[str, tuple[int, int]]] = {db: {} for db in databases}
    for name, address in PAGES:
        for _round in range(ROUNDS):
            for db, database_name in databases.items():
                use_database(database_name)
                client.get(address)  # connect, warm the process (templates), not the data
                for _ in range(RENDERS):
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        response = client.get(address)
                        times[db].setdefault(name, []).append(time.perf_counter() - started)
                    assert response.status_code == 200, (address, response.status_code)
                last[db][name] = (len(queries), len(response.content))
    return {
        db: {
            name: (last[db][name][0], statistics.median(times[db][name]), last[db][name][1])
            for name, _address in PAGES
        }
        for db in databases
    }


def use_database(name: str) -> None:
    """Point this process's connection at another database of the same server (or file)."""
    if connection.settings_dict["NAME"] != name:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection._feature_search_ready = None  # asked again of this database
    ContentRevision.forget_recent()


def snapshot(suffix: str) -> str:
    """A copy of the database as it is now, by name (a file for SQLite, a database created
    from this one as template on PostgreSQL, dropped with the throwaway one)."""
    if connection.vendor == "sqlite":
        copy = str(WORKDIR / f"bench-{suffix}.sqlite3")
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        connection.connection.backup(target)
        target.close()
        return copy
    copy = f"{connection.settings_dict['NAME']}_{suffix}"
    connections.close_all()
    with admin_connection() as admin:
        admin.execute(
            psycopg_sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                psycopg_sql.Identifier(copy),
                psycopg_sql.Identifier(connection.settings_dict["NAME"]),
            )
        )
    SNAPSHOTS.append(copy)
    return copy


def manage(*arguments: str) -> None:
    """A management command as an operator runs it on the server: its own process, with the
    production settings (so no query logging), on this run's database."""
    connections.close_all()
    env = bench_wrk.server_env(os.environ["DATABASE_URL"], WORKDIR / "static", 0, None)
    command = [sys.executable, "manage.py", *arguments]
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def machine() -> str:
    """The CPU model and how many cores this process may use."""
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{model}, {len(os.sched_getaffinity(0))} cores"


def database() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def admin_connection():
    """A connection to the PostgreSQL server's own `postgres` database (to create and drop)."""
    import psycopg

    settings = dj_database_url.parse(os.environ["DATABASE_URL"])
    return psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


@contextmanager
def throwaway_postgresql(url: str):
    """Create the PostgreSQL database `url` names, and drop it and its snapshots afterwards
    (nothing for SQLite). An existing database is refused: it might not be a throwaway one."""
    settings = dj_database_url.parse(url)
    if "postgresql" not in settings["ENGINE"]:
        yield
        return
    name = settings["NAME"]
    with admin_connection() as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            sys.exit(f"The database {name} exists already; drop it first (dropdb {name}).")
        admin.execute(psycopg_sql.SQL("CREATE DATABASE {}").format(psycopg_sql.Identifier(name)))
    try:
        yield
    finally:
        connections.close_all()
        with admin_connection() as admin:
            for database in [*SNAPSHOTS, name]:
                drop = "DROP DATABASE IF EXISTS {} WITH (FORCE)"
                admin.execute(psycopg_sql.SQL(drop).format(psycopg_sql.Identifier(database)))


def main() -> None:
    with throwaway_postgresql(os.environ["DATABASE_URL"]):
        bench(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)


def bench(count: int) -> None:
    quiet = {"stdout": StringIO(), "stderr": StringIO()}
    started_at = time.perf_counter()
    print(f"Machine: {machine()}")
    print(f"Throwaway database: {os.environ['DATABASE_URL']}")
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_content", **quiet)
    client = Client()
    uncached = {"CACHES": NO_CACHE, "PAGE_CACHE_LOCAL_BYTES": 0}
    with override_settings(**uncached, DEBUG=True, ALLOWED_HOSTS=["testserver"]):
        launch = snapshot("launch")  # the launch-size database, measured beside the large one
        started = time.perf_counter()
        total = generate_features(count)
        seconds = time.perf_counter() - started
        print(f"Generated {count:,} features in {seconds:.1f} s ({total:,} in all)")
        if connection.vendor == "postgresql":
            # What autovacuum does within a minute of a bulk load: statistics for the planner
            # and the visibility map for index-only scans. Measured without it, PostgreSQL
            # plans for an empty table.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            print("PostgreSQL: VACUUM ANALYZE after the load, as autovacuum would")
        print(f"Database: {database()}")
        reset_queries()
        large_name = connection.settings_dict["NAME"]
        found = measure(client, {"small": launch, "large": large_name})
        small, large = found["small"], found["large"]
        use_database(large_name)

    print()
    print(f"In process, page cache off; medians of {ROUNDS} interleaved rounds × {RENDERS} renders")
    print(f"{'page':26} {'queries':>9} {'ms @13':>8} {'ms @N':>8} {'ratio':>6} {'KB @N':>7}  goal")
    for name, _address in PAGES:
        q_small, t_small, _b = small[name]
        q_large, t_large, b_large = large[name]
        ratio = t_large / t_small
        goal = "met" if ratio <= 2 and b_large <= 100 * 1024 else "NOT met"
        if name.startswith("sitemap"):  # XML for crawlers: bounded per page, not to 100 KB
            goal = "met" if ratio <= 2 else "NOT met"
        print(
            f"{name:26} {q_small:>4}→{q_large:<4} {t_small * 1000:>8.1f} {t_large * 1000:>8.1f} "
            f"{ratio:>6.2f} {b_large / 1024:>7.1f}  {goal}"
        )

    if os.environ.get("BENCH_WRK", "1") != "0":
        bench_wrk.run(WORKDIR, os.environ["DATABASE_URL"])

    export = WORKDIR / "content.json"
    fixture = WORKDIR / "fixture.json"
    call_command("export_content", "--include-drafts", "--output", str(export), **quiet)
    # The same rows as plain fixtures: the content models, without their history tables.
    models = [
        model._meta.label
        for label in ("ignite_sessions", "features")
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    ]
    call_command("dumpdata", *models, "--output", str(fixture), **quiet)
    flush = lambda: call_command("flush", "--noinput", verbosity=0)  # noqa: E731
    flush()
    imported = timed(lambda: manage("import_content", str(export)))
    flush()
    loaded = timed(lambda: manage("loaddata", str(fixture)))
    print()
    print(f"Import of {total:,} features: import_content {imported:.1f} s, loaddata {loaded:.1f} s")
    print(
        f"  ratio {imported / loaded:.2f} (goal: at most 0.5) — validated, all-or-nothing; "
        "each in its own process, production settings"
    )
    print()
    print(f"The whole bench took {(time.perf_counter() - started_at) / 60:.1f} minutes.")


if __name__ == "__main__":
    main()
