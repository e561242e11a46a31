"""benchmark_chart: page time against N, from benchmark --json runs."""

import json
import shutil

import pytest
from django.core.management import CommandError, call_command


def _run(tmp_path, n, pages):
    path = tmp_path / f"run-{n}.json"
    path.write_text(json.dumps({"audits": {"n": n}, "pages": pages}))
    return str(path)


def _page(p50, p95, queries):
    return {"p50_ms": p50, "p95_ms": p95, "queries": queries, "queries_small": queries}


def test_table_orders_runs_by_size_and_marks_missing_pages(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(
        "qa_audit.management.commands.benchmark_chart.Command._draw", lambda *a, **k: None
    )
    big = _run(tmp_path, 100000, {"my_audits": _page(20.4, 41.6, 9)})
    small = _run(tmp_path, 100, {"my_audits": _page(8, 12, 9), "dashboard": _page(30, 55, 21)})
    call_command("benchmark_chart", big, small, out=str(tmp_path / "chart.png"))
    out = capsys.readouterr().out
    assert "| page | 100 audits | 100,000 audits |" in out
    assert "| my_audits | 8 / 12 ms, 9 q | 20 / 42 ms, 9 q |" in out
    assert "| dashboard | 30 / 55 ms, 21 q | – |" in out


def test_refuses_a_file_that_is_not_a_benchmark_result(tmp_path):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"pages": {}}))
    with pytest.raises(CommandError, match="other.json: not a benchmark result"):
        call_command("benchmark_chart", str(path), out=str(tmp_path / "chart.png"))


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which("chromium"), reason="needs Chromium")
def test_writes_a_png(tmp_path):
    runs = [_run(tmp_path, n, {"my_audits": _page(5, ms, 9)}) for n, ms in ((100, 10), (1000, 12))]
    out = tmp_path / "chart.png"
    call_command("benchmark_chart", *runs, out=str(out))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
