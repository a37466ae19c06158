"""Referrals: consent rules, the officer's pages, downloads, the shell command, and who may see them."""

import io
import json

import pytest
from pypdf import PdfReader

from screening.cases import records as cases
from screening.db.connection import connect
from screening.protection import crypto
from screening.referral import person, referrals
from tests.conftest import IN_DANGER, Interview, add_organisation

ADULT = {"child": False, "urgent": False, "outcome": "possible"}
CHILD = {"child": True, "urgent": False, "outcome": "presumed"}
URGENT = {"child": False, "urgent": True, "outcome": "not_indicated"}


@pytest.mark.parametrize(
    ("consented", "assessment", "kind", "reason", "expected"),
    [
        (True, ADULT, "shelter", None, "consent"),
        (True, CHILD, "shelter", None, "consent"),
        (False, CHILD, "child_protection", None, "child_best_interests"),
        (False, URGENT, "shelter", "Controller waiting outside", "urgent"),
        (False, {**CHILD, "urgent": True}, "medical", "Bleeding", "urgent"),
    ],
)
def test_the_basis_of_a_referral_follows_the_consent_rules(consented, assessment, kind, reason, expected):
    assert referrals.basis_for(consented, assessment, kind, reason) == expected


@pytest.mark.parametrize(
    ("assessment", "kind", "reason", "message"),
    [
        (ADULT, "shelter", None, "Without the person's consent no referral is made"),
        (CHILD, "shelter", None, "Without the person's consent no referral is made"),
        (URGENT, "shelter", "   ", "an urgent referral needs your written reason"),
        (ADULT, "child_protection", "I think it is best", "Without the person's consent no referral is made"),
    ],
)
def test_without_consent_no_referral_is_made_outside_the_two_exceptions(assessment, kind, reason, message):
    with pytest.raises(referrals.ReferralRefused, match=message):
        referrals.basis_for(False, assessment, kind, reason)


@pytest.mark.parametrize(
    ("assessment", "expected"),
    [
        ({"urgent": True, "outcome": "not_indicated", "child": False}, "emergency"),
        ({"urgent": False, "outcome": "presumed", "child": False}, "urgent"),
        ({"urgent": False, "outcome": "not_indicated", "child": True}, "urgent"),
        ({"urgent": False, "outcome": "possible", "child": False}, "normal"),
    ],
)
def test_the_suggested_priority_follows_the_result(assessment, expected):
    assert referrals.default_priority(assessment) == expected


@pytest.fixture
def completed(interview, db):
    """Return the reference of a completed urgent adult case, with a shelter and a clinic in the directory."""
    interview.start()
    interview.run(IN_DANGER)
    add_organisation(db, "EXAMPLE - Shelter", "shelter", "km")
    add_organisation(db, "EXAMPLE - Clinic", "medical", "th")
    return interview.reference


def org_id(db, name):
    return next(db.query("select id from organisations where name = ?", [name]))["id"]


def test_the_refer_page_suggests_kinds_and_preselects_priority_and_services(client, completed):
    page = client.get(f"/s/{completed}/refer").get_data(as_text=True)
    assert "EXAMPLE - Shelter" in page
    assert "(suggested)" in page
    assert 'value="emergency" checked' in page
    assert 'value="shelter" checked' in page


def test_an_officer_refers_with_consent_item_by_item_and_the_case_lists_it(client, db, completed):
    response = client.post(
        f"/s/{completed}/refer",
        data={
            "organisation": org_id(db, "EXAMPLE - Shelter"),
            "priority": "emergency",
            "consent": "yes",
            "items": ["name", "answers"],
            "services": ["shelter"],
        },
    )
    assert response.status_code == 302
    row = next(db.query("select * from referrals"))
    assert (row["consent"], row["basis"], row["priority"]) == ("yes", "consent", "emergency")
    assert json.loads(row["shared_items"]) == ["name", "answers"]
    assert json.loads(row["services"]) == ["shelter"]
    case_page = client.get(f"/s/{completed}").get_data(as_text=True)
    assert "EXAMPLE - Shelter" in case_page
    assert f"/s/{completed}/referrals/{row['id']}.pdf" in case_page


def test_a_referral_without_consent_is_refused_with_the_reason_and_keeps_the_entries(client, db, completed):
    response = client.post(
        f"/s/{completed}/refer",
        data={"organisation": org_id(db, "EXAMPLE - Clinic"), "priority": "normal", "consent": "no", "items": ["name"]},
    )
    page = response.get_data(as_text=True)
    assert "an urgent referral needs your written reason" in page
    assert 'value="name" checked' in page
    assert next(db.query("select count(*) as n from referrals"))["n"] == 0


def test_an_urgent_referral_without_consent_records_the_officers_reason(client, db, completed):
    client.post(
        f"/s/{completed}/refer",
        data={
            "organisation": org_id(db, "EXAMPLE - Clinic"),
            "priority": "emergency",
            "consent": "no",
            "reason": "The controller is outside the office.",
        },
    )
    row = next(db.query("select * from referrals"))
    assert (row["basis"], crypto.decrypt(row["basis_reason"])) == ("urgent", "The controller is outside the office.")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"organisation": "999"}, "Choose an organisation"),
        ({"priority": "whenever"}, "Choose a priority"),
        ({"items": ["passport_scan"]}, "Choose from the items shown"),
        ({"consent": ""}, "Record whether the person agrees"),
    ],
)
def test_bad_referral_input_is_explained(client, db, completed, data, message):
    fields = {"organisation": org_id(db, "EXAMPLE - Shelter"), "priority": "urgent", "consent": "yes", **data}
    page = client.post(f"/s/{completed}/refer", data=fields).get_data(as_text=True)
    assert message in page
    assert next(db.query("select count(*) as n from referrals"))["n"] == 0


def make_referral(client, db, reference, name="EXAMPLE - Shelter"):
    client.post(
        f"/s/{reference}/refer",
        data={
            "organisation": org_id(db, name),
            "priority": "urgent",
            "consent": "yes",
            "items": list(referrals.ITEMS),
            "services": ["shelter"],
        },
    )
    return next(db.query("select id from referrals order by id desc limit 1"))["id"]


def test_the_referral_downloads_in_the_organisations_language_and_is_recorded(client, db, completed):
    referral_id = make_referral(client, db, completed)
    response = client.get(f"/s/{completed}/referrals/{referral_id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert f"{completed}-referral-{referral_id}-km.pdf" in response.headers["Content-Disposition"]
    assert PdfReader(io.BytesIO(response.data)).attachments["referral.json"]
    export = next(db.query("select * from exports"))
    assert (export["document"], export["lang"], export["via"], export["referral_id"]) == (
        "referral",
        "km",
        "web",
        referral_id,
    )
    assert export["user_id"] == next(db.query("select id from users where username = 'officer'"))["id"]


def test_another_language_and_letter_paper_can_be_chosen(client, db, completed):
    referral_id = make_referral(client, db, completed)
    response = client.get(f"/s/{completed}/referrals/{referral_id}.pdf?lang=vi&paper=letter")
    page = PdfReader(io.BytesIO(response.data)).pages[0]
    assert round(float(page.mediabox.width)) == 612
    assert next(db.query("select lang from exports"))["lang"] == "vi"


def test_the_persons_sheet_is_in_the_interview_language(client, db, completed):
    referral_id = make_referral(client, db, completed)
    response = client.get(f"/s/{completed}/referrals/{referral_id}/info.pdf")
    assert response.status_code == 200
    assert next(db.query("select document, lang from exports")) == {"document": "info", "lang": "en"}


@pytest.mark.parametrize(
    "path", ["/s/{ref}/referrals/{rid}.pdf", "/s/{ref}/referrals/{rid}/info.pdf", "/s/{ref}/refer"]
)
def test_another_officers_referral_is_a_404(app, client, db, completed, path):
    referral_id = make_referral(client, db, completed)
    other = Interview(app.test_client())
    other.login("other")
    response = other.client.get(path.format(ref=completed, rid=referral_id))
    assert response.status_code == 404
    assert next(db.query("select count(*) as n from exports"))["n"] == 0


def test_a_referral_of_another_case_is_a_404_even_for_its_officer(client, db, interview, completed):
    referral_id = make_referral(client, db, completed)
    interview.start()
    interview.run({})
    assert client.get(f"/s/{interview.reference}/referrals/{referral_id}.pdf").status_code == 404


def test_a_draft_cannot_be_referred(client, interview):
    interview.start()
    response = client.get(f"/s/{interview.reference}/refer")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/s/{interview.reference}"


def test_the_persons_details_are_kept_apart_and_validated(client, db, completed):
    page = client.post(f"/s/{completed}/person", data={"name": "A", "date_of_birth": "31/12/2001"}).get_data(
        as_text=True
    )
    assert "Enter the date as year-month-day" in page
    assert 'value="A"' in page
    client.post(
        f"/s/{completed}/person", data={"name": "Ma Demo", "contact": "+95 9 000", "date_of_birth": "2001-12-31"}
    )
    screening = cases.find(db, completed)
    assert person.stored(db, screening["id"])["name"] == "Ma Demo"
    assert "Ma Demo" not in json.dumps(cases.answers(db, screening["id"]))


def test_the_shell_command_writes_the_referral_and_records_it(app, runner, client, db, completed, tmp_path):
    make_referral(client, db, completed)
    target = tmp_path / "out.pdf"
    result = runner.invoke(
        args=["referral", "pdf", completed.lower().replace("-", ""), "--lang", "th", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert PdfReader(str(target)).attachments["referral.json"]
    export = next(db.query("select * from exports"))
    assert (export["via"], export["lang"], export["user_id"]) == ("cli", "th", None)


def test_the_shell_command_asks_which_organisation_when_there_are_several(runner, client, db, completed, tmp_path):
    make_referral(client, db, completed, "EXAMPLE - Shelter")
    make_referral(client, db, completed, "EXAMPLE - Clinic")
    target = tmp_path / "out.pdf"
    several = runner.invoke(args=["referral", "pdf", completed, "-o", str(target)])
    assert several.exit_code != 0
    assert "EXAMPLE - Shelter" in several.output
    assert "EXAMPLE - Clinic" in several.output
    picked = runner.invoke(args=["referral", "pdf", completed, "--to", "clinic", "--info", "-o", str(target)])
    assert picked.exit_code == 0, picked.output
    assert next(db.query("select document from exports"))["document"] == "info"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NOPE-NOPE-NOPE"], "No case has the reference"),
        (["{ref}", "--lang", "xx"], "Unknown language xx"),
        (["{ref}", "--to", "nobody"], "No referral of this case matches"),
    ],
)
def test_the_shell_command_explains_bad_input(runner, client, db, completed, tmp_path, args, message):
    make_referral(client, db, completed)
    result = runner.invoke(
        args=["referral", "pdf", *[a.format(ref=completed) for a in args], "-o", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code != 0
    assert message in result.output


def test_a_referral_made_on_the_web_is_counted_and_committed(app, client, db, completed):
    make_referral(client, db, completed)
    fresh = connect(app.config["SCREENING_DATABASE"])
    try:
        rows = list(fresh.query("select scope, n from fact_counts where key = 'referral_status' and value = 'sent'"))
    finally:
        fresh.close()
    assert sorted(r["n"] for r in rows) == [1, 1]
