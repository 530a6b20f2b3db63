"""Board pack benchmark: how long the quarterly pack takes to render on the demo data.

Not a test (timings depend on the machine). Usage (from the repository root):

    .venv/bin/python bench/board_pack.py [--quarter 2025-Q1] [--runs 5] [--database-url URL]

Without ``--database-url`` it builds a throwaway SQLite database: migrations, ``flask demo seed``,
and the demo workforce and targets when the seed does not make them yet. It then renders the
pack ``--runs`` times in one process (the first run warms caches: fonts, templates, boundary
file) and times each step: the figures (aggregate SQL), the HTML (Jinja and SVG charts) and the
PDF (WeasyPrint, PDF/UA-1). The figures are written to bench/RESULTS.md, section "Board pack".
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from results import write_section  # bench/ is the script's folder, so on sys.path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))


def seed(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "RECRUIT_CONFIG": "development"}
    for command in (["db", "upgrade"], ["demo", "seed"]):
        subprocess.run([str(BIN / "flask"), *command], check=True, cwd=ROOT, env=env,
                       capture_output=True)


def complete_demo(app) -> list[str]:
    """Add the demo workforce and targets if ``flask demo seed`` does not make them yet."""
    from recruit.demo.targets import seed_targets
    from recruit.demo.workforce import seed_workforce
    from recruit.extensions import db

    lines = seed_workforce(random.Random(2021), Path(app.config["RECRUIT_DATA_DIR"]))  # noqa: S311
    lines += seed_targets()
    db.session.commit()
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quarter", default="2025-Q1")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        if args.database_url is None:
            print("Seeding a throwaway demo database…", flush=True)
            seed(url)
        from recruit import create_app

        app = create_app("development", SQLALCHEMY_DATABASE_URI=url.replace(
            "postgresql://", "postgresql+psycopg://", 1))
        with app.app_context():
            complete_demo(app)
            runs = time_runs(args.quarter, args.runs)
    report = write_up(args, url, runs)
    print(report)
    write_section(report)
    return 0


def time_runs(quarter_text: str, count: int) -> list[dict[str, float]]:
    from recruit.extensions import db
    from recruit.pdf import render_pdf
    from recruit.reports import context, render, services
    from recruit.statistics.periods import Quarter

    quarter = Quarter.parse(quarter_text)
    settings = services.settings()
    runs = []
    for _ in range(count):
        start = time.perf_counter()
        pack = context.build(db.session, quarter, settings, today=date.today())
        figures = context.figures(pack)
        built = time.perf_counter()
        html = render.render_html(figures, settings.data_dir)
        rendered = time.perf_counter()
        pdf = render_pdf(html)
        done = time.perf_counter()
        db.session.rollback()
        runs.append({"figures": built - start, "html": rendered - built, "pdf": done - rendered,
                     "total": done - start, "bytes": len(pdf)})
    return runs


def write_up(args, url: str, runs: list[dict[str, float]]) -> str:
    steady = runs[1:] or runs
    median = {key: statistics.median(r[key] for r in steady)
              for key in ("figures", "html", "pdf", "total")}
    database = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    verdict = "under" if median["total"] < 3 else "OVER"
    return "\n".join([
        "## Board pack",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: `python bench/board_pack.py --quarter "
        f"{args.quarter} --runs {args.runs}`; {database} with the demo data (journey, eight "
        f"workforce snapshots of about 18,500 staff, targets); {platform.machine()}, "
        f"{os.cpu_count()} cores, load average {load} (other work on the machine slows it).",
        "",
        f"**Median {median['total']:.2f} s per pack ({verdict} the 3 s budget)** over "
        f"{len(steady)} runs after a warm-up run; PDF of {runs[-1]['bytes'] // 1024:,} KB.",
        "",
        "| step | median s | min s | max s |",
        "|---|---|---|---|",
        *[f"| {label} | {median[key]:.2f} | {min(r[key] for r in steady):.2f} | "
          f"{max(r[key] for r in steady):.2f} |"
          for key, label in (("figures", "figures (aggregate SQL)"),
                             ("html", "HTML and SVG charts"),
                             ("pdf", "PDF (WeasyPrint, PDF/UA-1)"), ("total", "total"))],
        f"| first run (cold) | {runs[0]['total']:.2f} | | |",
        "",
    ])


if __name__ == "__main__":
    sys.exit(main())
