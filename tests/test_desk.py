"""The desk: search and filters, pagination, access, referral follow-up, overdue referrals."""

import pytest

from screening.accounts import store
from screening.cases.records import find
from screening.desk import search as desk
from screening.protection.audit import Actor
from screening.referral import followup, referrals
from tests.conftest import IN_DANGER, Interview, add_organisation, refer


def advance(db, referral, status, user_id, reason=None):
    """Record a referral's next step as the account ``user_id`` would on the case page."""
    screening = next(db.query("select * from screenings where id = ?", [referral["screening_id"]]))
    followup.advance(db, Actor.of(store.get(db, user_id)), screening, referral, status, reason=reason)


@pytest.fixture
def three_cases(app, db, users):
    """Return the references of a presumed urgent case, a plain case and a child case of the first officer."""
    driver = Interview(app.test_client())
    driver.login()
    references = {}
    for name, answers in [
        ("presumed", IN_DANGER),
        ("plain", {}),
        ("child", {"age": "15", "act": "no", "accompanied": "yes"}),
    ]:
        driver.start(post={"presumed": "Mae Sot", "plain": "Poipet", "child": "Poipet"}[name])
        driver.run(answers)
        references[name] = driver.reference
    return references


def search(db, user_id, **filters):
    user = next(db.query("select * from users where id = ?", [user_id]))
    rows, total = desk.search(db, user, filters)
    return {row["reference"] for row in rows}, total


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"presumed", "plain", "child"}),
        ({"outcome": "presumed"}, {"presumed"}),
        ({"urgent": "yes"}, {"presumed"}),
        ({"child": "yes"}, {"child"}),
        ({"child": "no", "post": "Poipet"}, {"plain"}),
        ({"post": "poi"}, set()),
        ({"post": "%"}, set()),
        ({"status": "completed"}, {"presumed", "plain", "child"}),
        ({"status": "draft"}, set()),
        ({"officer": "officer"}, {"presumed", "plain", "child"}),
        ({"officer": "other"}, set()),
        ({"date_from": "2000-01-01", "date_to": "2999-12-31"}, {"presumed", "plain", "child"}),
        ({"date_to": "2000-01-01"}, set()),
        ({"referral_status": "none"}, {"presumed", "plain", "child"}),
    ],
)
def test_filters_find_exactly_the_matching_cases(db, users, three_cases, filters, expected):
    found, total = search(db, users["officer"], **filters)
    assert found == {three_cases[name] for name in expected}
    assert total == len(expected)


def test_a_reference_typed_loosely_finds_its_case(db, users, three_cases):
    loose = three_cases["plain"].lower().replace("-", " ")
    assert search(db, users["officer"], reference=loose)[0] == {three_cases["plain"]}


def test_an_officer_finds_only_their_own_cases_and_a_supervisor_those_of_the_organisation(db, users, three_cases):
    assert search(db, users["other"])[1] == 0
    assert search(db, users["supervisor"])[1] == 3
    db.execute("update users set organisation = 'Elsewhere' where username = 'supervisor'")
    assert search(db, users["supervisor"])[1] == 0


def test_results_come_a_page_at_a_time(app, db, users):
    with app.app_context():
        from screening import demo

        demo.seed(db, desk.PAGE_SIZE + 5, seed_value=2, actor=Actor.shell())
    admin = next(db.query("select * from users where username = 'admin'"))
    first, total = desk.search(db, admin, {}, page=1)
    second, _total = desk.search(db, admin, {}, page=2)
    assert total == desk.PAGE_SIZE + 5
    assert len(first) == desk.PAGE_SIZE
    assert len(second) == 5
    assert not {r["reference"] for r in first} & {r["reference"] for r in second}


def test_the_desk_page_filters_from_the_query_string_and_ignores_bad_values(client, interview, three_cases):
    page = client.get("/desk?outcome=presumed&date_from=not-a-date&page=x&sort=nonsense").get_data(as_text=True)
    assert three_cases["presumed"] in page
    assert three_cases["plain"] not in page
    assert "1 case found" in page


@pytest.fixture
def referral(db, users, three_cases):
    screening = find(db, three_cases["presumed"])
    organisation = db["organisations"].get(add_organisation(db))
    return refer(db, screening, organisation, users["officer"], items=[], priority="emergency")


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["received", "accepted", "closed"], True),
        (["declined", "closed"], True),
        (["accepted"], True),
        (["closed"], False),
        (["received", "sent"], False),
        (["accepted", "declined"], False),
        (["declined", "closed", "received"], False),
    ],
)
def test_a_referral_follows_its_steps_and_no_other(db, users, referral, path, allowed):
    outcome = True
    for status in path:
        current = referrals.get(db, referral["screening_id"], referral["id"])
        try:
            advance(db, current, status, users["officer"], reason="Full" if status == "declined" else None)
        except followup.IllegalTransition:
            outcome = False
            break
    assert outcome is allowed


def test_a_declined_referral_needs_a_reason_and_records_who_and_when(db, users, referral):
    with pytest.raises(followup.IllegalTransition):
        advance(db, referral, "declined", users["officer"], reason="  ")
    advance(db, referral, "declined", users["supervisor"], reason="No space for men")
    steps = followup.events(db, referral["id"])
    assert [(s["status"], s["reason"], s["username"]) for s in steps] == [
        ("declined", "No space for men", "supervisor")
    ]
    assert referrals.get(db, referral["screening_id"], referral["id"])["acknowledged_at"] == steps[0]["at"]


def test_an_unacknowledged_referral_past_its_deadline_is_overdue(db, users, three_cases, referral):
    db.execute("update referrals set created_at = '2000-01-01T00:00:00+00:00'")
    stale = referrals.get(db, referral["screening_id"], referral["id"])
    assert followup.is_overdue(stale)
    user = next(db.query("select * from users where username = 'officer'"))
    assert [r["reference"] for r in desk.overdue_referrals(db, user)] == [three_cases["presumed"]]
    assert search(db, users["officer"], referral_status="overdue")[0] == {three_cases["presumed"]}
    advance(db, stale, "received", users["officer"])
    assert not followup.is_overdue(referrals.get(db, referral["screening_id"], referral["id"]))
    assert desk.overdue_referrals(db, user) == []


def test_a_normal_priority_referral_is_never_overdue(db, referral):
    db.execute("update referrals set created_at = '2000-01-01T00:00:00+00:00', priority = 'normal'")
    assert not followup.is_overdue(referrals.get(db, referral["screening_id"], referral["id"]))


def test_the_post_filter_offers_the_posts_of_the_cases_one_may_see(client, interview, three_cases):
    page = client.get("/desk").get_data(as_text=True)
    assert '<option value="Mae Sot">Mae Sot</option>' in page
    assert '<option value="Poipet">Poipet</option>' in page


def test_referral_counts_kept_as_referrals_move_equal_a_count_from_scratch(db, users, referral):
    from screening.desk import facts, statistics

    advance(db, referral, "received", users["officer"])
    current = referrals.get(db, referral["screening_id"], referral["id"])
    advance(db, current, "accepted", users["officer"])
    kept = sorted(tuple(r.values()) for r in db.query("select * from fact_counts where n > 0"))
    facts.recount(db)
    fresh = sorted(tuple(r.values()) for r in db.query("select * from fact_counts where n > 0"))
    assert kept == fresh
    user = next(db.query("select * from users where username = 'officer'"))
    by_status, median = statistics.referral_figures(db, user)
    assert by_status == {"accepted": 1}
    assert median == 0
