"""`manage.py benchmark`: the JSON's keys are a public contract (issue 12). Timings are
never asserted, only that each is a number; query counts are compared exactly."""

import io
import json

import pytest
from django.core.management import call_command

from qa_audit.benchmark import measure
from qa_audit.management.commands import benchmark

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TOP_KEYS = {
    "pages",
    "floors",
    "import_rows_per_second",
    "import_peak_memory_mb",
    "report_seconds",
    "load",
    "audits",
}
PAGES = {
    "my_audits",
    "audit_form",
    "audit_autosave",
    "audit_submit",
    "moderation_panel",
    "moderation_review",
    "moderation_statistics_year",
    "tracker_team_manager",
    "tracker_qa_lead",
    "cases_of_concern",
    "dashboard_all",
    "dashboard_quarter",
    "performance",
    "report",
    "api_reports_summary",
    "api_audits",
}


@pytest.fixture
def demo_data(monkeypatch):
    """The demo council stands in for the synthetic dataset: the command measures
    whatever the builder leaves in the database."""

    def build(n, *, seed, stdout):
        call_command("seed_demo", stdout=stdout)

    monkeypatch.setattr(benchmark, "build", build)


def run(tmp_path, *args):
    path = tmp_path / "benchmark.json"
    call_command("benchmark", "--json", str(path), *args, stdout=io.StringIO())
    return json.loads(path.read_text())


def test_the_json_has_exactly_the_contract_keys_with_numbers(demo_data, tmp_path):
    result = run(tmp_path, "--audits", "100", "--repeat", "2", "--skip", "load,import,report")

    assert set(result) == TOP_KEYS
    assert set(result["pages"]) == PAGES
    for name, figures in result["pages"].items():
        assert set(figures) == {
            "p50_ms",
            "p95_ms",
            "queries",
            "queries_small",
            "uncached_p50_ms",
            "uncached_p95_ms",
            "uncached_queries",
        }, name
        # the pages whose figures are kept are timed again counting them every time
        uncached = [figures[k] for k in ("uncached_p50_ms", "uncached_p95_ms")]
        if name in {"dashboard_all", "dashboard_quarter", "api_reports_summary"}:
            assert all(isinstance(v, float) for v in uncached), name
            assert figures["uncached_queries"] >= figures["queries"], name
        else:
            assert uncached == [None, None] and figures["uncached_queries"] is None, name
        assert all(isinstance(figures[k], float) for k in ("p50_ms", "p95_ms")), name
        assert isinstance(figures["queries"], int) and figures["queries"] > 0, name
        # at 100 audits the run itself is the small one
        assert figures["queries_small"] == figures["queries"], name
    assert set(result["floors"]) == {"trivial_view_p50_ms", "raw_sql_summary_ms"}
    assert all(isinstance(v, float) for v in result["floors"].values())
    assert result["audits"]["n"] == 100
    assert set(result["audits"]["machine"]) == {
        "cores",
        "memory_mb",
        "postgresql",
        "python",
        "django",
    }
    assert result["import_rows_per_second"] is None  # skipped
    assert result["report_seconds"] is None
    assert result["load"] is None


def test_every_page_answers_without_an_error(demo_data, tmp_path):
    out = tmp_path / "out"
    call_command(
        "benchmark",
        "--audits",
        "100",
        "--repeat",
        "1",
        "--skip",
        "load,import,report",
        stdout=out.open("w"),
    )
    table = out.read_text()
    for name in PAGES:
        line = next(line for line in table.splitlines() if line.startswith(name + " "))
        status = line.split()[-1]
        assert all(code in {"200", "302"} for code in status.split(",")), line


def test_writes_are_rolled_back(demo_data, tmp_path):
    from audits.models import Audit

    call_command("seed_demo", stdout=io.StringIO())
    before = list(Audit.objects.order_by("pk").values_list("pk", "status", "lock_version"))
    run(tmp_path, "--audits", "100", "--repeat", "1", "--skip", "load,import,report")
    after = list(Audit.objects.order_by("pk").values_list("pk", "status", "lock_version"))
    assert after == before


def test_queries_small_is_read_from_an_earlier_run(demo_data, tmp_path):
    small = tmp_path / "small.json"
    small.write_text(json.dumps({"pages": {name: {"queries": 7} for name in PAGES}}))
    result = run(
        tmp_path,
        "--audits",
        "1000",
        "--repeat",
        "1",
        "--skip",
        "load,import,report",
        "--small-json",
        str(small),
    )
    assert {f["queries_small"] for f in result["pages"].values()} == {7}


def test_an_unknown_part_to_skip_is_refused(tmp_path):
    with pytest.raises(Exception, match="unknown part lunch"):
        call_command("benchmark", "--audits", "10", "--skip", "lunch")


@pytest.mark.parametrize(
    ("url", "small"),
    [
        (
            "postgres://postgres@127.0.0.1:5432/qa_audit",
            "postgres://postgres@127.0.0.1:5432/qa_audit_small",
        ),
        ("sqlite:////srv/var/db.sqlite3", "sqlite:////srv/var/db_small.sqlite3"),
    ],
)
def test_the_small_database_sits_beside_the_main_one(url, small):
    assert measure.small_database_url(url) == small


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 21)]
    assert measure.percentile(values, 0.5) == 10.0
    assert measure.percentile(values, 0.95) == 19.0
    assert measure.percentile([], 0.5) is None


def test_the_synthetic_dataset_of_100_audits_serves_every_page(db, tmp_path):
    """The real builder at the smallest size: every page finds what it needs."""
    result = run(tmp_path, "--audits", "100", "--repeat", "1", "--skip", "load,import,report")
    assert set(result["pages"]) == PAGES
    assert result["audits"]["n"] == 100
    for name, figures in result["pages"].items():
        assert figures["queries"] == figures["queries_small"], name


def test_every_page_makes_as_many_queries_at_400_audits_as_at_100(db, tmp_path):
    """The suite's guard of constant query counts: the same pages, the dataset grown."""
    small = run(tmp_path, "--audits", "100", "--repeat", "1", "--skip", "load,import,report")
    small_json = tmp_path / "small.json"
    small_json.write_text(json.dumps(small))
    large = run(
        tmp_path,
        "--audits",
        "400",
        "--repeat",
        "1",
        "--skip",
        "load,import,report",
        "--small-json",
        str(small_json),
    )
    counts = {
        name: (small["pages"][name]["queries"], page["queries"])
        for name, page in large["pages"].items()
    }
    assert {n: c for n, c in counts.items() if c[0] != c[1]} == {}


def test_each_load_journey_step_answers_its_user_without_an_error(db, client):
    """The load test's users follow these steps on the synthetic dataset: a page its
    user may not see (a draft report, for a leader) would count an error every round."""
    benchmark.build(100, seed=12, stdout=io.StringIO())
    with measure.production_like():
        for journey in measure.journeys():
            client.force_login(journey.user, backend=measure.BACKEND)
            for method, path in journey.steps:
                if method == "GET":
                    assert client.get(path).status_code == 200, (journey.role, path)
