"""Benchmark at integrated-care-system scale, on SQLite and PostgreSQL, against the database floor.

Usage (from the repository root; a full run takes about a quarter of an hour on 2 cores):

    .venv/bin/python bench/run.py                      # everything, both databases
    .venv/bin/python bench/run.py --databases postgresql --scale 1 --curve none --samples 5
    .venv/bin/python bench/run.py --only representativeness --no-small --no-import

For each database and each size it creates a throwaway database (PostgreSQL: on the local server
at 127.0.0.1:5432 as user postgres; SQLite: a temporary file), upgrades it with the migrations and
fills it with ``flask demo seed --scale N`` (in-process). Then, with a warm-up and repeated
samples (median and p95), it measures each page of ``pages.MEASURES`` through the Flask test client
(in-process: routing, sign-in, session, SQL, templates; no HTTP server), each command through
click's runner (in-process, without interpreter start-up), and the import of a generated
100,000-row workforce file through ``flask import workforce FILE --as-of``. Beside each it runs
the floor: the same figures from one hand-written SQL query (``floors.py``), or for the import a
PostgreSQL ``COPY`` of the same file (SQLite: an executemany) into an unindexed table.

It prints each ratio (app / floor) and writes its section of bench/RESULTS.md ("## Scale";
other sections are left as they are). Not a test: nothing here fails the build.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import math
import os
import platform
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pyotp  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from floors import floor_sql  # noqa: E402
from pages import MEASURES, SWEEP_ROLES, SWEEP_SKIP, Measure  # noqa: E402
from results import RESULTS, write_section  # noqa: E402

from recruit import create_app  # noqa: E402
from recruit.extensions import db  # noqa: E402

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PASSWORD = "demo-password-2024"
IMPORT_ROWS = 100_000
IMPORT_TARGET_ROWS_PER_S = 20_000
SMALL_TARGET_MS = 100
SECTION = "## Scale"


@dataclass
class Timing:
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Result:
    database: str
    scale: str
    name: str
    app: Timing | None = None
    floor: Timing | None = None
    statements: int | None = None
    size_kib: int | None = None
    note: str = ""
    measure: Measure | None = None
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.app is None or self.floor is None or not self.floor.median:
            return None
        return self.app.median / self.floor.median


def fetch(client, url: str):
    """GET ``url`` and read the whole body, as a browser would.

    A download streams its body after the view returns: timing the request without reading it
    would time nothing, and leave its generator open while the next request runs.
    """
    response = client.get(url)
    response.get_data()
    return response


def timed(action: Callable[[], object], warmup: int, samples: int) -> Timing:
    for _ in range(warmup):
        action()
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return Timing(times)


# -- Databases --------------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_database(kind: str, tag: str, keep: bool = False):
    """A new empty database; dropped afterwards unless ``keep``."""
    name = f"recruit_bench_{os.getpid()}_{tag}".replace(".", "_")
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="recruit-bench-"))
        try:
            yield f"sqlite:///{folder / (name + '.db')}"
        finally:
            if not keep:
                for path in folder.iterdir():
                    path.unlink()
                folder.rmdir()
        return
    admin = sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        if not keep:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_app(url: str):
    return create_app("development", SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False,
                      SECRET_KEY="benchmark-only")  # noqa: S106


def build(app, scale: float | None) -> float:
    """Upgrade to the head migration and seed (``None``: the small demo); seconds taken."""
    import logging

    from flask_migrate import upgrade

    from recruit.demo import large
    from recruit.demo import seed as demo_seed

    with app.app_context():
        upgrade()
        logging.getLogger("alembic").setLevel(logging.WARNING)
        start = time.perf_counter()
        if scale is None:
            demo_seed.run(echo=lambda _line: None)
            large.analyse()
        else:
            large.seed_large(scale, echo=lambda _line: None)
        seconds = time.perf_counter() - start
        if db.engine.dialect.name == "postgresql":  # write the load out now, not mid-measurement
            with db.engine.connect() as connection:
                connection.execute(sa.text("CHECKPOINT"))
        return seconds


def serving() -> None:
    """Leave the process as wsgi.py leaves a worker: start-up objects frozen out of the GC."""
    gc.collect()
    gc.freeze()


def lookup_ids(app) -> dict:
    """Rows the measured pages open, chosen the same way on every database."""
    q = {
        "participant": "SELECT participant_id FROM status_changes WHERE participant_id IS NOT "
                       "NULL GROUP BY participant_id ORDER BY count(*) DESC, participant_id "
                       "LIMIT 1",
        "busy_ward": "SELECT ward_id FROM participants WHERE status = 'completed' GROUP BY "
                     "ward_id ORDER BY count(*) DESC, ward_id LIMIT 1",
        "snapshot": "SELECT id FROM workforce_snapshots WHERE source_kind = 'person_extract' "
                    "ORDER BY as_of DESC LIMIT 1",
        "as_of": "SELECT max(as_of) FROM workforce_snapshots WHERE source_kind = "
                 "'person_extract'",
    }
    with app.app_context(), db.engine.connect() as connection:
        ids = {key: connection.execute(sa.text(sql)).scalar() for key, sql in q.items()}
        counts = {table: connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
                  for table in ("workforce_records", "participants", "status_changes",
                                "partner_organisations", "outreach_activities", "cohorts",
                                "wards", "population_statistics")}
    as_of = ids["as_of"]
    if isinstance(as_of, str):
        as_of = date.fromisoformat(as_of)
    ids["as_of"] = as_of.isoformat() if as_of else None
    ids["year_before"] = (as_of.replace(year=as_of.year - 1).isoformat() if as_of else None)
    ids["status"] = "completed"
    ids["ward"] = ids["busy_ward"]
    ids["counts"] = counts
    if as_of:
        ids.update(period_params(as_of))
    return ids


def period_params(as_of: date) -> dict:
    """The dashboard's default period (the quarter of the newest snapshot) and its year."""
    quarter = quarter_of(as_of)
    year, number = int(quarter[:4]), int(quarter[-1])
    month = 4 + 3 * (number - 1)
    start = date(year + (month > 12), (month - 1) % 12 + 1, 1)
    end = date(start.year + (start.month + 3 > 12), (start.month + 2) % 12 + 1, 1) \
        - timedelta(days=1)
    year_start, year_end = date(year, 4, 1), date(year + 1, 3, 31)
    params = {"quarter": quarter, "guarantee_days": 56}
    for suffix, (first, last) in (("", (start, end)), ("_year", (year_start, year_end))):
        params.update({
            f"start{suffix}": f"{first.isoformat()} 00:00:00",
            f"end{suffix}": f"{(last + timedelta(days=1)).isoformat()} 00:00:00",
            f"start_day{suffix}": first.isoformat(), f"end_day{suffix}": last.isoformat(),
            f"sustained_from{suffix}": (first - timedelta(days=182)).isoformat(),
            f"sustained_to{suffix}": (last - timedelta(days=182)).isoformat(),
        })
    return params


def quarter_of(day: date) -> str:
    """The financial quarter containing ``day``: April to June is Q1."""
    year = day.year if day.month >= 4 else day.year - 1
    return f"{year}-Q{(day.month - 4) % 12 // 3 + 1}"


# -- Signing in and counting statements -------------------------------------------------------


class Clients:
    """One signed-in test client per role (the admin gets a second factor set up first)."""

    def __init__(self, app) -> None:
        self.app = app
        self._clients: dict = {}

    def __getitem__(self, role: str):
        if role not in self._clients:
            self._clients[role] = self._sign_in(role)
        return self._clients[role]

    def _sign_in(self, role: str):
        from recruit.models import Role, User
        from recruit.models.base import utcnow

        with self.app.app_context():
            user = db.session.scalar(sa.select(User).where(User.role == Role[role])
                                     .order_by(User.id))
            if user is None:
                return None
            if role == "admin" and not user.totp_secret:
                user.totp_secret, user.totp_enabled_at = pyotp.random_base32(), utcnow()
                db.session.commit()
            email, secret = user.email, user.totp_secret
        client = self.app.test_client()
        response = client.post("/login", data={"email": email, "password": PASSWORD})
        if secret:
            client.post("/login/two-factor", data={"code": pyotp.TOTP(secret).now()})
        return client if response.status_code == 302 else None


class StatementCounter:
    def __init__(self, engine) -> None:
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args) -> None:
        self.count += 1


def fill(value, ids: dict):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids.get(value[1:-1])
    if isinstance(value, str):
        return value.format(**{k: v for k, v in ids.items() if not isinstance(v, dict)})
    return value


# -- Measuring --------------------------------------------------------------------------------


def measure_page(app, clients: Clients, counter: StatementCounter, measure: Measure, ids: dict,
                 args, label: str, scale: str) -> Result:
    result = Result(label, scale, measure.name, measure=measure)
    if measure.endpoint not in app.view_functions:
        result.note = "not built yet"
        return result
    client = clients[measure.role]
    if client is None:
        result.note = f"no {measure.role} user"
        return result
    params = {k: fill(v, ids) for k, v in measure.params.items()}
    with app.test_request_context():
        from flask import url_for

        url = url_for(measure.endpoint, **params)
    response = fetch(client, url)
    if response.status_code != 200:
        result.note = f"answered {response.status_code}"
        return result
    result.size_kib = len(response.data) // 1024
    before = counter.count
    fetch(client, url)
    result.statements = counter.count - before
    result.app = timed(lambda: fetch(client, url), args.warmup, args.samples)
    return result


def measure_command(app, measure: Measure, ids: dict, args, label: str, scale: str,
                    workdir: Path) -> Result:
    result = Result(label, scale, measure.name, measure=measure)
    group = measure.command[0]
    if group not in app.cli.commands:
        result.note = "not built yet"
        return result
    runner = app.test_cli_runner()
    values = dict(ids, pdf=str(workdir / "board-pack.pdf"))
    command = [fill(part, values) for part in measure.command]
    outcome = runner.invoke(args=command)
    if outcome.exit_code != 0:
        result.note = f"exit {outcome.exit_code}: {(outcome.output or '')[-200:].strip()}"
        return result
    heavy = measure.target_ms is not None and measure.target_ms >= 1000
    warmup, samples = (1, max(3, args.samples // 3)) if heavy else (args.warmup, args.samples)
    result.app = timed(lambda: runner.invoke(args=command), warmup, samples)
    return result


def measure_floor(app, result: Result, ids: dict, args) -> None:
    name = result.measure.floor if result.measure else None
    if name is None or result.app is None:
        return
    with app.app_context():
        sql = floor_sql(name, db.engine.dialect.name)
    if sql is None:
        result.note = (result.note + " " if result.note else "") + "(no floor written yet)"
        return
    queries = [sql] if isinstance(sql, str) else sql
    statements = [(sa.text(q), {key: ids[key] for key in set(re.findall(r"(?<!:):(\w+)", q))})
                  for q in queries]

    def run_floor():
        for statement, params in statements:
            connection.execute(statement, params).fetchall()

    heavy = result.measure.target_ms is not None and result.measure.target_ms >= 1000
    warmup, samples = (1, max(3, args.samples // 3)) if heavy else (args.warmup, args.samples)
    with app.app_context(), db.engine.connect() as connection:
        result.floor = timed(run_floor, warmup, samples)


# -- The import -------------------------------------------------------------------------------

IMPORT_COLUMNS = ("staff_ref", "site", "staff_group", "pay_band", "ethnic_category", "sex",
                  "age_band", "disability", "religion", "home_postcode", "start_date",
                  "entry_route")


def write_import_file(app, path: Path, rows: int) -> int:
    """A staff extract shaped like the newest snapshot, home postcodes that resolve."""
    from recruit.models import Postcode, WorkforceRecord, WorkforceSnapshot

    with app.app_context():
        postcodes: dict[str, str] = {}
        for postcode, lsoa in db.session.execute(
                sa.select(Postcode.postcode, Postcode.lsoa21_code).order_by(Postcode.postcode)):
            postcodes.setdefault(lsoa, postcode)
        snapshot = db.session.scalar(sa.select(WorkforceSnapshot.id)
                                     .order_by(WorkforceSnapshot.as_of.desc()).limit(1))
        records = db.session.execute(
            sa.select(WorkforceRecord).where(WorkforceRecord.snapshot_id == snapshot)
            .order_by(WorkforceRecord.id)).scalars().all()
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(IMPORT_COLUMNS)
            for number in range(rows):
                r = records[number % len(records)]
                writer.writerow([
                    f"B{number + 1:07d}", r.site or "", r.staff_group.value if r.staff_group
                    else "", r.pay_band, r.ethnic_category, r.sex.value if r.sex else "",
                    r.age_band or "", r.disability.value if r.disability else "",
                    r.religion.value if r.religion else "",
                    postcodes.get(r.home_lsoa_code, ""), r.started_on.isoformat()
                    if r.started_on else "", r.entry_route.value])
    return rows


def measure_import(app, path: Path, label: str, scale: str, args) -> Result:
    from recruit.models import ImportBatch, WorkforceRecord, WorkforceSnapshot

    result = Result(label, scale, f"Import {IMPORT_ROWS:,}-row workforce file")
    runner = app.test_cli_runner()
    times = []
    for sample in range(args.import_samples):
        as_of = (date(2026, 6, 30) + timedelta(days=sample)).isoformat()
        start = time.perf_counter()
        outcome = runner.invoke(args=["import", "workforce", str(path), "--as-of", as_of])
        times.append(time.perf_counter() - start)
        if outcome.exit_code != 0:
            result.note = f"exit {outcome.exit_code}: {outcome.output[-300:]}"
            return result
        with app.app_context():  # put the database back as it was for the next sample
            snapshot = db.session.scalar(sa.select(WorkforceSnapshot).where(
                WorkforceSnapshot.as_of == date.fromisoformat(as_of)))
            batch_id = snapshot.import_batch_id
            db.session.execute(sa.delete(WorkforceRecord).where(
                WorkforceRecord.snapshot_id == snapshot.id))
            db.session.delete(snapshot)
            db.session.execute(sa.delete(ImportBatch).where(ImportBatch.id == batch_id))
            db.session.commit()
    result.app = Timing(times)
    result.floor = Timing(import_floor(app, path, args.import_samples))
    result.extra["rows_per_s"] = IMPORT_ROWS / result.app.median
    result.extra["floor_rows_per_s"] = IMPORT_ROWS / result.floor.median
    return result


def import_floor(app, path: Path, samples: int) -> list[float]:
    """COPY (PostgreSQL) or executemany (SQLite) of the file into an unindexed table."""
    columns = ", ".join(f"{c} {'date' if c == 'start_date' else 'text'}" for c in IMPORT_COLUMNS)
    times = []
    with app.app_context():
        engine = db.engine
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("DROP TABLE IF EXISTS bench_import_floor")
            cursor.execute(f"CREATE TABLE bench_import_floor ({columns})")
            raw.commit()
            for _ in range(samples):
                start = time.perf_counter()
                if engine.dialect.name == "postgresql":
                    with path.open("rb") as handle, cursor.copy(
                            "COPY bench_import_floor FROM STDIN (FORMAT csv, HEADER)") as copy:
                        while chunk := handle.read(1 << 20):
                            copy.write(chunk)
                else:
                    with path.open(newline="", encoding="utf-8") as handle:
                        reader = csv.reader(handle)
                        next(reader)
                        cursor.executemany(
                            "INSERT INTO bench_import_floor VALUES "
                            f"({', '.join('?' * len(IMPORT_COLUMNS))})",
                            ([v or None for v in row] for row in reader))
                raw.commit()
                times.append(time.perf_counter() - start)
                cursor.execute("DELETE FROM bench_import_floor")
                raw.commit()
            cursor.execute("DROP TABLE bench_import_floor")
            raw.commit()
        finally:
            raw.close()
    return times


# -- The every-page sweep (small demo) --------------------------------------------------------


def sweep_ids(app) -> dict:
    """An id for each kind of URL argument: the row with the most history where that matters."""
    queries = {
        "participant_id": "SELECT participant_id FROM status_changes WHERE participant_id IS NOT"
                          " NULL GROUP BY participant_id ORDER BY count(*) DESC LIMIT 1",
        "cohort_id": "SELECT cohort_id FROM enrolments GROUP BY cohort_id ORDER BY count(*) "
                     "DESC LIMIT 1",
        "partner_id": "SELECT referring_partner_id FROM participants WHERE referring_partner_id "
                      "IS NOT NULL GROUP BY referring_partner_id ORDER BY count(*) DESC LIMIT 1",
        "activity_id": "SELECT min(id) FROM outreach_activities",
        "ambassador_id": "SELECT min(id) FROM ambassadors",
        "placement_id": "SELECT min(id) FROM placements",
        "vacancy_id": "SELECT vacancy_id FROM applications GROUP BY vacancy_id ORDER BY count(*)"
                      " DESC LIMIT 1",
        "application_id": "SELECT min(id) FROM applications",
        "outcome_id": "SELECT min(id) FROM outcomes",
        "user_id": "SELECT min(id) FROM users",
        "programme_id": "SELECT min(id) FROM programmes",
        "session_id": "SELECT min(id) FROM cohort_sessions",
        "enrolment_id": "SELECT min(id) FROM enrolments WHERE status = 'enrolled'",
        "volunteering_id": "SELECT min(id) FROM volunteering_roles",
        "report_id": "SELECT min(id) FROM board_reports",
        "target_id": "SELECT min(id) FROM targets",
    }
    ids: dict = {"weeks": 13, "kind": "census", "stage_name": "shortlisted",
                 "quarter": "2025-Q4", "token": "x"}
    with app.app_context(), db.engine.connect() as connection:
        for key, sql in queries.items():
            with contextlib.suppress(sa.exc.DatabaseError):
                ids[key] = connection.execute(sa.text(sql)).scalar()
    return ids


def sweep(app, clients: Clients, label: str, args, scale: str = "demo",
          samples: int | None = None) -> list[Result]:
    """Every GET page once warmed, then a few samples, signed in as the first role allowed."""
    from flask import url_for

    ids = sweep_ids(app)
    results = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "GET" not in rule.methods or rule.endpoint in SWEEP_SKIP:
            continue
        if any(ids.get(arg) is None for arg in rule.arguments):
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **{arg: ids[arg] for arg in rule.arguments})
        for role in SWEEP_ROLES:
            client = clients[role]
            if client is None:
                continue
            response = fetch(client, url)
            if response.status_code == 200:
                timing = timed(lambda c=client, u=url: fetch(c, u), 0,
                               samples or args.sweep_samples)
                results.append(Result(label, scale, rule.endpoint, app=timing,
                                      size_kib=len(response.data) // 1024,
                                      note=f"{role}: {url}"))
                break
    return results


# -- Orchestration ----------------------------------------------------------------------------


def run_database(kind: str, args) -> tuple[list[Result], list[dict], list[Result],
                                           list[Result]]:
    label = "PostgreSQL" if kind == "postgresql" else "SQLite"
    results: list[Result] = []
    curve: list[dict] = []
    every_page: list[Result] = []
    scales = sorted({args.scale, *args.curve})
    for scale in scales:
        tag = f"{kind}_{scale:g}"
        with fresh_database(kind, tag, args.keep) as url, \
                tempfile.TemporaryDirectory() as folder:
            app = make_app(url)
            print(f"[{label}] building scale {scale:g} …", flush=True)
            seconds = build(app, scale)
            ids = lookup_ids(app)
            print(f"[{label}] scale {scale:g} built in {seconds:.0f} s: "
                  + ", ".join(f"{n:,} {t}" for t, n in ids["counts"].items()), flush=True)
            clients = Clients(app)
            with app.app_context():
                counter = StatementCounter(db.engine)
            serving()
            full = scale == args.scale
            point = {"scale": scale, "build_s": seconds, "counts": ids["counts"], "times": {}}
            for measure in MEASURES:
                if not selected(measure.name, args) or not (full or measure.curve):
                    continue
                if measure.endpoint:
                    result = measure_page(app, clients, counter, measure, ids, args, label,
                                          f"{scale:g}")
                else:
                    result = measure_command(app, measure, ids, args, label, f"{scale:g}",
                                             Path(folder))
                measure_floor(app, result, ids, args)
                show(result)
                if measure.curve and scale in args.curve:
                    point["times"][measure.name] = result
                if full:
                    results.append(result)
            if full and args.do_import and selected("import", args):
                path = Path(folder) / "workforce.csv"
                write_import_file(app, path, IMPORT_ROWS)
                result = measure_import(app, path, label, f"{scale:g}", args)
                show(result)
                results.append(result)
            if full and args.large_sweep:
                print(f"[{label}] every page at scale {scale:g} …", flush=True)
                every_page = sweep(app, clients, label, args, f"{scale:g}", samples=2)
            if scale in args.curve:
                curve.append(point)
            with app.app_context():
                db.engine.dispose()
            gc.unfreeze()
    small: list[Result] = []
    if args.small:
        with fresh_database(kind, "small", args.keep) as url:
            app = make_app(url)
            print(f"[{label}] building the small demo …", flush=True)
            build(app, None)
            clients = Clients(app)
            serving()
            small = sweep(app, clients, label, args)
            gc.unfreeze()
            slow = [r for r in small if r.app.p95 * 1000 > SMALL_TARGET_MS]
            print(f"[{label}] small demo: {len(small)} pages, slowest p95 "
                  f"{max((r.app.p95 for r in small), default=0) * 1000:.0f} ms, "
                  f"{len(slow)} over {SMALL_TARGET_MS} ms", flush=True)
            with app.app_context():
                db.engine.dispose()
    return results, curve, small, every_page


def selected(name: str, args) -> bool:
    return not args.only or any(part.lower() in name.lower() for part in args.only)


def ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:,.0f}"


def show(result: Result) -> None:
    if result.app is None:
        print(f"  {result.name:<45} {result.note}", flush=True)
        return
    ratio = f"{result.ratio:5.1f}×" if result.ratio else "   – "
    floor = ms(result.floor.median if result.floor else None)
    print(f"  {result.name:<45} median {ms(result.app.median):>7} ms  p95 "
          f"{ms(result.app.p95):>7} ms  floor {floor:>6} ms  app/floor {ratio}  "
          f"{result.statements or '':>3} stmts {result.note}", flush=True)


# -- Reporting --------------------------------------------------------------------------------


def machine(args) -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or platform.machine())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in
                   Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), None)
    versions = [f"Python {platform.python_version()}", f"SQLite {sqlite3.sqlite_version}"]
    if "postgresql" in args.databases:
        engine = sa.create_engine(f"{PG_SERVER}/postgres")
        with engine.connect() as connection:
            versions.append("PostgreSQL " + connection.execute(
                sa.text("SHOW server_version")).scalar().split()[0])
        engine.dispose()
    return [f"- Machine: {cpu}, {os.cpu_count()} cores, {memory} GiB memory, "
            f"{platform.system()} {platform.release()}", f"- {', '.join(versions)}"]


def verdict(result: Result) -> str:
    m = result.measure
    if result.app is None or m is None:
        return ""
    checks = []
    if m.target_ms is not None:
        checks.append(result.app.p95 * 1000 <= m.target_ms)
    if m.target_ratio is not None and result.ratio is not None:
        checks.append(result.ratio <= m.target_ratio)
    if not checks:
        return ""
    return "met" if all(checks) else "**not met**"


def report(args, results, curves, smalls, sweeps, started: datetime, seconds: float) -> str:
    lines = [SECTION, "",
             f"Run on {started:%Y-%m-%d %H:%M} UTC in {seconds / 60:.1f} minutes: "
             f"`{' '.join(['python bench/run.py', *sys.argv[1:]])}`.",
             *machine(args),
             "- Pages: the Flask test client in-process (routing, sign-in, session, SQL, "
             "templates; no HTTP server, no network), signed in as a coordinator unless marked "
             "board, the process left as wsgi.py leaves a gunicorn worker (start-up objects "
             "frozen out of the garbage collector). Commands: click's runner in-process (no "
             "interpreter start-up). "
             f"Warm-up {args.warmup}, then {args.samples} samples (commands taking seconds: "
             f"1 and {max(3, args.samples // 3)}; the import: {args.import_samples}).",
             "- Floor: the same figures from one hand-written SQL query (bench/floors.py), "
             "rows fetched, no application code; for the import, PostgreSQL `COPY` of the same "
             "file (SQLite: `executemany`) into an unindexed table. Ratio = app median / floor "
             "median.", ""]
    for label in ("PostgreSQL", "SQLite"):
        rows = [r for r in results if r.database == label]
        if not rows:
            continue
        counts = next((p["counts"] for p in curves.get(label, []) if p["scale"] == args.scale),
                      None)
        lines += [f"### {label}, scale {args.scale:g}", ""]
        if counts:
            lines += ["Data: " + ", ".join(f"{n:,} {t.replace('_', ' ')}"
                                          for t, n in counts.items()) + ".", ""]
        lines += ["| measured | median ms | p95 ms | floor ms | app / floor | statements | "
                  "KiB | target |", "|---|---|---|---|---|---|---|---|"]
        for r in rows:
            if r.app is None:
                lines.append(f"| {r.name} | – | – | – | – | – | – | {r.note} |")
                continue
            ratio = f"{r.ratio:.1f}×" if r.ratio else "–"
            target = verdict(r)
            if "rows_per_s" in r.extra:
                target = (f"{r.extra['rows_per_s']:,.0f} rows/s (floor "
                          f"{r.extra['floor_rows_per_s']:,.0f}); "
                          + ("met" if r.extra["rows_per_s"] >= IMPORT_TARGET_ROWS_PER_S
                             else "**not met**") if label == "PostgreSQL" else
                          f"{r.extra['rows_per_s']:,.0f} rows/s (floor "
                          f"{r.extra['floor_rows_per_s']:,.0f})")
            elif label != "PostgreSQL":
                target = ""
            lines.append(f"| {r.name} | {ms(r.app.median)} | {ms(r.app.p95)} | "
                         f"{ms(r.floor.median if r.floor else None)} | {ratio} | "
                         f"{r.statements if r.statements is not None else '–'} | "
                         f"{r.size_kib if r.size_kib is not None else '–'} | "
                         f"{target}{(' ' + r.note) if r.note else ''} |")
        lines.append("")
    lines += curve_report(curves)
    lines += small_report(smalls)
    lines += sweep_report(sweeps, args)
    return "\n".join(lines) + "\n"


def sweep_report(sweeps: dict, args) -> list[str]:
    """Pages that get slow as the data grows: every GET page at full scale over 300 ms."""
    lines = []
    for label, results in sweeps.items():
        if not results:
            continue
        slow = sorted((r for r in results if r.app.median * 1000 > 300),
                      key=lambda r: -r.app.median)
        lines += [f"### Every page at scale {args.scale:g}, {label}", "",
                  f"{len(results)} GET pages, median of 2 requests each; {len(slow)} over "
                  "300 ms (exports download every row by design):", "",
                  "| page | median ms | KiB |", "|---|---|---|"]
        lines += [f"| {r.name} | {ms(r.app.median)} | {r.size_kib:,} |" for r in slow]
        lines.append("")
    return lines


def curve_report(curves: dict) -> list[str]:
    lines = []
    for label, points in curves.items():
        if len(points) < 2:
            continue
        points = sorted(points, key=lambda p: p["scale"])
        base = points[0]
        names = [n for n in base["times"] if base["times"][n].app is not None]
        lines += [f"### Scaling curve, {label}", "",
                  "Median ms at each size (×: growth against the smallest size; the data grows "
                  "by the scale factor). Linear or better means growth ≤ data growth.", "",
                  "| scale | staff records | participants | build s | "
                  + " | ".join(names) + " |",
                  "|---|---|---|---|" + "---|" * len(names)]
        for point in points:
            growth = point["scale"] / base["scale"]
            cells = []
            for name in names:
                result = point["times"].get(name)
                if result is None or result.app is None:
                    cells.append("–")
                    continue
                factor = result.app.median / base["times"][name].app.median
                mark = "" if factor <= growth * 1.1 else " **super-linear**"
                cells.append(f"{ms(result.app.median)} ({factor:.1f}×){mark}")
            lines.append(f"| {point['scale']:g} | {point['counts']['workforce_records']:,} | "
                         f"{point['counts']['participants']:,} | {point['build_s']:.0f} | "
                         + " | ".join(cells) + " |")
        lines.append("")
    return lines


def small_report(smalls: dict) -> list[str]:
    lines = []
    for label, results in smalls.items():
        if not results:
            continue
        slow = sorted((r for r in results if r.app.median * 1000 > SMALL_TARGET_MS),
                      key=lambda r: -r.app.median)
        spiky = sorted((r for r in results if r.app.p95 * 1000 > SMALL_TARGET_MS
                        and r not in slow), key=lambda r: -r.app.p95)
        worst = sorted(results, key=lambda r: -r.app.median)[:5]
        samples = len(results[0].app.samples)
        lines += [f"### Small demo, {label}: every page", "",
                  f"{len(results)} GET pages, each signed in as the first role allowed, "
                  f"{samples} samples after a warm-up; target: every page under "
                  f"{SMALL_TARGET_MS} ms. Median: "
                  + (f"**{len(slow)} over**: " + ", ".join(
                      f"{r.name} {ms(r.app.median)} ms" for r in slow) if slow
                     else "every page under.")
                  + (" Slowest sample (p95 of so few is the maximum) over the target: "
                     + ", ".join(f"{r.name} {ms(r.app.p95)} ms" for r in spiky) + "."
                     if spiky else "")
                  + " Slowest medians: " + ", ".join(
                      f"{r.name} {ms(r.app.median)} ms ({r.size_kib} KiB)" for r in worst)
                  + ".", ""]
    return lines


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql")
    parser.add_argument("--scale", default="large",
                        help="size of the full measurement: large (8) or a number")
    parser.add_argument("--curve", default="1,2,4,8",
                        help="sizes of the scaling curve (comma-separated), or none")
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--import-samples", type=int, default=3)
    parser.add_argument("--sweep-samples", type=int, default=5)
    parser.add_argument("--only", default="", help="measure only names containing these words")
    parser.add_argument("--no-import", dest="do_import", action="store_false")
    parser.add_argument("--no-small", dest="small", action="store_false",
                        help="skip the every-page sweep on the small demo")
    parser.add_argument("--no-large-sweep", dest="large_sweep", action="store_false",
                        help="skip opening every page at full scale")
    parser.add_argument("--no-write", dest="write", action="store_false",
                        help="print only; leave bench/RESULTS.md alone")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args(argv)
    from recruit.demo.large import parse_scale

    args.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    args.scale = parse_scale(args.scale) or 8.0
    args.curve = [] if args.curve == "none" else [float(s) for s in args.curve.split(",")]
    args.only = [part for part in args.only.split(",") if part]
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    started, clock = datetime.now(UTC), time.perf_counter()
    results, curves, smalls, sweeps = [], {}, {}, {}
    for kind in args.databases:
        label = "PostgreSQL" if kind == "postgresql" else "SQLite"
        found, curve, small, every_page = run_database(kind, args)
        results += found
        curves[label] = curve
        smalls[label] = small
        sweeps[label] = every_page
    text = report(args, results, curves, smalls, sweeps, started, time.perf_counter() - clock)
    print()
    print(text)
    if args.write:
        write_section(text)
        print(f"Wrote the '{SECTION}' section of {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
