"""The phone handed over to the person: their own questions only, nothing else reachable, given back with a code."""

import json
import re

import pytest

from screening.cases import handover, records
from screening.instrument import questionnaire
from tests.conftest import PASSWORD, Interview

CODE = "2468"
# Where a handed-over session may still go (views/handover.py): its own pages, clips, and static files.
OPEN = {"handover.turn", "handover.give_back", "audio.clip", "static", "worker.script"}


def handed_over(interview, lang="km", code=CODE, until="act"):
    """Start an interview, answer up to ``until``, and hand the phone over; return the reference."""
    interview.start(interview_lang=lang, post="Checkpoint 7, hall B")
    interview.run({}, until=until)
    response = interview.client.post(f"/s/{interview.reference}/hand-over", data={"code": code})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/turn")
    return interview.reference


def current_question(client):
    page = client.get("/turn").get_data(as_text=True)
    found = re.search(r'name="question" value="([^"]+)"', page)
    return found.group(1) if found else None


def test_a_code_that_is_not_4_to_8_digits_is_refused_and_nothing_is_handed_over(interview, db):
    interview.start()
    for code in ("", "12", "12a4", "123456789"):
        response = interview.client.post(f"/s/{interview.reference}/hand-over", data={"code": code})
        assert response.status_code == 200
        assert "Choose a code of 4 to 8 digits" in response.get_data(as_text=True)
    assert all(row["handover"] is None for row in db.query("select handover from sessions"))
    assert interview.client.get("/turn").status_code == 404


def test_the_officers_question_page_offers_the_hand_over_only_while_the_person_has_questions_left(interview):
    interview.start()
    page = interview.client.get(interview.url("danger_now")).get_data(as_text=True)
    assert f"/s/{interview.reference}/hand-over" in page
    interview.run({}, until="check")
    page = interview.client.get(interview.url("distress")).get_data(as_text=True)
    assert "/hand-over" not in page


def test_the_person_sees_one_question_in_their_language_and_nothing_of_the_officer_or_the_case(interview):
    reference = handed_over(interview)
    page = interview.client.get("/turn").get_data(as_text=True)
    assert '<html lang="km"' in page
    question = questionnaire.BY_ID[current_question(interview.client)]
    assert question.audience == "person"
    for absent in (reference, "Checkpoint 7", "Trafficking screening", "Log out", "Cases", "Exit this page"):
        assert absent not in page
    # Only their own question's words: no other question, no earlier answer.
    assert page.count('name="question"') == 1
    assert "aria-pressed" not in page
    assert "checked" not in page


def _value(rule, name, reference):
    converter = rule._converters[name]
    if name == "reference":
        return reference
    if hasattr(converter, "items"):
        return sorted(converter.items)[0]
    return 1 if converter.regex == r"\d+" or "id" in name else "km"


def test_every_address_of_the_app_refuses_a_handed_over_session(app, interview):
    reference = handed_over(interview)
    client = interview.client
    tried = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in OPEN:
            continue
        path = rule.build({name: _value(rule, name, reference) for name in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, data={"code": CODE, "username": "officer"})
            body = response.get_data(as_text=True)
            assert response.status_code == 403, (method, path, response.status_code)
            assert reference not in body, path
            assert "Checkpoint 7" not in body, path
            tried += 1
    assert tried > 70
    # The refusals took nothing from the hand-over: the person's question is still there.
    assert current_question(client)


def test_the_persons_answers_are_saved_marked_as_theirs_and_audited(interview, db):
    reference = handed_over(interview)
    question = current_question(interview.client)
    response = interview.client.post("/turn", data={"question": question, "answer": "yes"})
    assert response.status_code == 303
    screening = records.find(db, reference)
    assert records.answers(db, screening["id"])[question] == "yes"
    assert records.answered_by_person(db, screening["id"]) == {question}
    actions = [r["action"] for r in db.query("select action from audit where reference = ?", [reference])]
    assert "handover" in actions
    assert actions[-1] == "person_answers"
    # Sent again from the old page: nothing is saved twice, the current question is shown.
    again = interview.client.post("/turn", data={"question": question, "answer": "no"})
    assert again.status_code == 303
    assert records.answers(db, screening["id"])[question] == "yes"


def test_a_question_with_several_answers_needs_one_and_keeps_nothing_when_none_is_given(interview, db):
    reference = handed_over(interview, lang="en", until="channel")
    client = interview.client
    assert current_question(client) == "channel"
    refused = client.post("/turn", data={"question": "channel"})
    assert refused.status_code == 400
    assert "Choose at least one answer" in refused.get_data(as_text=True)
    screening = records.find(db, reference)
    assert "channel" not in records.answers(db, screening["id"])
    client.post("/turn", data={"question": "channel", "answer": ["facebook", "known_person"]})
    assert set(records.answers(db, screening["id"])["channel"]) == {"facebook", "known_person"}
    following = current_question(client)
    client.post("/turn", data={"question": following, "alternative": "declined", "answer": ["money"]})
    assert records.answers(db, screening["id"])[following] == ["declined"]


def test_the_code_or_the_password_gives_the_phone_back_to_the_officers_page(interview, db):
    reference = handed_over(interview)
    back = interview.client.post("/turn/back", data={"code": CODE})
    assert back.status_code == 303
    assert f"/s/{reference}/" in back.headers["Location"]
    assert interview.client.get(f"/s/{reference}").status_code == 200
    assert interview.client.get("/turn").status_code == 404
    interview.client.post(f"/s/{reference}/hand-over", data={"code": "97531"})
    back = interview.client.post("/turn/back", data={"code": PASSWORD})
    assert back.status_code == 303
    entries = list(db.query("select action, detail from audit where action = 'handover_back'"))
    assert len(entries) == 2
    assert json.loads(entries[0]["detail"]) == {"answered": 0}


def test_five_wrong_codes_end_the_hand_over_and_lock_the_case_until_the_officer_logs_in(app, interview, db, users):
    reference = handed_over(interview)
    for left in range(handover.ATTEMPTS - 1, 0, -1):
        wrong = interview.client.post("/turn/back", data={"code": "0000"})
        assert wrong.status_code == 400
        assert f"{left} tries left" in wrong.get_data(as_text=True)
    locked = interview.client.post("/turn/back", data={"code": "0000"})
    assert locked.status_code == 403
    assert "The case is locked" in locked.get_data(as_text=True)
    assert interview.client.get("/turn").status_code == 404
    assert interview.client.get(f"/s/{reference}").status_code == 302  # logged out: to the login page
    assert (
        db.execute(
            "select count(*) from sessions where ended_at is null and user_id = ?", [users["officer"]]
        ).fetchone()[0]
        == 0
    )
    supervisor = Interview(app.test_client())
    supervisor.login("supervisor")
    assert supervisor.client.get(f"/s/{reference}").status_code == 423
    interview.login()
    assert interview.client.get(f"/s/{reference}").status_code == 200
    assert supervisor.client.get(f"/s/{reference}").status_code == 200
    actions = [r["action"] for r in db.query("select action from audit where reference = ?", [reference])]
    assert "handover_locked" in actions
    assert "unlock_case" in actions


def test_the_check_page_the_case_and_the_referral_say_which_answers_the_person_gave_alone(interview, db, app):
    reference = handed_over(interview, lang="en")
    question = current_question(interview.client)
    interview.client.post("/turn", data={"question": question, "answer": "no"})
    interview.client.post("/turn/back", data={"code": CODE})
    check = interview.client.get(f"/s/{reference}/check").get_data(as_text=True)
    assert check.count("Answered by the person on their own") == 1
    interview.client.post(f"/s/{reference}/stop", data={"reason": "interrupted"})
    case = interview.client.get(f"/s/{reference}").get_data(as_text=True)
    assert "Answered by the person on their own" in case
    assert str(questionnaire.BY_ID[question].text) in case
    from screening.referral import pdf
    from tests.conftest import add_organisation, refer

    screening = records.find(db, reference)
    referral = refer(db, screening, db["organisations"].get(add_organisation(db)), screening["officer_id"])
    alone = records.answered_by_person(db, screening["id"])
    with app.test_request_context():
        html = pdf.referral_html(screening, referral, {}, records.answers(db, screening["id"]), {}, "en", alone)
        attached = pdf.payload(screening, referral, {}, records.answers(db, screening["id"]), {}, alone)
    assert "Answered by the person on their own" in html
    assert attached["answered_by_person"] == [question]


@pytest.mark.parametrize("lang", ["ur", "my"])
def test_the_persons_pages_are_in_their_language_and_direction_with_the_officers_part_in_the_officers(interview, lang):
    handed_over(interview, lang=lang)
    turn = interview.client.get("/turn").get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ur" else "ltr"}"' in turn
    assert "Stop and give the phone back" not in turn  # translated
    back = interview.client.get("/turn/back").get_data(as_text=True)
    assert 'class="officer-part" lang="en" dir="ltr"' in back
    assert "Take the phone back" in back
