"""Statistics: facts recorded at completion, counts within scope, small numbers hidden everywhere, exports."""

import csv
import io
import json

import pytest

from screening import demo
from screening.desk import facts
from screening.desk import statistics as stats
from screening.protection.audit import Actor
from tests.conftest import IN_DANGER, Interview, actor

IDENTIFYING = ("reference", "name", "contact", "date_of_birth", "post", "officer", "created_at", "concern")
# The de-identified export's columns, as the statistics page documents them (after IOM's field names).
EXPORT_COLUMNS = [
    "caseNumber",
    "monthOfRegistration",
    "ageBroad",
    "majorityStatus",
    "gender",
    "citizenship",
    "stageWhenIdentified",
    "screeningOutcome",
    "screeningRule",
    "urgent",
    "typeOfExploit",
    "recruitmentChannel",
    "indicatorsPresent",
]


@pytest.fixture
def seeded(app, db, users):
    """Seed 60 demo screenings (all by demo.officer, organisation unset) and return the admin's client."""
    with app.app_context():
        demo.seed(db, 60, seed_value=5, actor=Actor.shell())
    driver = Interview(app.test_client())
    driver.login("admin")
    return driver.client


def test_completing_a_screening_records_its_facts_without_identifying_data(interview, db):
    interview.start(post="Poipet")
    interview.run({**IN_DANGER, "nationality": "MMR", "sex": "male"})
    fact = next(db.query("select * from facts"))
    assert (fact["outcome"], fact["nationality"], fact["sex"], fact["age_group"]) == (
        "presumed",
        "MMR",
        "male",
        "25-34",
    )
    assert len(fact["month"]) == 7
    items = {(r["kind"], r["value"]) for r in db.query("select kind, value from fact_items")}
    assert ("form", "forced_criminality") in items
    assert ("channel", "facebook") in items
    assert ("indicator", "d5.confinement") in items


@pytest.mark.parametrize(("count", "expected"), [(0, "0"), (1, "<11"), (10, "<11"), (11, "11"), (250, "250")])
def test_counts_from_one_to_ten_are_hidden(app, count, expected):
    with app.app_context():
        assert stats.shown(count) == expected


def test_the_threshold_is_configurable(tmp_path):
    from screening import create_app

    app = create_app({"SCREENING_DATA_DIR": tmp_path, "SCREENING_SMALL_NUMBER": 5})
    with app.app_context():
        assert (stats.shown(4), stats.shown(5)) == ("<5", "5")


def test_the_statistics_page_shows_every_table_with_small_numbers_hidden(seeded, db):
    page = seeded.get("/statistics").get_data(as_text=True)
    for _key, title in stats.TABLES:
        assert str(title) in page
    assert "<svg" in page
    cells = [int(n) for n in __import__("re").findall(r"<td>(\d+)</td>", page)]
    assert cells
    assert all(n == 0 or n >= 11 for n in cells)
    assert "&lt;11" in page


def test_an_officer_counts_only_their_own_screenings(app, interview, db, seeded):
    interview.start()
    interview.run({})
    user = next(db.query("select * from users where username = 'officer'"))
    assert sum(n for _v, n in stats.counts(db, user, "outcome")) == 1


def test_the_tables_export_hides_small_numbers_too(seeded, db):
    response = seeded.get("/statistics/tables.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["table", "value", "count"]
    counts = [row[2] for row in rows[1:] if row[0] != "referral_median_hours_to_acknowledgement"]
    assert all(c.startswith("<") or c == "0" or int(c) >= 11 for c in counts)
    assert {row[0] for row in rows[1:]} >= {"month", "outcome", "indicator"}


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_deidentified_export_holds_no_identifying_column_or_value(seeded, db, fmt):
    body = seeded.get(f"/statistics/cases.{fmt}").get_data(as_text=True)
    if fmt == "json":
        document = json.loads(body)
        columns, rows = document["columns"], document["rows"]
    else:
        table = list(csv.DictReader(io.StringIO(body)))
        columns, rows = list(table[0].keys()), table
    assert columns == EXPORT_COLUMNS
    assert not [c for c in columns if any(word in c.lower() for word in IDENTIFYING)]
    assert len(rows) == 60
    references = [r["reference"] for r in db.query("select reference from screenings")]
    assert not any(reference in body for reference in references)
    assert "Demo Person" not in body
    assert "Demo:" not in body


def test_exports_ask_for_the_password_again(seeded, db):
    db.execute("update sessions set reauth_at = '2000-01-01T00:00:00+00:00'")
    assert seeded.get("/statistics/cases.csv").headers["Location"].startswith("/reauth")


def test_the_tables_export_includes_the_referral_figures(seeded, db):
    rows = list(csv.reader(io.StringIO(seeded.get("/statistics/tables.csv").get_data(as_text=True))))
    statuses = {row[1] for row in rows if row[0] == "referral_status"}
    assert statuses
    assert statuses <= {"sent", "received", "accepted", "declined", "closed"}
    assert any(row[0] == "referral_median_hours_to_acknowledgement" for row in rows)


def kept_counts(db):
    return sorted((r["scope"], r["key"], r["value"], r["n"]) for r in db.query("select * from fact_counts where n > 0"))


def test_the_kept_counts_equal_a_count_from_scratch_after_a_screening_is_scored_again(app, interview, db):
    interview.start()
    interview.run({})
    screening = next(db.query("select * from screenings"))
    from screening.cases import records as cases

    db.execute("update screenings set status = 'stopped' where id = ?", [screening["id"]])
    cases.reopen(db, actor(db), cases.find(db, screening["reference"]))
    interview.run({"coercion": ["confinement"]})
    kept = kept_counts(db)
    facts.recount(db)
    fresh = kept_counts(db)
    assert kept == fresh
    assert ("officer:1:", "outcome", "possible", 1) in fresh
    assert not [r for r in fresh if r[1] == "outcome" and r[2] == "not_indicated"]


@pytest.mark.parametrize(
    ("label", "kept"),
    [
        ("Forced labour", "Forced labour"),
        ("Recruited through a job advertisement online", "Recruited through a…"),
        ("通过网络上的招聘广告被招募并被带到国外", "通过网络上的招聘广告被…"),
    ],
)
def test_a_chart_label_is_cut_to_the_room_left_of_its_bar_whatever_its_script(label, kept):
    # Cut by characters alone, a Chinese label took twice the room and ran off the chart's left edge.
    from screening.desk.charts import fitted

    assert fitted(label) == kept
