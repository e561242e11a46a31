"""Draw page time against the number of audits from several ``benchmark --json`` runs."""

import json
import os
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Draw each page's p95 time against the number of audits, from the JSON files of "
        "several `benchmark --json` runs, as a PNG image (Plotly, exported with Kaleido "
        "and Chromium), and print the figures as a Markdown table."
    )

    def add_arguments(self, parser):
        parser.add_argument("runs", nargs="+", help="JSON files written by benchmark --json.")
        parser.add_argument("--out", required=True, help="Where to write the PNG image.")
        parser.add_argument(
            "--target-ms", type=float, default=300, help="The p95 target drawn as a line."
        )

    def handle(self, *args, **options):
        runs = sorted((self._load(path) for path in options["runs"]), key=lambda r: r["n"])
        pages = list(dict.fromkeys(page for run in runs for page in run["pages"]))
        self._draw(runs, pages, options["out"], options["target_ms"])
        self.stdout.write(self._table(runs, pages))

    def _load(self, path: str) -> dict:
        try:
            data = json.loads(Path(path).read_text())
            return {"n": int(data["audits"]["n"]), "pages": data["pages"]}
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"{path}: not a benchmark result ({error})") from error

    def _draw(self, runs: list[dict], pages: list[str], out: str, target_ms: float) -> None:
        import plotly.graph_objects as go

        if "BROWSER_PATH" not in os.environ and shutil.which("chromium"):
            os.environ["BROWSER_PATH"] = shutil.which("chromium")
        figure = go.Figure()
        for page in pages:
            points = [
                (run["n"], run["pages"][page]["p95_ms"]) for run in runs if page in run["pages"]
            ]
            figure.add_trace(
                go.Scatter(
                    x=[n for n, _ in points],
                    y=[ms for _, ms in points],
                    mode="lines+markers",
                    name=page,
                )
            )
        # the target as a line of its own: a shape's annotation on a log axis is placed
        # by its exponent, which stretches the axis to 10^300
        sizes = [run["n"] for run in runs]
        figure.add_trace(
            go.Scatter(
                x=[min(sizes), max(sizes)],
                y=[target_ms, target_ms],
                mode="lines",
                line={"dash": "dash", "color": "#0b0c0c"},
                name=f"target: p95 at most {target_ms:g} ms",
            )
        )
        figure.update_layout(
            title="Page time (p95) against the number of audits",
            xaxis={"title": "audits in the database", "type": "log"},
            yaxis={"title": "p95 response time (ms)", "type": "log"},
            width=1100,
            height=650,
            template="plotly_white",
        )
        try:
            figure.write_image(out)
        except Exception as error:  # Kaleido reports a missing browser in several ways
            raise CommandError(
                f"Could not export the chart ({error}). It needs Kaleido "
                "(requirements-dev.txt) and Chromium (set BROWSER_PATH)."
            ) from error

    def _table(self, runs: list[dict], pages: list[str]) -> str:
        header = "| page | " + " | ".join(f"{run['n']:,} audits" for run in runs) + " |"
        lines = [header, "| --- |" + " ---: |" * len(runs)]
        for page in pages:
            cells = []
            for run in runs:
                figures = run["pages"].get(page)
                cells.append(
                    f"{figures['p50_ms']:.0f} / {figures['p95_ms']:.0f} ms, {figures['queries']} q"
                    if figures
                    else "–"
                )
            lines.append(f"| {page} | " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"
