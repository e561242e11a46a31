"""python manage.py benchmark --audits N [--json PATH] [--repeat 20] [--users 50]
[--seconds 60] [--skip load,import,report] [--small-json PATH]

Builds (or reuses) a synthetic dataset of N audits, then measures the pages, the floors,
an import, a quarterly report and a load test, prints a table and writes JSON whose
keys are a public contract (issue 12; docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qa_audit.benchmark import measure

HELP = """Build or reuse a synthetic dataset of N audits and measure the site on it: each
page's p50 and p95 (over --repeat requests, signed in as the role the page is for, DEBUG
off) and SQL queries, the floors (a minimal signed-in page; the summary API's
aggregates as hand-written SQL), import_audits on 10,000 rows (rows a second, peak
memory), one quarterly report with its Word, Excel and PDF files, and --users clients
for --seconds against gunicorn. "queries_small" is each page's queries at 100 audits:
counted on a second database beside the main one (its name with _small added, created
and migrated when missing, on the same PostgreSQL server), or read from --small-json (a
previous run's JSON at 100 audits); at N <= 100 it is this run's count. Writes and the
import are undone afterwards, so the dataset can be measured again."""


def _skip_list(text: str) -> set[str]:
    parts = {p.strip() for p in (text or "").split(",") if p.strip()}
    unknown = parts - set(measure.SKIPPABLE)
    if unknown:
        raise CommandError(
            f"--skip: unknown part {', '.join(sorted(unknown))}; "
            f"the parts are {', '.join(measure.SKIPPABLE)}"
        )
    return parts


def build(n: int, *, seed: int, stdout) -> None:
    """The synthetic dataset of N audits, built or reused (qa_audit.benchmark.dataset),
    with the last two quarters' reports the first time (the report page reads one)."""
    from qa_audit.benchmark.dataset import build_dataset
    from reporting.models import Report, ReportKind

    has_report = Report.objects.filter(kind=ReportKind.QUARTERLY, versions__isnull=False).exists()
    build_dataset(n, seed=seed, stdout=stdout, reports=not has_report)


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("--audits", type=int, required=True, metavar="N")
        parser.add_argument("--json", metavar="PATH", help="write the figures here as JSON")
        parser.add_argument("--repeat", type=int, default=20, help="timed requests a page")
        parser.add_argument("--users", type=int, default=50, help="clients of the load test")
        parser.add_argument("--seconds", type=int, default=60, help="length of the load test")
        parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
        parser.add_argument(
            "--skip",
            default="",
            metavar="PARTS",
            help=f"leave out parts, comma-separated: {', '.join(measure.SKIPPABLE)}",
        )
        parser.add_argument(
            "--small-json", metavar="PATH", help="take queries_small from this run's JSON"
        )
        parser.add_argument("--seed", type=int, default=12, help="the dataset's random seed")
        # used by the run at 100 audits on the small database: counts queries only
        parser.add_argument("--queries-only", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        n = options["audits"]
        if n < 1:
            raise CommandError("--audits must be at least 1")
        if options["repeat"] < 1:
            raise CommandError("--repeat must be at least 1")
        skip = _skip_list(options["skip"])
        out = self.stdout
        build(n, seed=options["seed"], stdout=out)
        if options["queries_only"]:
            pages, _ = measure.measure_pages(1)
            self._write({"pages": pages}, options["json"])
            return
        repeat = options["repeat"]
        result = {
            "pages": {name: dict.fromkeys(measure.PAGE_KEYS) for name in measure.PAGE_NAMES},
            "floors": {"trivial_view_p50_ms": None, "raw_sql_summary_ms": None},
            "import_rows_per_second": None,
            "import_peak_memory_mb": None,
            "report_seconds": None,
            "load": None,
            "audits": {"n": n, "machine": measure.machine()},
        }
        statuses = {}
        if "pages" not in skip:
            out.write("Pages:")
            pages, statuses = measure.measure_pages(repeat, stdout=out)
            failed = sorted(name for name, seen in statuses.items() if _failed(name, seen))
            if failed:
                raise CommandError(
                    "These pages did not answer as a user would see them: "
                    + ", ".join(f"{name} ({statuses[name]})" for name in failed)
                )
            result["pages"] = pages
            result["floors"] = {
                "trivial_view_p50_ms": measure.measure_floor(repeat),
                "raw_sql_summary_ms": measure.measure_raw_summary(repeat),
            }
            small = self._small_queries(n, options, skip)
            for name, figures in result["pages"].items():
                figures["queries_small"] = small.get(name) if small is not None else None
        if "import" not in skip:
            out.write(f"Importing {measure.IMPORT_ROWS:,} rows…")
            rate, memory = measure.measure_import(stdout=out)
            result["import_rows_per_second"] = rate
            result["import_peak_memory_mb"] = memory
        if "report" not in skip:
            out.write("Generating a quarterly report…")
            result["report_seconds"] = measure.measure_report()
        if "load" not in skip:
            out.write("Load test:")
            result["load"] = measure.measure_load(
                users=options["users"],
                seconds=options["seconds"],
                workers=options["workers"],
                stdout=out,
            )
        out.write(table(result, statuses))
        self._write(result, options["json"])

    def _small_queries(self, n: int, options: dict, skip: set[str]) -> dict | None:
        if options["small_json"]:
            path = Path(options["small_json"])
            if not path.is_file():
                raise CommandError(f"--small-json: there is no file called {path}")
            return measure.queries_from(json.loads(path.read_text()))
        if n <= 100:
            return None  # filled in from this run's own counts below
        if "small" in skip:
            return {}
        self.stdout.write("Counting queries at 100 audits on the small database…")
        return measure.small_queries(seed=options["seed"])

    def _write(self, result: dict, path: str | None) -> None:
        if result.get("pages"):
            for figures in result["pages"].values():
                if (
                    figures.get("queries_small") is None
                    and result.get("audits", {}).get("n", 0) <= 100
                ):
                    figures["queries_small"] = figures.get("queries")
        if path:
            Path(path).write_text(json.dumps(result, indent=2, default=str) + "\n")
            self.stdout.write(f"Written to {path}")


def _failed(name: str, statuses: list[int]) -> bool:
    """A page failed when it answered with an error; the submit page's 400 is its
    refusal of an unfinished audit, the path an auditor takes most often."""
    allowed = {200, 302} | ({400} if name == "audit_submit" else set())
    return not set(statuses) <= allowed


def table(result: dict, statuses: dict) -> str:
    """The figures as a table a person can read."""

    def cell(value):
        return "-" if value is None else f"{value:,}" if isinstance(value, int) else str(value)

    rows = [
        (
            "page",
            "p50 ms",
            "p95 ms",
            "queries",
            "at 100",
            "uncached p50",
            "uncached p95",
            "uncached q",
            "status",
        )
    ]
    for name, figures in result["pages"].items():
        rows.append(
            (
                name,
                *(cell(figures.get(key)) for key in measure.PAGE_KEYS),
                ",".join(str(s) for s in statuses.get(name, [])) or "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    floors = result["floors"]
    lines += [
        "",
        f"floor: signed-in page p50 {cell(floors['trivial_view_p50_ms'])} ms; "
        f"summary as raw SQL {cell(floors['raw_sql_summary_ms'])} ms",
        f"import: {cell(result['import_rows_per_second'])} rows/s, "
        f"peak memory {cell(result['import_peak_memory_mb'])} MB",
        f"quarterly report with Word, Excel and PDF: {cell(result['report_seconds'])} s",
    ]
    load = result["load"]
    if load:
        lines.append(
            f"load: {load['users']} users for {load['seconds']} s on {load['workers']} workers: "
            f"{load['requests']:,} requests ({cell(load['requests_per_second'])}/s), "
            f"{load['errors']} errors, p50 {cell(load['p50_ms'])} ms, p95 {cell(load['p95_ms'])} ms"
        )
    m = result["audits"]["machine"]
    lines.append(
        f"{result['audits']['n']:,} audits; {m['cores']} cores, {cell(m['memory_mb'])} MB, "
        f"PostgreSQL {m['postgresql']}, Python {m['python']}, Django {m['django']}"
    )
    return "\n".join(lines)
