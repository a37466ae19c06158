"""The command line: exporting the bank, running the rule on a file, demo data, and accounts."""

import json
import re
from collections import Counter

import pytest
from flask.cli import FlaskGroup

from screening.cases import records as cases
from screening.instrument import questionnaire
from screening.instrument.logic import evidence_for
from screening.instrument.scoring import assess
from screening.protection import crypto
from tests.conftest import PASSWORD, actor

REFERENCE = re.compile(r"^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$")
EXIT_BAD_INPUT = 2
CHILD_SEXUAL = {"age": 16, "exploitation_forms": ["sexual"]}
LONG_PASSWORD = "twelve chars or more"


def assessed(result):
    """Return the assessment a successful ``questionnaire assess`` printed."""
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- questionnaire export -------------------------------------------------------------


def test_export_prints_the_bank_as_json_with_its_version_and_every_question(runner):
    result = runner.invoke(args=["questionnaire", "export"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["version"] == questionnaire.VERSION
    assert [q["id"] for q in document["questions"]] == [q.id for q in questionnaire.QUESTIONS]
    age = next(q for q in document["questions"] if q["id"] == "age")
    assert age["evidence_field"] == "age"


# --- questionnaire assess -------------------------------------------------------------


def test_assess_reads_an_evidence_file_and_prints_the_assessment(runner, tmp_path):
    source = tmp_path / "evidence.json"
    source.write_text(json.dumps(CHILD_SEXUAL), encoding="utf-8")
    result = assessed(runner.invoke(args=["questionnaire", "assess", str(source)]))
    assert result == assess(CHILD_SEXUAL)
    assert (result["outcome"], result["rule"], result["child"]) == ("presumed", "child_exploitation", True)
    assert result["other_needs"] == ["child_protection"]


def test_assess_reads_standard_input_given_as_a_dash(runner):
    result = assessed(runner.invoke(args=["questionnaire", "assess", "-"], input=json.dumps(CHILD_SEXUAL)))
    assert (result["outcome"], result["rule"]) == ("presumed", "child_exploitation")


def test_assess_of_an_adult_with_all_three_elements_is_the_adult_combination(runner):
    doc = {
        "age": 30,
        "possibly_minor": False,
        "indicators": {
            "d1.job_nature": "present",
            "d1.wages": "present",
            "d4.excessive_hours": "present",
            "d4.low_or_no_pay": "present",
            "d5.confinement": "present",
            "d5.threats": "present",
            "d5.wages_withheld": "declined",
        },
    }
    result = assessed(runner.invoke(args=["questionnaire", "assess", "-"], input=json.dumps(doc)))
    assert (result["outcome"], result["rule"], result["child"]) == ("presumed", "adult_combination", False)
    assert result["declined"] == ["d5.wages_withheld"]


def test_assess_with_answers_goes_through_the_bank(runner):
    answers = {"age": 16, "forms": ["sexual"], "act": "yes"}
    result = assessed(runner.invoke(args=["questionnaire", "assess", "--answers", "-"], input=json.dumps(answers)))
    assert (result["outcome"], result["rule"], result["child"]) == ("presumed", "child_exploitation", True)


def test_assess_with_answers_ignores_an_answer_the_bank_would_not_ask(runner):
    answers = {"age": 15, "deceived": ["job_nature", "wages"], "accompanied": "no"}
    result = assessed(runner.invoke(args=["questionnaire", "assess", "--answers", "-"], input=json.dumps(answers)))
    assert result["dimensions"]["d1"] == {"positive": False, "present": []}
    assert result["urgent_reasons"] == ["child_alone"]


def test_assess_with_answers_scores_the_adult_path(runner):
    answers = {
        "stage": "after_exit",
        "age": 28,
        "possibly_minor": "no",
        "act": "yes",
        "deceived": ["job_nature", "wages"],
        "forms": ["forced_criminality"],
        "conditions": ["excessive_hours", "low_or_no_pay"],
        "coercion": ["confinement", "violence"],
        "pressure": ["declined"],
    }
    result = assessed(runner.invoke(args=["questionnaire", "assess", "--answers", "-"], input=json.dumps(answers)))
    assert (result["outcome"], result["rule"]) == ("presumed", "adult_combination")
    assert result["dimensions"]["d5"]["present"] == ["d5.confinement", "d5.violence"]
    assert "d5.strong_influence" in result["declined"]


INVALID_EVIDENCE = [
    pytest.param("{not json", "not valid JSON", id="bad-json"),
    pytest.param("", "not valid JSON", id="empty"),
    pytest.param("[]", "must be a JSON object", id="a-list"),
    pytest.param('{"colour": "red"}', "'colour'", id="unknown-key"),
    pytest.param('{"indicators": {"d9.bogus": "present"}}', "'d9.bogus'", id="unknown-indicator"),
    pytest.param('{"indicators": {"d1.wages": "maybe"}}', "'maybe'", id="unknown-status"),
    pytest.param('{"age": "abc"}', "'age'", id="age-text"),
    pytest.param('{"age": 16.5}', "'age'", id="age-fraction"),
    pytest.param('{"age": true}', "'age'", id="age-boolean"),
    pytest.param('{"age": 121}', "'age'", id="age-too-old"),
    pytest.param('{"stage": "on_the_moon"}', "'on_the_moon'", id="unknown-stage"),
    pytest.param('{"exploitation_forms": ["piracy"]}', "'piracy'", id="unknown-form"),
    pytest.param('{"urgent": "danger"}', "'urgent'", id="urgent-not-a-list"),
    pytest.param('{"act": "yes"}', "'act'", id="act-not-boolean"),
]


@pytest.mark.parametrize(("text", "names"), INVALID_EVIDENCE)
def test_assess_of_invalid_evidence_exits_with_status_2_naming_the_fault(runner, text, names):
    result = runner.invoke(args=["questionnaire", "assess", "-"], input=text)
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert names in result.stderr


INVALID_ANSWERS = [
    pytest.param('{"colour": "red"}', "unknown question id 'colour'", id="unknown-question"),
    pytest.param('["age"]', "must be a JSON object", id="a-list"),
    pytest.param('{"stage": "on_the_moon"}', "'on_the_moon'", id="bad-single-value"),
    pytest.param('{"deceived": ["bogus"]}', "'bogus'", id="bad-multi-value"),
    pytest.param('{"deceived": []}', "'deceived'", id="empty-multi"),
    pytest.param('{"danger_now": true}', "'danger_now'", id="yesno-boolean"),
    pytest.param('{"age": "abc"}', "'abc'", id="age-text"),
    pytest.param('{"age": "16"}', "'age'", id="age-as-string"),
    pytest.param('{"age": 121}', "121", id="age-too-old"),
    pytest.param('{"officer_concern_reason": "  "}', "'officer_concern_reason'", id="blank-text"),
]


@pytest.mark.parametrize(("text", "names"), INVALID_ANSWERS)
def test_assess_of_invalid_answers_exits_with_status_2_naming_the_fault(runner, text, names):
    result = runner.invoke(args=["questionnaire", "assess", "--answers", "-"], input=text)
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert names in result.stderr


def test_assess_of_an_age_given_as_true_in_answers_exits_with_status_2_naming_the_age(runner):
    result = runner.invoke(args=["questionnaire", "assess", "--answers", "-"], input='{"age": true}')
    assert result.exit_code == EXIT_BAD_INPUT, (result.output, result.exception)
    assert "'age'" in result.stderr


def test_assess_of_answers_that_combine_none_of_these_with_a_sign_exits_with_status_2(runner):
    answers = {"age": 30, "possibly_minor": "no", "deceived": ["none", "job_nature"]}
    result = runner.invoke(args=["questionnaire", "assess", "--answers", "-"], input=json.dumps(answers))
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert "'deceived'" in result.stderr


# --- demo seed ------------------------------------------------------------------------


def seeded(runner, *args):
    """Run ``demo seed`` and return the references it printed."""
    result = runner.invoke(args=["demo", "seed", *args])
    assert result.exit_code == 0, result.output
    return result.stdout.split()


def test_demo_seed_prints_references_of_completed_demo_screenings(runner, db):
    references = seeded(runner, "--count", "12", "--seed", "1")
    assert len(references) == 12
    assert len(set(references)) == 12
    assert all(REFERENCE.match(r) for r in references), references
    rows = list(
        db.query(
            "select s.reference, s.status, s.demo, s.consent, s.outcome, s.rule, s.assessment, s.evidence, "
            "s.bank_version, u.username, (select count(*) from answers a where a.screening_id = s.id) as answered "
            "from screenings s join users u on u.id = s.officer_id"
        )
    )
    assert sorted(r["reference"] for r in rows) == sorted(references)
    for row in rows:
        assert (row["status"], row["demo"], row["consent"]) == ("completed", 1, "yes")
        assert row["username"] == "demo.officer"
        assert row["bank_version"] == questionnaire.VERSION
        assert row["answered"] > 10
        assessment = json.loads(row["assessment"])
        assert (assessment["outcome"], assessment["rule"]) == (row["outcome"], row["rule"])
        assert row["outcome"] in ("presumed", "possible", "not_indicated")


def test_the_stored_demo_assessment_is_the_rule_run_on_the_stored_answers(runner, db):
    seeded(runner, "--count", "12", "--seed", "1")
    for row in db.query("select id, evidence, assessment from screenings"):
        stored = cases.answers(db, row["id"])
        evidence = evidence_for(questionnaire.QUESTIONS, stored)
        assert json.loads(crypto.decrypt(row["evidence"])) == evidence
        assert json.loads(row["assessment"]) == assess(evidence)


def test_demo_seed_spreads_over_more_than_one_outcome(runner, db):
    seeded(runner, "--count", "40", "--seed", "1")
    outcomes = Counter(r["outcome"] for r in db.query("select outcome from screenings"))
    assert sum(outcomes.values()) == 40
    assert len(outcomes) > 1, outcomes


def test_demo_seed_can_add_to_earlier_demo_data(runner, db):
    seeded(runner, "--count", "3", "--seed", "1")
    seeded(runner, "--count", "2", "--seed", "2")
    assert next(db.query("select count(*) as n from screenings where demo = 1"))["n"] == 5
    assert next(db.query("select count(*) as n from users where username = 'demo.officer'"))["n"] == 1


def test_demo_seed_refuses_when_a_real_screening_exists(runner, db, users):
    cases.create(db, actor(db), "Real post", "en", "none")
    result = runner.invoke(args=["demo", "seed", "--count", "3"])
    assert result.exit_code != 0
    assert "holds 1 real screening" in result.output
    assert "--force" in result.output
    assert next(db.query("select count(*) as n from screenings where demo = 1"))["n"] == 0


def test_demo_seed_with_force_adds_demo_cases_beside_real_ones(runner, db, users):
    cases.create(db, actor(db), "Real post", "en", "none")
    references = seeded(runner, "--count", "3", "--force")
    assert len(references) == 3
    counts = {r["demo"]: r["n"] for r in db.query("select demo, count(*) as n from screenings group by demo")}
    assert counts == {0: 1, 1: 3}


# --- users create ---------------------------------------------------------------------


@pytest.fixture
def flask_cli(app):
    """Return the ``flask`` command group as the console runs it, loading the test app."""
    return FlaskGroup(create_app=lambda: app, add_default_commands=False, load_dotenv=False)


def user_row(db, username):
    """Return the account row for a username, or None."""
    rows = list(db.query("select * from users where username = ?", [username]))
    return rows[0] if rows else None


def test_users_create_runs_from_the_apps_command_group_like_the_other_commands(runner, db):
    result = runner.invoke(args=["users", "create", "alice", "--role", "officer"])
    assert result.exit_code == 0, (result.output, result.exception)
    assert user_row(db, "alice") is not None


def test_users_create_prints_a_one_time_password_that_must_be_changed(runner, flask_cli, db, client):
    result = runner.invoke(flask_cli, ["users", "create", "alice", "--role", "officer"])
    assert result.exit_code == 0, (result.output, result.exception)
    lines = result.stdout.splitlines()
    assert lines[0] == "Created the officer account alice."
    match = re.fullmatch(r"One-time password \(to be changed at the first login\): (\S{12,})", lines[1])
    assert match, lines
    password = match.group(1)
    row = user_row(db, "alice")
    assert (row["role"], row["active"], row["must_change_password"]) == ("officer", 1, 1)
    assert password not in row["password_hash"]
    login = client.post("/login", data={"username": "alice", "password": password})
    assert login.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/account/password"


def test_users_create_makes_a_different_one_time_password_each_time(runner, flask_cli):
    first = runner.invoke(flask_cli, ["users", "create", "alice", "--role", "officer"]).stdout
    second = runner.invoke(flask_cli, ["users", "create", "bob", "--role", "supervisor"]).stdout
    assert first.splitlines()[1].split(": ")[1] != second.splitlines()[1].split(": ")[1]
    assert second.splitlines()[0] == "Created the supervisor account bob."


def test_users_create_refuses_a_taken_name(runner, flask_cli, db, users):
    result = runner.invoke(flask_cli, ["users", "create", "officer", "--role", "admin"])
    assert result.exit_code == 1
    assert "Error: The username officer is taken." in result.stderr
    assert user_row(db, "officer")["role"] == "officer"
    assert next(db.query("select count(*) as n from users"))["n"] == len(users)


def test_users_create_refuses_an_unknown_role(runner, flask_cli, db):
    result = runner.invoke(flask_cli, ["users", "create", "alice", "--role", "king"])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "Invalid value for '--role'" in result.stderr
    assert "'king'" in result.stderr
    assert user_row(db, "alice") is None


def test_users_create_with_set_password_refuses_a_short_password(runner, flask_cli, db):
    result = runner.invoke(
        flask_cli, ["users", "create", "alice", "--role", "officer", "--set-password"], input="pw\npw\n"
    )
    assert result.exit_code == 1
    assert "Use at least 12 characters" in result.stderr
    assert user_row(db, "alice") is None


def test_users_create_with_set_password_takes_the_typed_password(runner, flask_cli, db, client):
    typed = f"{LONG_PASSWORD}\n{LONG_PASSWORD}\n"
    result = runner.invoke(flask_cli, ["users", "create", "alice", "--role", "admin", "--set-password"], input=typed)
    assert result.exit_code == 0, (result.output, result.exception)
    assert "Created the administrator account alice." in result.stdout
    assert "One-time password" not in result.output
    assert LONG_PASSWORD not in result.output
    assert user_row(db, "alice")["must_change_password"] == 0
    client.post("/login", data={"username": "alice", "password": LONG_PASSWORD})
    page = client.get("/")
    assert page.status_code == 200
    assert "<h1>Cases</h1>" in page.get_data(as_text=True)


def test_a_created_account_does_not_log_in_with_another_password(runner, flask_cli, client):
    runner.invoke(flask_cli, ["users", "create", "alice", "--role", "officer"])
    response = client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    assert "The username or password is not right" in response.get_data(as_text=True)
