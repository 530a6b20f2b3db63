"""Load benchmark: gunicorn workers on PostgreSQL with the demo data, driven by locust.

Loopback only, bounded in time. Usage (from the repository root):

    .venv/bin/python bench/load.py [--seconds 60] [--users 30] [--workers 4]

It creates a throwaway database on the local PostgreSQL server, upgrades it, seeds the demo,
serves it with gunicorn on 127.0.0.1, runs locust headless, prints requests per second, p95
latency and errors, and writes them into bench/RESULTS.md (section "Load").
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from results import write_section  # bench/ is the script's folder, so on sys.path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG = "postgresql://postgres@127.0.0.1:5432"
PORT = 8765


def run(*args, env=None, **kwargs):
    return subprocess.run([str(a) for a in args], check=True, cwd=ROOT, env=env, **kwargs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    database = f"recruit_load_{os.getpid()}"
    env = {**os.environ, "DATABASE_URL": f"{PG}/{database}", "RECRUIT_CONFIG": "development",
           "FLASK_APP": "wsgi:app"}
    run("createdb", "-h", "127.0.0.1", "-U", "postgres", database)
    server = None
    try:
        run(BIN / "flask", "db", "upgrade", env=env, capture_output=True)
        run(BIN / "flask", "demo", "seed", env=env, capture_output=True)
        server = subprocess.Popen(
            [BIN / "gunicorn", "--workers", str(args.workers), "--bind", f"127.0.0.1:{PORT}",
             "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
        _wait_for(f"http://127.0.0.1:{PORT}/healthz")
        with tempfile.TemporaryDirectory() as folder:
            prefix = Path(folder) / "load"
            run(BIN / "locust", "-f", ROOT / "bench" / "locustfile.py", "--headless",
                "--host", f"http://127.0.0.1:{PORT}", "--users", args.users,
                "--spawn-rate", args.users, "--run-time", f"{args.seconds}s",
                "--csv", prefix, "--only-summary", env=env, capture_output=True)
            rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        run("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database)
    total = next(row for row in rows if row["Name"] == "Aggregated")
    table = [
        f"| {row['Type']} {row['Name']} | {row['Request Count']} | {float(row['Requests/s']):.1f}"
        f" | {row['50%']} | {row['95%']} | {row['Failure Count']} |"
        for row in rows
    ]
    report = "\n".join([
        "## Load",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: `python bench/load.py --seconds "
        f"{args.seconds} --users {args.users} --workers {args.workers}`; gunicorn with "
        f"{args.workers} sync workers on PostgreSQL with the demo data; locust on the same "
        f"machine ({platform.machine()}, {os.cpu_count()} cores).",
        "",
        f"**{float(total['Requests/s']):.1f} requests/s, p95 {total['95%']} ms, "
        f"{total['Failure Count']} errors** over {total['Request Count']} requests.",
        "",
        "| request | count | req/s | p50 ms | p95 ms | errors |",
        "|---|---|---|---|---|---|",
        *table,
        "",
    ])
    print(report)
    write_section(report)
    return 1 if int(total["Failure Count"]) else 0


def _wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback only)
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


if __name__ == "__main__":
    sys.exit(main())
