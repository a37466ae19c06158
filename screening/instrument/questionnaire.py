"""The question bank: what the officer asks, in what order, and what each answer means.

Questions are short, closed and written to be read aloud to someone who may be
frightened or exhausted (WHO ethical and safety recommendations; screening model
§6). Urgent safety comes first. Once the person is or may be a child, only the
minimum is asked. Nothing asks for detail of crimes the person was forced into
(non-punishment, ACTIP Art. 14(7)). Every answer the person gives can be "don't
know" or "prefer not to say". Each choice names the evidence it adds; the scoring
reads nothing else.
"""

from screening.i18n.lazy import lazy_gettext as _l
from screening.instrument.bank import (
    NONE,
    OBSERVATIONS,
    OFFICER,
    UNKNOWN,
    Choice,
    Question,
    Section,
    alternatives,
    bank_version,
    fact_questions,
    indicator_codes,
    validate_bank,
)
from screening.instrument.indicators import INDICATORS
from screening.instrument.scoring import MAX_AGE

# Read aloud before the first question (screening model §6: what this is for, who
# will see it, that help does not depend on answering, that any question may be
# skipped). It promises nothing the officer cannot keep.
CONSENT_SCRIPT = (
    _l(
        "I would like to ask you some short questions, to find out whether you need help and "
        "protection, and who can help you."
    ),
    _l("This is not a police interview. Your answers are used to find help for you."),
    _l("You will get help whether or not you answer, and whether or not you talk to the police."),
    _l("You can skip any question, say that you don't know, or stop at any time."),
    _l(
        "Your answers are kept safe. Only the officers doing this screening and, if you agree, "
        "the services we send you to will see them."
    ),
    _l("We will not contact your family now."),
)
CONSENT_QUESTION = _l("Do you agree to answer some questions?")

ADULT_ONLY = {"child": False}
CHILD_ONLY = {"child": True}
CHILD_OBSERVATION_NOTE = _l(
    "Tick what you saw, or what the child or anyone else told you. Do not question the child about it."
)
NOT_BEFORE_DEPARTURE = {"not": {"answer": "stage", "in": ["before_departure"]}}

SECTIONS = {
    "safety": Section("safety", _l("Safety first")),
    "about": Section("about", _l("About the person")),
    "recruitment": Section("recruitment", _l("How it started")),
    "work": Section("work", _l("Work and living conditions")),
    "control": Section("control", _l("Control and pressure")),
    "needs": Section("needs", _l("Needs now")),
    "officer": Section("officer", _l("Your observations"), OBSERVATIONS),
}


def _yes(evidence):
    return Choice("yes", _l("Yes"), evidence)


def _no(evidence=None):
    return Choice("no", _l("No"), evidence or {})


def yesno(qid, section, text, yes=None, no=None, **kw):
    """Return a yes/no question; the person's questions also get the two alternatives."""
    choices = (_yes(yes or {}), _no(no))
    if kw.get("audience") != OFFICER:
        choices += alternatives([])
    return Question(qid, section, "yesno", text, choices, **kw)


def single(qid, section, text, choices, **kw):
    """Return a single-choice question; the person's questions also get the alternatives."""
    choices = tuple(choices)
    if kw.get("audience") != OFFICER:
        choices += alternatives(indicator_codes(choices))
    return Question(qid, section, "single", text, choices, **kw)


def multi(qid, section, text, choices, none_text=None, **kw):
    """Return a multiple-choice question with "none of these" and the alternatives."""
    choices = tuple(choices)
    codes = indicator_codes(choices)
    extra = (Choice(NONE, none_text or _l("None of these")),) + alternatives(codes)
    return Question(qid, section, "multi", text, choices + extra, **kw)


def signs(dimension, items):
    """Return choices that each make one indicator of ``dimension`` present."""
    return [Choice(name, text, {"indicators": {f"{dimension}.{name}": "present"}}) for name, text in items]


# At most this many signs on one page of the officer's observations: a page fits about one and a
# half screens of a phone even in Burmese (issue 12); a longer group goes on as a second page.
OBSERVED_PER_PAGE = 5


def observed(qid, text, dimension, names, **kw):
    """Return the officer's observations of a child: signs of ``dimension`` in the indicator table's words.

    A child is asked only a few plain questions (screening model §6); what the officer saw or
    was told is recorded here, so that every sign on the child list can still be recorded.
    A group of more than OBSERVED_PER_PAGE signs is cut into pages of nearly equal length
    (``qid``, then ``qid_2``), each with the same question and its own "none of these" and
    "don't know". Only the first page of all carries the note to the officer.
    """
    show_if = {"all": [CHILD_ONLY, *kw.pop("also_if", [])]}
    note = kw.pop("officer_note", None)
    count = -(-len(names) // OBSERVED_PER_PAGE)
    size = -(-len(names) // count)
    questions = []
    for index in range(count):
        part = names[index * size : (index + 1) * size]
        codes = [f"{dimension}.{name}" for name in part]
        choices = tuple(
            Choice(name, INDICATORS[code].text, {"indicators": {code: "present"}})
            for name, code in zip(part, codes, strict=True)
        )
        extra = (
            Choice(NONE, _l("None of these")),
            Choice(UNKNOWN, _l("Don't know"), {"indicators": {code: "unknown" for code in codes}}),
        )
        questions.append(
            Question(
                qid if index == 0 else f"{qid}_{index + 1}",
                "officer",
                "multi",
                text,
                choices + extra,
                officer_note=note if index == 0 else None,
                audience=OFFICER,
                show_if=show_if,
                **kw,
            )
        )
    return questions


def facts(key, items):
    """Return choices that each add one value to the list ``key`` of the evidence."""
    return [Choice(value, text, {key: [value]}) for value, text in items]


def plain(items):
    """Return choices that add no evidence (recorded for referrals and statistics)."""
    return [Choice(value, text) for value, text in items]


NATIONALITIES = [
    # ISO 3166-1 alpha-3 values: ASEAN members first, then the countries whose
    # nationals are most often found in the region's scam compounds.
    ("BRN", _l("Brunei")),
    ("KHM", _l("Cambodia")),
    ("IDN", _l("Indonesia")),
    ("LAO", _l("Laos")),
    ("MYS", _l("Malaysia")),
    ("MMR", _l("Myanmar")),
    ("PHL", _l("Philippines")),
    ("SGP", _l("Singapore")),
    ("THA", _l("Thailand")),
    ("TLS", _l("Timor-Leste")),
    ("VNM", _l("Viet Nam")),
    ("CHN", _l("China")),
    ("IND", _l("India")),
    ("BGD", _l("Bangladesh")),
    ("NPL", _l("Nepal")),
    ("LKA", _l("Sri Lanka")),
    ("PAK", _l("Pakistan")),
    ("ETH", _l("Ethiopia")),
    ("KEN", _l("Kenya")),
    ("UGA", _l("Uganda")),
    ("stateless", _l("No nationality (stateless)")),
    ("other", _l("Another country")),
]

QUESTIONS = [
    # Safety first: anything urgent is known before anything else is asked.
    yesno(
        "danger_now",
        "safety",
        _l("Are you in danger right now?"),
        hint=_l("For example, someone may hurt you today, or you are afraid to go back to where you were staying."),
        yes={"urgent": ["danger"]},
        page="safety",
    ),
    yesno(
        "controller_nearby",
        "safety",
        _l("Is the person who controls you, or someone who works for them, here or nearby now?"),
        officer_note=_l("If yes, move to a safer place before you go on, if you can."),
        yes={"urgent": ["controller_present"]},
        page="safety",
    ),
    yesno(
        "medical_now",
        "safety",
        _l("Are you hurt or ill and need a doctor now?"),
        yes={"urgent": ["medical"]},
        page="health_now",
    ),
    yesno(
        "self_harm",
        "safety",
        _l("Have you had thoughts of hurting yourself or ending your life?"),
        officer_note=_l("Ask gently. If yes, stay with the person and call a health worker or counsellor."),
        yes={"urgent": ["self_harm"]},
        page="health_now",
    ),
    # About the person: where they are in the journey, and whether they are a child.
    single(
        "stage",
        "about",
        _l("Where did you meet the person?"),
        [
            Choice(stage, text, {"stage": stage})
            for stage, text in [
                ("before_departure", _l("Before they left: at departure, or before the journey began")),
                ("in_transit", _l("On the way: in transit, at a border or an airport")),
                ("at_destination", _l("Where they work or stay now")),
                ("after_exit", _l("After they left, escaped or were released")),
            ]
        ],
        audience=OFFICER,
        page="about_person",
    ),
    Question(
        "age",
        "about",
        "number",
        _l("How old are you?"),
        alternatives([]),
        hint=_l("If you are not sure, that is fine."),
        evidence_field="age",
        minimum=0,
        maximum=MAX_AGE,
        page="about_person",
    ),
    single(
        "possibly_minor",
        "about",
        _l("Could this person be under 18?"),
        [
            Choice("yes", _l("Yes, they may be under 18"), {"possibly_minor": True}),
            Choice("unsure", _l("I am not sure"), {"possibly_minor": True}),
            Choice("no", _l("No, they are clearly an adult"), {"possibly_minor": False}),
        ],
        officer_note=_l("When in doubt, treat the person as a child."),
        show_if={"not": {"answer": "age", "lt": 18}},
        audience=OFFICER,
        page="about_you",
    ),
    yesno(
        "accompanied",
        "about",
        _l("Is a parent or a guardian you trust here with you?"),
        no={"urgent": ["child_alone"]},
        show_if={"child": True},
    ),
    single(
        "sex",
        "about",
        _l("Are you a woman or girl, a man or boy, or do you describe yourself another way?"),
        plain([("female", _l("Woman or girl")), ("male", _l("Man or boy")), ("other", _l("Another way"))]),
        page="about_you",
        fact="sex",
    ),
    single(
        "nationality",
        "about",
        _l("What is your nationality?"),
        plain(NATIONALITIES),
        page="about_you",
        fact="nationality",
        appearance="list",
    ),
    # How it started: the act, the recruitment channel, and the means used to recruit.
    yesno(
        "act",
        "recruitment",
        _l("Did someone arrange your job, your travel or the place where you stay?"),
        hint=_l("For example an agent, a recruiter, a boss, a friend or a relative."),
        yes={"act": True},
        no={"act": False},
    ),
    multi(
        "channel",
        "recruitment",
        _l("How did you hear about the job or the offer?"),
        plain(
            [
                ("facebook", _l("Facebook or Messenger")),
                ("telegram", _l("Telegram")),
                ("whatsapp", _l("WhatsApp")),
                ("tiktok", _l("TikTok")),
                ("line", _l("LINE")),
                ("wechat", _l("WeChat")),
                ("instagram", _l("Instagram")),
                ("job_site", _l("A job website")),
                ("dating_app", _l("A dating app")),
                ("other_online", _l("Another app or website")),
                ("agent", _l("A recruitment agent or broker")),
                ("known_person", _l("A friend, a relative or someone you know")),
                ("stranger", _l("Someone you did not know before")),
            ]
        ),
        none_text=_l("There was no job or offer"),
        fact="channel",
        appearance="columns",
    ),
    multi(
        "deceived",
        "recruitment",
        _l("Was anything different from what you were promised?"),
        signs(
            "d1",
            [
                ("job_nature", _l("The job, the place of work or the employer")),
                ("wages", _l("The pay")),
                ("conditions", _l("The working hours or conditions")),
                ("contract", _l("The contract, or whether the work was legal")),
                ("housing", _l("Where you would live")),
                ("legal_status", _l("The visa or the work permit")),
                ("travel", _l("The journey, or what it would cost")),
            ],
        ),
        show_if=ADULT_ONLY,
    ),
    multi(
        "lured",
        "recruitment",
        _l("Were you promised any of these to make you go?"),
        signs(
            "d1",
            [
                ("family_reunion", _l("To join your family")),
                ("marriage_adoption", _l("Marriage or adoption")),
                ("education", _l("School or training")),
            ],
        ),
    ),
    multi(
        "forced_to_go",
        "recruitment",
        _l("To make you go, did anyone do any of these?"),
        signs(
            "d2",
            [
                ("violence", _l("Hurt you")),
                ("threats", _l("Threaten to hurt you")),
                ("abduction_sale", _l("Take you by force, sell you, or force you to marry")),
                ("debt_bondage", _l("Make you take on a debt")),
                ("documents_taken", _l("Take your passport or ID")),
                ("confinement", _l("Lock you up or watch you all the time")),
                ("threat_denounce", _l("Threaten to report you to the police or immigration")),
                ("threat_expose", _l("Threaten to tell your family or other people about you")),
                ("family_harm", _l("Hurt or threaten your family")),
                ("money_withheld", _l("Keep your money")),
            ],
        ),
        show_if=ADULT_ONLY,
    ),
    multi(
        "vulnerability",
        "recruitment",
        _l("Did the person who recruited you take advantage of any of these?"),
        signs(
            "d3",
            [
                ("family_hardship", _l("Problems in your family")),
                ("economic", _l("Debts, or having no money or work")),
                ("irregular_status", _l("Not having papers")),
                ("language_education", _l("Not speaking the language, or not having been to school")),
                ("lack_information", _l("Not knowing about the job or the place")),
                ("personal_situation", _l("An illness, a disability, or losing someone")),
                ("past_difficulties", _l("Bad things that happened to you before")),
                ("general_context", _l("War, a disaster or a crisis where you lived")),
                ("cultural_beliefs", _l("Your beliefs or your religion")),
            ],
        ),
        show_if=ADULT_ONLY,
    ),
    multi(
        "recruiter_ties",
        "recruitment",
        _l("Are any of these true?"),
        signs(
            "d3",
            [
                ("controlled", _l("The people who sent you already controlled you")),
                ("emotional_dependency", _l("You loved or depended on the person who recruited you")),
                ("travel_difficulty", _l("You could not travel without their help")),
                ("false_migration_story", _l("They told you stories of people who got rich by going abroad")),
                ("false_authorities", _l("They told you false things about the law or the police")),
            ],
        ),
        show_if=ADULT_ONLY,
    ),
    # Work and living conditions: the purpose, and the form of exploitation.
    multi(
        "forms",
        "work",
        _l("What were you made to do, or what are you expected to do?"),
        facts(
            "exploitation_forms",
            [
                ("labour", _l("Work in a factory, on a farm or a boat, on a building site, or similar")),
                ("domestic_servitude", _l("Housework or care in someone's home")),
                ("sexual", _l("Sex with clients, or other sexual acts")),
                ("sexual_online", _l("Sexual acts or pictures online or on camera")),
                ("forced_criminality", _l("Online scam work, or other work against the law")),
                ("forced_marriage", _l("Marry someone")),
                ("forced_begging", _l("Beg in the street")),
                ("organ_removal", _l("Give a kidney or another part of your body")),
                ("other", _l("Something else")),
            ],
        ),
        officer_note=_l("Do not ask for details of anything the person was forced to do."),
    ),
    multi(
        "conditions",
        "work",
        _l("At work, were any of these true?"),
        signs(
            "d4",
            [
                ("excessive_hours", _l("Very long hours, or no days off")),
                ("low_or_no_pay", _l("Very little pay, or none")),
                ("wage_manipulation", _l("Fines, or money taken from your pay")),
                ("bad_living", _l("A very bad place to live")),
                ("bad_working", _l("Very bad conditions at work")),
                ("hazardous", _l("Dangerous work")),
                ("labour_law", _l("The contract or the rules were not respected")),
                ("no_social_protection", _l("No sick leave and no insurance")),
                ("no_education", _l("You could not go to school")),
            ],
        ),
        show_if=NOT_BEFORE_DEPARTURE,
    ),
    # Control and pressure at the destination: the means.
    multi(
        "coercion",
        "control",
        _l("Where you worked or stayed, did anyone do any of these?"),
        signs(
            "d5",
            [
                ("documents_confiscated", _l("Keep your passport or ID")),
                ("debt_bondage", _l("Say you owe money, or must pay before you can leave")),
                ("confinement", _l("Lock you in, guard you, or not let you leave")),
                ("violence", _l("Hit you, hurt you, or keep food or sleep from you")),
                ("threats", _l("Threaten to hurt you")),
                ("forced_crime", _l("Make you do things against the law, such as online scams")),
                ("forced_tasks", _l("Make you do work, or serve clients, that you refused")),
            ],
        ),
        show_if=NOT_BEFORE_DEPARTURE,
    ),
    multi(
        "pressure",
        "control",
        _l("Did anyone do any of these?"),
        signs(
            "d5",
            [
                ("strong_influence", _l("Give you drugs or alcohol, or control your mind")),
                ("against_peers", _l("Make you punish or watch other workers")),
                ("forced_to_lie", _l("Tell you to lie to the police or to your family")),
                ("threat_denounce", _l("Threaten to report you to the police or immigration")),
                ("threat_worse", _l("Threaten to sell you, or to make things worse")),
                ("family_harm", _l("Hurt or threaten your family, or ask them for money")),
                ("wages_withheld", _l("Keep your wages")),
                ("threat_expose", _l("Threaten to tell your family or other people about you")),
            ],
        ),
        show_if={"all": [ADULT_ONLY, NOT_BEFORE_DEPARTURE]},
    ),
    multi(
        "kept_there",
        "control",
        _l("Did any of these keep you there?"),
        signs(
            "d6",
            [
                ("dependency", _l("You needed them for food, a bed or money")),
                ("unknown_area", _l("You did not know the place or the language, or where to get help")),
                ("economic", _l("Your family needed the money you sent")),
                ("family_pressure", _l("Your family wanted you to stay")),
                ("legal_status", _l("You had no papers and were afraid of the police")),
                ("past_difficulties", _l("Things that happened to you before were used against you")),
                (
                    "personal_characteristics",
                    _l("Your age, a disability or something similar was used against you"),
                ),
            ],
        ),
        show_if={"all": [ADULT_ONLY, NOT_BEFORE_DEPARTURE]},
    ),
    # Needs now: what help the referral should ask for, whatever the outcome.
    yesno(
        "documents",
        "needs",
        _l("Do you have your own passport or ID card with you?"),
        no={"needs": ["documents_missing"]},
        page="needs",
    ),
    yesno(
        "safe_place",
        "needs",
        _l("Do you have a safe place to stay tonight?"),
        no={"needs": ["no_safe_place"]},
        page="needs",
    ),
    yesno(
        "health",
        "needs",
        _l("Are you hurt, ill or pregnant?"),
        yes={"needs": ["injury_illness"]},
        page="needs",
    ),
    yesno(
        "fear_of_return",
        "needs",
        _l("Are you afraid of what could happen to you if you go back to your country?"),
        yes={"needs": ["fear_of_return"]},
        page="return_and_border",
    ),
    yesno(
        "paid_crossing",
        "needs",
        _l("Did you pay someone to take you across a border without the usual papers?"),
        yes={"needs": ["smuggled"]},
        show_if=ADULT_ONLY,
        page="return_and_border",
    ),
    # The officer's own observations, after the check-your-answers page. For a child, the signs
    # the child is not asked about: every indicator on the child list can be recorded.
    *observed(
        "child_deceived",
        _l("From what you saw or were told: was the child deceived about any of these?"),
        "d1",
        ["job_nature", "wages", "conditions", "contract", "housing", "legal_status", "travel"],
        officer_note=CHILD_OBSERVATION_NOTE,
    ),
    *observed(
        "child_forced",
        _l("From what you saw or were told: was the child made to go in any of these ways?"),
        "d2",
        [
            "violence",
            "threats",
            "abduction_sale",
            "debt_bondage",
            "documents_taken",
            "confinement",
            "threat_denounce",
            "threat_expose",
            "family_harm",
            "money_withheld",
        ],
    ),
    *observed(
        "child_vulnerability",
        _l("From what you saw or were told: did the recruiter take advantage of any of these?"),
        "d3",
        [
            "family_hardship",
            "economic",
            "irregular_status",
            "language_education",
            "lack_information",
            "personal_situation",
            "past_difficulties",
            "general_context",
            "cultural_beliefs",
        ],
    ),
    *observed(
        "child_recruiter_ties",
        _l("From what you saw or were told: are any of these true of the child and the recruiter?"),
        "d3",
        ["controlled", "emotional_dependency", "travel_difficulty", "false_migration_story"],
    ),
    *observed(
        "child_control",
        _l("From what you saw or were told: where the child worked or stayed, were any of these done?"),
        "d5",
        [
            "strong_influence",
            "against_peers",
            "forced_to_lie",
            "threat_denounce",
            "threat_worse",
            "family_harm",
            "wages_withheld",
            "threat_expose",
        ],
        also_if=[NOT_BEFORE_DEPARTURE],
    ),
    *observed(
        "child_kept_there",
        _l("From what you saw or were told: did any of these keep the child there?"),
        "d6",
        [
            "dependency",
            "unknown_area",
            "economic",
            "family_pressure",
            "legal_status",
            "past_difficulties",
            "personal_characteristics",
        ],
        also_if=[NOT_BEFORE_DEPARTURE],
    ),
    yesno(
        "distress",
        "officer",
        _l("Does the person seem very distressed, confused or afraid?"),
        yes={"needs": ["distress"]},
        audience=OFFICER,
        page="officer",
    ),
    yesno(
        "officer_concern",
        "officer",
        _l("Do you have a serious concern that this person may be trafficked, whatever the answers?"),
        officer_note=_l("For example, what you saw, or papers that do not match the story."),
        audience=OFFICER,
        page="officer",
    ),
    Question(
        "officer_concern_reason",
        "officer",
        "text",
        _l("Why are you concerned?"),
        hint=_l("A short reason in your own words. Do not write the person's name."),
        evidence_field="officer_concern",
        show_if={"answer": "officer_concern", "in": ["yes"]},
        audience=OFFICER,
        maximum=500,
        page="officer",
    ),
]

validate_bank(QUESTIONS, SECTIONS)

BY_ID = {q.id: q for q in QUESTIONS}
FACTS = fact_questions(QUESTIONS)
VERSION = bank_version(QUESTIONS)
