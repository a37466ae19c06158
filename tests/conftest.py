"""Fixtures: a real app on a temporary data folder, a client, a CLI runner, and an interview driver."""

import re

import pytest

from screening import create_app
from screening.accounts import passwords, store
from screening.db.connection import connect, now
from screening.instrument import questionnaire
from screening.protection import certificates
from screening.protection.audit import Actor
from screening.referral import referrals

PASSWORD = "a long test password"
# What `Interview.run` answers where a test says nothing: an adult met at the destination
# who answers "no" or "none of these" to everything.
DEFAULT_ANSWERS = {
    "stage": "at_destination",
    "possibly_minor": "no",
    "sex": "female",
    "nationality": "KHM",
    "documents": "yes",
    "safe_place": "yes",
}
DEFAULT_BY_KIND = {"yesno": "no", "multi": ["none"], "number": "30", "text": "A reason."}
# A man or woman met after leaving an online-scam compound: deceived, made to commit crimes,
# documents taken, confined. The tests, browser journeys and benchmarks share it.
SCAM_COMPOUND = {
    "stage": "after_exit",
    "age": "27",
    "act": "yes",
    "channel": ["facebook", "telegram"],
    "deceived": ["job_nature", "wages"],
    "forms": ["forced_criminality"],
    "conditions": ["excessive_hours", "low_or_no_pay"],
    "coercion": ["documents_confiscated", "confinement", "forced_crime"],
}
# In danger now and declining to speak of pressure: the urgent box and a "declined" answer show.
IN_DANGER = {**SCAM_COMPOUND, "danger_now": "yes", "pressure": ["declined"]}


# The longest test files, started first: with two workers (make test, a file to each) the one
# that takes minutes then runs beside all the others instead of after them.
LONGEST_FIRST = ("tests/browser/test_locales.py", "tests/test_referral_documents.py")


def pytest_collection_modifyitems(items):
    """Put the longest test files first, in the order above; the rest keep their order."""

    def rank(item):
        path = item.nodeid.split("::", 1)[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Hash test passwords cheaply: scrypt's cost is the point in production, not in tests."""
    monkeypatch.setattr(passwords, "PASSWORD_METHOD", "pbkdf2:sha256:1000")


SIGNING_KEYS = []
SIGNING_KEY_POOL = 4


@pytest.fixture(autouse=True)
def few_signing_keys(monkeypatch):
    """Draw signing keys from a small pool made once: an RSA key takes a fifth of a second, every app makes one."""

    def pooled():
        if len(SIGNING_KEYS) < SIGNING_KEY_POOL:
            SIGNING_KEYS.append(making_key())
            return SIGNING_KEYS[-1]
        SIGNING_KEYS.append(SIGNING_KEYS.pop(0))
        return SIGNING_KEYS[-1]

    making_key = certificates.new_key
    monkeypatch.setattr(certificates, "new_key", pooled)


def create_user(db, username, password, role, organisation=None, **options):
    """Create an account as `flask users create` does (from the shell) and return its id."""
    return store.create(
        db, Actor.shell(), username=username, password=password, role=role, organisation=organisation, **options
    )


def actor(db, username="officer", address="192.0.2.1"):
    """Return the Actor of an account, as a web request from ``address`` would make it."""
    return Actor.of(store.by_username(db, username, active_only=False), address)


@pytest.fixture
def app(tmp_path):
    """Return an app on an empty temporary database, CSRF off (one test turns it on)."""
    app = create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True, "WTF_CSRF_ENABLED": False})
    return app


@pytest.fixture
def db(app):
    """Return a connection to the app's database, for arranging and reading rows back."""
    conn = connect(app.config["SCREENING_DATABASE"])
    yield conn
    conn.close()


@pytest.fixture
def users(db):
    """Create one account of each kind, plus a second officer; return their ids by name."""
    return {
        name: create_user(db, name, PASSWORD, role)
        for name, role in [
            ("officer", "officer"),
            ("other", "officer"),
            ("supervisor", "supervisor"),
            ("admin", "admin"),
        ]
    }


@pytest.fixture
def client(app):
    """Return a test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Return a runner for the app's commands."""
    return app.test_cli_runner()


def add_organisation(db, name="EXAMPLE - Shelter", kind="shelter", print_lang="km"):
    """Add a service to the directory and return its id."""
    stamp = now()
    return (
        db["organisations"]
        .insert(
            {
                "name": name,
                "kind": kind,
                "print_lang": print_lang,
                "active": 1,
                "created_at": stamp,
                "updated_at": stamp,
                "phone": "+855 23 000 000",
                "address": "Street 1, Phnom Penh",
            }
        )
        .last_pk
    )


def refer(db, screening, organisation, officer_id, *, items=referrals.ITEMS, priority="normal", services=(), **given):
    """Refer a screening to an organisation (row), by default with consent to share everything; return the referral."""
    consent = {"consented": True, "reason": None, **given}
    referral_id = referrals.create(
        db,
        Actor.of(store.get(db, officer_id)),
        screening,
        organisation,
        items=list(items),
        priority=priority,
        services=list(services),
        **consent,
    )
    return referrals.get(db, screening["id"], referral_id)


def page_of(name):
    """Return the id of the page a question is on, or ``name`` itself when it names a page (or "check")."""
    question = questionnaire.BY_ID.get(name)
    return question.page_id if question else name


class Interview:
    """Drive a screening through the pages as an officer would, with a test client."""

    def __init__(self, client):
        self.client = client
        self.reference = None

    def login(self, username="officer", password=PASSWORD):
        """Log in and return the response."""
        return self.client.post("/login", data={"username": username, "password": password})

    def start(self, consent="yes", **fields):
        """Fill the start page and the consent page; return the response to the consent."""
        data = {"post": "Test post", "interview_lang": "en", "interpreter": "none", "private": "y", **fields}
        response = self.client.post("/new", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)
        self.reference = response.headers["Location"].split("/")[2]
        return self.client.post(f"/s/{self.reference}/consent", data={"consent": consent})

    def url(self, page_id):
        """Return the address of one page of this interview, named by its id or by a question on it."""
        return f"/s/{self.reference}/q/{page_of(page_id)}"

    def answer(self, page_id, **values):
        """Post one page (named by its id or a question on it) and return the response.

        The page's other questions get the plain default, so that a test names only what it is about.
        """
        page = page_of(page_id)
        data = {
            q.id: DEFAULT_ANSWERS.get(q.id, DEFAULT_BY_KIND.get(q.kind))
            for q in questionnaire.QUESTIONS
            if q.page_id == page
        }
        return self.client.post(self.url(page), data={**data, **values})

    def run(self, answers, until=None, visit=False):
        """Answer page after page, taking ``answers`` or a plain default, and return the last response.

        Stops at the result, or before ``until`` (a page id, a question on it, or "check"). With
        ``visit``, each page is also shown (requested) before it is answered, as an officer meets it.
        """
        first = questionnaire.QUESTIONS[0].page_id
        response = self.client.get(self.url(first))
        location = self.url(first)
        until = page_of(until) if until else None
        for _step in range(60):
            if until and location.split("?")[0].endswith("/" + until):
                return response
            if location.endswith("/check"):
                page = self.client.get(location).get_data(as_text=True)
                location = re.search(r'href="([^"]+)"[^>]*>Continue to your observations', page).group(1)
                continue
            if "/q/" not in location:
                return self.client.get(location)
            page_id = location.split("/q/")[1].split("?")[0]
            if visit:
                assert self.client.get(location).status_code == 200, page_id
            data = {}
            for q in questionnaire.QUESTIONS:
                if q.page_id == page_id:
                    data[q.id] = answers.get(q.id, DEFAULT_ANSWERS.get(q.id, DEFAULT_BY_KIND.get(q.kind)))
            response = self.client.post(location, data=data)
            assert response.status_code == 302, (page_id, response.get_data(as_text=True)[:2000])
            location = response.headers["Location"]
        raise AssertionError("the interview did not end")


def outcome_of(response):
    """Return (outcome, rule, urgent) from the result page's data attributes."""
    match = re.search(
        r'data-outcome="([^"]+)" data-rule="([^"]+)" data-urgent="([^"]+)"', response.get_data(as_text=True)
    )
    assert match, "no outcome element on the page"
    return match.groups()


@pytest.fixture
def interview(client, users):
    """Return an interview driver logged in as the first officer."""
    driver = Interview(client)
    driver.login()
    return driver
