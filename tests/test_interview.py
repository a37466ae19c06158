"""Whole interviews through the test client: each outcome, the child path, refusal, stop, resume."""

import json
import re

import pytest

from screening.cases import records as cases
from screening.instrument import questionnaire
from screening.instrument.indicators import INDICATORS
from screening.instrument.scoring import assess
from tests.conftest import SCAM_COMPOUND, Interview, outcome_of


def screening_row(db, reference):
    return next(db.query("select * from screenings where reference = ?", [reference]))


def stored_answers(db, reference):
    row = screening_row(db, reference)
    return cases.answers(db, row["id"])


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (SCAM_COMPOUND, ("presumed", "adult_combination", "false")),
        (
            {"stage": "in_transit", "deceived": ["job_nature", "legal_status"]},
            ("possible", "P2", "false"),
        ),
        ({"coercion": ["confinement"]}, ("possible", "P3", "false")),
        (
            {"officer_concern": "yes", "officer_concern_reason": "Her ticket was bought by a stranger."},
            ("possible", "P5", "false"),
        ),
        ({"conditions": ["excessive_hours", "low_or_no_pay"]}, ("not_indicated", "none", "false")),
        ({"danger_now": "yes"}, ("not_indicated", "none", "true")),
    ],
)
def test_an_adult_interview_ends_in_the_outcome_its_answers_establish(interview, db, answers, expected):
    interview.start()
    result = interview.run(answers)
    assert outcome_of(result) == expected
    row = screening_row(db, interview.reference)
    assert row["status"] == "completed"
    assert row["outcome"] == expected[0]
    assert row["rule"] == expected[1]
    assert json.loads(row["assessment"]) == assess(json.loads(cases.find(db, interview.reference)["evidence"]))


def test_the_result_explains_itself_with_the_indicators_found(interview):
    interview.start()
    page = interview.run(SCAM_COMPOUND).get_data(as_text=True)
    assert "Refer as a presumed victim of trafficking" in page
    assert "The job, place of work or employer was not what was promised" in page
    assert "Passport or ID kept by someone else" in page
    assert "Forced criminality (such as online scams)" in page
    assert "Facebook or Messenger" in page
    assert "not a legal identification" in page


def test_a_child_is_asked_only_the_minimum_and_referred_to_child_protection(interview, db):
    interview.start()
    result = interview.run({"age": "16", "act": "yes", "forms": ["sexual"], "accompanied": "yes"})
    assert outcome_of(result) == ("presumed", "child_exploitation", "false")
    assert "Child-protection services" in result.get_data(as_text=True)
    answered = stored_answers(db, interview.reference)
    for adult_only in ("deceived", "forced_to_go", "vulnerability", "pressure", "kept_there", "paid_crossing"):
        assert adult_only not in answered
    assert "possibly_minor" not in answered


def test_every_sign_on_the_child_list_can_be_recorded_on_the_child_path(interview, db):
    # Screening model §6: the child minimum can still record every indicator the child list
    # rates, the child asked a few plain questions and the rest carried by the officer.
    signs = {
        q.id: [c.value for c in q.choices if "indicators" in c.evidence and c.value not in ("unknown", "declined")]
        for q in questionnaire.QUESTIONS
        if q.kind == "multi"
    }
    every_sign = {qid: values for qid, values in signs.items() if values}
    interview.start()
    interview.run({"age": "15", "stage": "at_destination", "act": "yes", "accompanied": "yes", **every_sign})
    row = screening_row(db, interview.reference)
    evidence = cases.find(db, interview.reference)["evidence"]
    evidence = json.loads(evidence) if isinstance(evidence, str) else evidence
    present = {code for code, status in evidence["indicators"].items() if status == "present"}
    child_list = {code for code, indicator in INDICATORS.items() if indicator.child}
    assert child_list - present == set()
    asked = stored_answers(db, interview.reference)
    assert not {"deceived", "forced_to_go", "vulnerability", "recruiter_ties", "pressure", "kept_there"} & set(asked)
    assert row["status"] == "completed"


def test_a_child_alone_makes_the_result_urgent(interview):
    interview.start()
    result = interview.run({"age": "15", "accompanied": "no"})
    assert outcome_of(result)[2] == "true"
    assert "A child alone" in result.get_data(as_text=True)


def test_an_adult_who_may_be_a_minor_is_treated_as_a_child(interview):
    interview.start()
    result = interview.run({"age": "19", "possibly_minor": "unsure", "act": "unknown", "forms": ["forced_begging"]})
    assert outcome_of(result)[:2] == ("presumed", "child_exploitation")


def test_a_refusal_is_recorded_and_nothing_more_is_asked(interview, db, client):
    response = interview.start(consent="no")
    assert response.headers["Location"] == f"/s/{interview.reference}"
    row = screening_row(db, interview.reference)
    assert (row["status"], row["consent"]) == ("refused", "no")
    assert row["ended_at"] is not None
    follow = client.get(interview.url("danger_now"))
    assert follow.headers["Location"] == f"/s/{interview.reference}"
    assert stored_answers(db, interview.reference) == {}
    assert "did not agree" in client.get(f"/s/{interview.reference}").get_data(as_text=True)


def test_an_urgent_answer_shows_the_safety_panel_at_once_and_on_every_later_page(interview, client):
    interview.start()
    interview.answer("danger_now", danger_now="yes")
    for page_id in ("safety", "about_person", "about_you"):
        page = client.get(interview.url(page_id)).get_data(as_text=True)
        assert "Urgent: safety first" in page
        assert "The person is in immediate danger" in page
        interview.answer(page_id, **({"danger_now": "yes"} if page_id == "safety" else {}))


def test_the_safety_panel_is_shown_in_full_after_the_answer_then_folded_to_its_reasons(interview, client):
    interview.start()
    interview.answer("safety", danger_now="yes", controller_nearby="no")
    action = "Move the person to a safe place and call the emergency services if needed."
    after = client.get(interview.url("health_now")).get_data(as_text=True)
    assert '<section class="urgent"' in after
    assert action in after
    interview.answer("health_now", medical_now="no", self_harm="no")
    later = client.get(interview.url("about_person")).get_data(as_text=True)
    assert '<section class="urgent"' not in later
    summary = re.search(r'<details class="urgent" dir="ltr">\s*<summary>(.*?)</summary>(.*?)</details>', later, re.S)
    assert "The person is in immediate danger" in summary.group(1)
    assert action not in summary.group(1)
    assert action in summary.group(2)
    # A new urgent answer is shown in full again, with the earlier one.
    interview.answer("about_person", stage="at_destination", age="15")
    following = interview.answer("accompanied", accompanied="no").headers["Location"]
    again = client.get(following).get_data(as_text=True)
    assert '<section class="urgent"' in again
    assert "A child alone" in again
    assert action in again


def test_no_safety_panel_without_an_urgent_answer(interview, client):
    interview.start()
    interview.answer("danger_now", danger_now="no")
    assert "Urgent: safety first" not in client.get(interview.url("about_person")).get_data(as_text=True)


def test_every_page_is_saved_before_the_next_is_shown(interview, db):
    interview.start()
    response = interview.answer("danger_now", danger_now="declined")
    assert response.headers["Location"].endswith("/q/health_now")
    assert stored_answers(db, interview.reference) == {"danger_now": "declined", "controller_nearby": "no"}
    interview.answer("stage", stage="in_transit", age="31")
    assert stored_answers(db, interview.reference)["stage"] == "in_transit"


def test_an_interview_stopped_halfway_keeps_its_answers_and_can_go_on(interview, db, client):
    interview.start()
    interview.run({"danger_now": "yes"}, until="act")
    stop = client.post(f"/s/{interview.reference}/stop", data={"reason": "distress"})
    assert stop.headers["Location"] == f"/s/{interview.reference}"
    row = screening_row(db, interview.reference)
    assert (row["status"], row["stop_reason"]) == ("stopped", "distress")
    assert stored_answers(db, interview.reference)["danger_now"] == "yes"
    page = client.get(f"/s/{interview.reference}")
    assert outcome_of(page)[2] == "true"
    assert "stopped before the end" in page.get_data(as_text=True)
    resumed = client.post(f"/s/{interview.reference}/resume")
    assert resumed.headers["Location"].endswith("/q/act")
    assert screening_row(db, interview.reference)["status"] == "draft"


def test_a_draft_is_resumed_after_the_browser_is_closed(app, interview, db):
    interview.start()
    interview.run({}, until="channel")
    fresh = Interview(app.test_client())
    fresh.login()
    listing = fresh.client.get("/").get_data(as_text=True)
    assert interview.reference in listing
    case_page = fresh.client.get(f"/s/{interview.reference}").get_data(as_text=True)
    assert f'href="/s/{interview.reference}/q/channel"' in case_page


def test_drafts_come_first_in_the_case_list(interview, client):
    interview.start()
    finished = interview.reference
    interview.run({})
    interview.start()
    draft = interview.reference
    listing = client.get("/").get_data(as_text=True)
    assert listing.index(draft) < listing.index(finished)


def test_changing_an_answer_from_the_check_page_returns_to_it(interview, client, db):
    interview.start()
    interview.run({}, until="check")
    check = client.get(f"/s/{interview.reference}/check").get_data(as_text=True)
    change = f"/s/{interview.reference}/q/act?change=1"
    assert f'href="{change}"' in check
    form = client.get(change).get_data(as_text=True)
    assert 'name="change" value="1"' in form
    response = client.post(interview.url("act"), data={"act": "yes", "change": "1"})
    assert response.headers["Location"] == f"/s/{interview.reference}/check"
    assert stored_answers(db, interview.reference)["act"] == "yes"


def test_a_change_that_reveals_new_questions_asks_them_before_the_check_page(interview, client):
    interview.start()
    interview.run({"age": "30"}, until="check")
    response = interview.answer("age", age="15", change="1")
    assert response.headers["Location"] == f"/s/{interview.reference}/q/accompanied?change=1"


def test_the_check_page_lists_every_visible_answer_in_words(interview, client):
    interview.start()
    interview.run({"channel": ["tiktok", "stranger"]}, until="check")
    page = client.get(f"/s/{interview.reference}/check").get_data(as_text=True)
    assert "<li>TikTok</li><li>Someone you did not know before</li>" in page  # a list: answers may hold commas
    visible = [q for q in questionnaire.QUESTIONS if q.section != "officer" and q.show_if is None]
    for question in visible:
        assert str(question.text).replace("'", "&#39;") in page


def test_every_interview_page_has_the_exit_control(interview, client):
    interview.start()
    for path in (interview.url("danger_now"), f"/s/{interview.reference}/consent", f"/s/{interview.reference}/stop"):
        page = client.get(path).get_data(as_text=True)
        assert 'href="/exit"' in page
        assert "Exit this page" in page


# --- issue 12: what the officer sees around the interview ---------------------------------


def test_the_interview_pages_show_no_menu_and_no_language_list_only_the_exit(interview, client):
    interview.start()
    for path in (interview.url("danger_now"), f"/s/{interview.reference}/check", f"/s/{interview.reference}/stop"):
        page = client.get(path).get_data(as_text=True)
        assert 'class="exit"' in page
        assert 'class="account"' not in page, path
        assert 'class="languages"' not in page, path
    case_list = client.get("/").get_data(as_text=True)
    assert 'class="account"' in case_list


def test_every_form_on_an_interview_page_says_where_it_goes(interview, client):
    # With the page's script the address bar shows a neutral address, so a form that posted to
    # "the address shown" would post there and lose the answers.
    interview.start()
    reference = interview.reference
    for path in (f"/s/{reference}/consent", interview.url("danger_now"), f"/s/{reference}/stop"):
        page = client.get(path).get_data(as_text=True)
        forms = re.findall(r"<form[^>]*>", page)
        assert forms, path
        for form in forms:
            assert re.search(rf'action="/s/{reference}/[a-z_/]+"', form), (path, form)


def test_the_interview_language_is_offered_in_the_officers_own_language_first(interview, client):
    page = client.get("/new?lang=km").get_data(as_text=True)
    assert '<option value="km" selected>' in page


def test_a_case_stopped_before_any_answer_says_so_and_what_was_not_asked(interview, client):
    interview.start()
    client.post(f"/s/{interview.reference}/stop", data={"reason": "distress"})
    page = client.get(f"/s/{interview.reference}").get_data(as_text=True)
    assert "Stopped before any question was answered" in page
    assert "No trafficking indicated" not in page
    assert "Not asked" in page
    assert "Safety first" in page


def test_the_result_names_who_to_refer_a_presumed_victim_to_and_shows_no_rule_codes(interview):
    interview.start()
    page = interview.run(SCAM_COMPOUND).get_data(as_text=True)
    assert outcome_of(interview.client.get(f"/s/{interview.reference}"))[0] == "presumed"
    assert "A specialist anti-trafficking unit, for protection and a full identification interview" in page
    assert "(rule adult_combination)" not in page
    assert "rule-code" not in page


def test_a_child_in_an_always_exploitation_form_with_the_act_unknown_is_not_said_to_have_been_recruited(interview):
    interview.start()
    page = interview.run({"age": "15", "act": "unknown", "forms": ["sexual"], "accompanied": "yes"}).get_data(
        as_text=True
    )
    assert outcome_of(interview.client.get(f"/s/{interview.reference}"))[:2] == ("presumed", "child_exploitation")
    assert "whether someone arranged it is not known yet" in page
    assert "A child was recruited, moved or held" not in page


def test_the_officers_own_pages_speak_only_the_officers_language(interview, client):
    interview.start(interview_lang="km")
    interview.run({"age": "15"}, until="child_forced")
    page = client.get(interview.url("child_forced")).get_data(as_text=True)
    khmer = re.compile("[\u1780-\u17ff]")
    choose_all = re.search(r'<p class="hint choose-all">(.*?)</p>', page, re.S).group(1)
    assert "Choose all that apply." in choose_all
    assert not khmer.search(choose_all)
    assert re.findall(r'<p class="or"[^>]*>(.*?)</p>', page, re.S) == ["or"]
    # The person's own pages still show both, the person's language first.
    person = client.get(interview.url("forms")).get_data(as_text=True)
    assert khmer.search(re.search(r'<p class="hint choose-all">(.*?)</p>', person, re.S).group(1))
