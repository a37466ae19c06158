"""Bad input gets a clear message, keeps what was entered, and never ends in a 500."""

import pytest

from screening.cases import records as cases
from tests.test_interview import screening_row, stored_answers

# The first page of the interview, answered plainly.
SAFE = {"danger_now": "no", "controller_nearby": "no"}


@pytest.mark.parametrize(
    ("posted", "message", "kept"),
    [
        (["abc"], "Enter the age as a whole number, such as 24", 'value="abc"'),
        (["250"], "Enter an age from 0 to 120", 'value="250"'),
        (["-3"], "Enter an age from 0 to 120", 'value="-3"'),
        (["24", "unknown"], "Enter an age, or choose one of the other answers, not both", 'value="24"'),
        ([""], "Enter an age, or choose", 'value=""'),
    ],
)
def test_a_bad_age_is_explained_and_what_was_typed_is_kept(interview, client, db, posted, message, kept):
    interview.start()
    response = interview.answer("age", age=posted)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert kept in page
    assert "<title>Error:" in page
    assert 'class="error-summary"' in page
    assert "age" not in stored_answers(db, interview.reference)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("๒๕", 25), ("២៥", 25), ("၂၅", 25), ("໒໕", 25), ("২৫", 25), ("२५", 25), ("۲۵", 25), (" 31 ", 31)],
)
def test_an_age_in_native_digits_is_read_as_a_number(interview, client, db, typed, stored):
    interview.start()
    response = interview.answer("age", age=typed)
    assert response.status_code == 302
    assert stored_answers(db, interview.reference)["age"] == stored


def test_an_age_alternative_is_stored_as_its_value(interview, client, db):
    interview.start()
    interview.answer("age", age=["", "declined"])
    assert stored_answers(db, interview.reference)["age"] == "declined"


@pytest.mark.parametrize(
    ("page_id", "data", "message"),
    [
        ("danger_now", {"danger_now": "maybe"}, "Choose one of the answers shown"),
        ("danger_now", {}, "Choose an answer"),
        ("coercion", {"coercion": ["confinement", "bogus"]}, "Choose from the answers shown"),
        ("coercion", {}, "Choose at least one answer, or 'None of these'"),
        ("coercion", {"coercion": ["confinement", "none"]}, "cannot be chosen with other answers"),
        ("coercion", {"coercion": ["declined", "unknown"]}, "cannot be chosen with other answers"),
    ],
)
def test_an_answer_that_is_not_offered_is_refused_with_a_message(interview, client, db, page_id, data, message):
    interview.start()
    response = client.post(interview.url(page_id), data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert page_id not in stored_answers(db, interview.reference)


def test_refused_checkboxes_stay_checked(interview, client):
    interview.start()
    page = client.post(interview.url("coercion"), data={"coercion": ["confinement", "none"]}).get_data(as_text=True)
    assert 'value="confinement" checked' in page
    assert 'value="none" aria-pressed="true"' in page  # "None of these" alone on its page is a button
    assert 'value="violence" checked' not in page


def test_a_question_id_posted_by_hand_that_is_not_on_the_page_is_ignored(interview, client, db):
    interview.start()
    response = interview.answer("danger_now", danger_now="no", madeup="yes", coercion=["confinement"])
    assert response.status_code == 302
    assert stored_answers(db, interview.reference) == SAFE


def test_an_unknown_page_is_a_friendly_404(interview, client):
    interview.start()
    response = client.get(interview.url("no_such_page"))
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_a_page_posted_twice_keeps_one_answer_the_last(interview, client, db):
    interview.start()
    first = interview.answer("danger_now", danger_now="no")
    second = interview.answer("danger_now", danger_now="yes")
    assert first.headers["Location"] == second.headers["Location"]
    row = screening_row(db, interview.reference)
    count = next(db.query("select count(*) as n from answers where screening_id = ?", [row["id"]]))["n"]
    assert count == len(SAFE)
    assert stored_answers(db, interview.reference) == {**SAFE, "danger_now": "yes"}


def test_a_question_hidden_by_an_earlier_answer_sends_the_officer_on(interview, client):
    interview.start()
    interview.run({"age": "30"}, until="act")
    response = client.get(interview.url("accompanied"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/q/act")


def test_a_draft_resumed_after_the_bank_changed_sets_stale_answers_aside(interview, client, db):
    interview.start()
    interview.run({}, until="act")
    row = screening_row(db, interview.reference)
    db.execute("update screenings set bank_version = '0.old' where id = ?", [row["id"]])
    db.execute(
        "insert into answers (screening_id, question_id, value, answered_at) values (?, 'retired', '\"yes\"', 'x')",
        [row["id"]],
    )
    db.execute(
        "update answers set value = '\"sometimes\"' where screening_id = ? and question_id = 'self_harm'", [row["id"]]
    )
    resumed = client.post(f"/s/{interview.reference}/resume")
    assert resumed.headers["Location"].endswith("/q/health_now")
    page = client.get(resumed.headers["Location"]).get_data(as_text=True)
    assert "The questions were updated since this interview began" in page
    assert 'value="sometimes"' not in page
    assert 'name="self_harm" value="no" checked' not in page
    assert screening_row(db, interview.reference)["bank_version"] == "0.old"  # a look changes nothing
    interview.answer("self_harm", self_harm="no")
    assert screening_row(db, interview.reference)["bank_version"] != "0.old"


def test_an_expired_session_mid_interview_logs_in_again_and_continues_there(interview, client, db):
    interview.start()
    interview.run({}, until="act")
    db.execute("update sessions set last_seen = '2000-01-01T00:00:00+00:00'")
    response = client.post(interview.url("act"), data={"act": "yes"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/s/")
    assert "act" not in stored_answers(db, interview.reference)
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your session ended after a time without use" in login_page
    back = client.post(
        "/login", data={"username": "officer", "password": "a long test password", "next": interview.url("act")}
    )
    assert back.headers["Location"] == interview.url("act")
    assert client.post(interview.url("act"), data={"act": "yes"}).status_code == 302
    assert stored_answers(db, interview.reference)["act"] == "yes"


def test_answers_cannot_be_changed_after_the_interview_is_completed(interview, client, db):
    interview.start()
    interview.run({})
    response = client.post(interview.url("danger_now"), data={"danger_now": "yes"})
    assert response.headers["Location"] == f"/s/{interview.reference}"
    assert stored_answers(db, interview.reference)["danger_now"] == "no"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"interpreter": "linked"}, "Do not go on with this interpreter"),
        ({"private": ""}, "Move somewhere private before you start"),
        ({"post": ""}, "Enter the post or location"),
        ({"post": "x" * 101}, "Use at most 100 characters"),
        ({"interview_lang": "xx"}, "Choose a language from the list"),
        ({"interpreter": ""}, "Say whether an interpreter is helping"),
    ],
)
def test_the_start_page_refuses_to_begin_unsafely_and_keeps_the_entries(client, interview, db, data, message):
    fields = {"post": "Mae Sot", "interview_lang": "en", "interpreter": "none", "private": "y", **data}
    response = client.post("/new", data={k: v for k, v in fields.items() if v != ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    if "post" not in data:
        assert 'value="Mae Sot"' in page
    assert next(db.query("select count(*) as n from screenings"))["n"] == 0


def test_a_missing_consent_answer_asks_again(interview, client, db):
    interview.start()
    db.execute("update screenings set consent = null")
    response = client.post(f"/s/{interview.reference}/consent", data={})
    assert "Record whether the person agrees" in response.get_data(as_text=True)
    assert screening_row(db, interview.reference)["status"] == cases.DRAFT


def test_a_stop_without_a_reason_asks_for_one(interview, client, db):
    interview.start()
    response = client.post(f"/s/{interview.reference}/stop", data={"reason": "bored"})
    assert "Choose why you are stopping" in response.get_data(as_text=True)
    assert screening_row(db, interview.reference)["status"] == cases.DRAFT


def test_the_officers_concern_needs_a_written_reason(interview, client):
    interview.start()
    interview.run({"officer_concern": "yes"}, until="officer")
    # Without the page's script the reason is asked once the concern is saved, on the same page...
    asked = interview.answer("officer", officer_concern="yes", officer_concern_reason="")
    assert asked.headers["Location"].endswith("/q/officer")
    assert "Why are you concerned?" in client.get(asked.headers["Location"]).get_data(as_text=True)
    # ...and it must be written.
    response = interview.answer("officer", officer_concern="yes", officer_concern_reason="   ")
    assert "Enter a short reason" in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_a_wrong_method_gets_a_page_not_a_crash(interview, client, method):
    interview.start()
    response = getattr(client, method)(interview.url("danger_now"))
    assert response.status_code == 405
    assert "<h1>" in response.get_data(as_text=True)


ZAWGYI_MYANMAR = "ျမန္မာ"
UNICODE_MYANMAR = "မြန်မာ"


def test_burmese_typed_in_zawgyi_is_converted_and_shown_back_for_checking(interview, client, db):
    data = {"post": f"{ZAWGYI_MYANMAR} border", "interview_lang": "my", "interpreter": "none", "private": "y"}
    response = client.post("/new", data=data)
    page = response.get_data(as_text=True)
    assert "typed in the old Zawgyi encoding" in page
    assert f'value="{UNICODE_MYANMAR} border"' in page
    assert next(db.query("select count(*) as n from screenings"))["n"] == 0
    accepted = client.post("/new", data={**data, "post": f"{UNICODE_MYANMAR} border"})
    assert accepted.status_code == 302
    assert next(db.query("select post from screenings"))["post"] == f"{UNICODE_MYANMAR} border"


def test_the_officers_reason_refuses_zawgyi_too(interview, client, db):
    interview.start()
    interview.run({"officer_concern": "yes"}, until="officer")
    page = interview.answer("officer", officer_concern="yes", officer_concern_reason=ZAWGYI_MYANMAR).get_data(
        as_text=True
    )
    assert "Zawgyi" in page
    assert UNICODE_MYANMAR in page
    assert "officer_concern_reason" not in stored_answers(db, interview.reference)
