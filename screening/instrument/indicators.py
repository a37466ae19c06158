"""The indicator table: every code the question bank may evidence and the scoring reads.

The codes, dimensions and adult/child ratings are copied from the ILO / European
Commission *Operational indicators of trafficking in human beings* (2009) as
docs/screening-model.md section 2 lists them. The texts describe what
happened, for result pages and referrals, in the interface language.
"""

from dataclasses import dataclass

from screening.i18n.lazy import lazy_gettext as _l

STRONG, MEDIUM, WEAK = "S", "M", "W"

# Dimension code -> (label, which element of the legal definition it carries).
DIMENSIONS = {
    "d1": (_l("Deceptive recruitment"), "act_means"),
    "d2": (_l("Coercive recruitment"), "act_means"),
    "d3": (_l("Recruitment by abuse of vulnerability"), "act_means"),
    "d4": (_l("Exploitative conditions"), "purpose"),
    "d5": (_l("Coercion at destination"), "means"),
    "d6": (_l("Abuse of vulnerability at destination"), "means"),
}


@dataclass(frozen=True)
class Indicator:
    """One ILO indicator: its code, its dimension and how strongly it counts."""

    code: str
    adult: str
    child: str | None  # None: not an indicator on the child list
    text: object

    @property
    def dimension(self):
        """Return the dimension code, the part of the code before the dot."""
        return self.code.split(".", 1)[0]

    def rating(self, child):
        """Return S, M or W on the list that applies, or None when it does not count."""
        return self.child if child else self.adult


_TABLE = [
    # d1 deceptive recruitment
    ("d1.job_nature", "S", "S", _l("The job, place of work or employer was not what was promised")),
    ("d1.wages", "M", "M", _l("The pay was not what was promised")),
    ("d1.conditions", "M", "M", _l("The working conditions were not what was promised")),
    ("d1.contract", "M", "M", _l("Lied to about the contract or whether it was legal")),
    ("d1.housing", "M", "M", _l("Lied to about housing or living conditions")),
    ("d1.legal_status", "M", "M", _l("Lied to about visas, work permits or legal migration")),
    ("d1.travel", "M", "M", _l("Lied to about the journey or the recruitment terms")),
    ("d1.family_reunion", "M", "M", _l("Lured by a promise of joining family")),
    ("d1.marriage_adoption", "M", "M", _l("Lured by a promise of marriage or adoption")),
    ("d1.education", "W", "S", _l("Lured by a promise of schooling or training")),
    # d2 coercive recruitment
    ("d2.violence", "S", "S", _l("Violence was used to make the person go")),
    ("d2.threats", "M", "S", _l("Threatened with violence to make the person go")),
    ("d2.abduction_sale", "M", "S", _l("Abducted, sold, or forced into marriage or adoption")),
    ("d2.debt_bondage", "M", "S", _l("A debt was imposed to make the person go")),
    ("d2.documents_taken", "M", "M", _l("Documents were taken during recruitment or travel")),
    ("d2.confinement", "M", "M", _l("Isolated, confined or watched during recruitment or travel")),
    ("d2.threat_denounce", "M", "M", _l("Threatened with being reported to police or immigration")),
    ("d2.threat_expose", "M", "M", _l("Threatened with exposure to family, community or the public")),
    ("d2.family_harm", "M", "M", _l("Violence or threats against the family")),
    ("d2.money_withheld", "M", "M", _l("Money was kept back to make the person go")),
    # d3 recruitment by abuse of vulnerability
    ("d3.family_hardship", "M", "M", _l("The recruiter used a difficult family situation")),
    ("d3.irregular_status", "M", "M", _l("The recruiter used the person's irregular status")),
    ("d3.language_education", "M", "M", _l("The recruiter used a lack of language or schooling")),
    ("d3.lack_information", "M", "M", _l("The recruiter used a lack of information")),
    ("d3.controlled", "M", "M", _l("Already under the control of the exploiters")),
    ("d3.economic", "M", "M", _l("Recruited through economic need (debts, no income)")),
    ("d3.false_migration_story", "M", "M", _l("Given false stories about successful migration")),
    ("d3.false_authorities", "M", None, _l("Given false information about the law or the authorities")),
    ("d3.personal_situation", "M", "M", _l("The recruiter used illness, disability or a loss")),
    ("d3.emotional_dependency", "M", "M", _l("Emotionally dependent on the recruiter")),
    ("d3.past_difficulties", "M", "M", _l("The recruiter used past abuse or difficulties")),
    ("d3.travel_difficulty", "M", "M", _l("Could not organise the travel without the recruiter")),
    ("d3.cultural_beliefs", "W", "M", _l("The recruiter used cultural or religious beliefs")),
    ("d3.general_context", "W", "M", _l("Recruited out of conflict, disaster or crisis")),
    # d4 exploitative conditions
    ("d4.excessive_hours", "S", "S", _l("Excessive working days or hours")),
    ("d4.low_or_no_pay", "M", "M", _l("Very low pay or none")),
    ("d4.wage_manipulation", "M", "M", _l("Fines, deductions or manipulated wages")),
    ("d4.bad_living", "M", "M", _l("Very bad living conditions")),
    ("d4.bad_working", "M", "M", _l("Very bad working conditions")),
    ("d4.hazardous", "M", "M", _l("Hazardous work")),
    ("d4.labour_law", "M", "M", _l("No respect for labour law or the signed contract")),
    ("d4.no_social_protection", "M", None, _l("No social protection (insurance, sick leave)")),
    ("d4.no_education", "W", "M", _l("No access to education")),
    # d5 coercion at destination
    ("d5.documents_confiscated", "S", "S", _l("Passport or ID kept by someone else")),
    ("d5.debt_bondage", "S", "S", _l("A debt, fee or ransom must be paid before leaving")),
    ("d5.confinement", "S", "S", _l("Locked in, guarded, watched or not allowed to leave")),
    ("d5.violence", "S", "S", _l("Beaten, assaulted, or deprived of food or sleep")),
    ("d5.threats", "M", "S", _l("Threatened with violence")),
    ("d5.forced_crime", "M", "S", _l("Forced into illegal activity (such as online scams)")),
    ("d5.forced_tasks", "M", "S", _l("Forced to do tasks or serve clients they refused")),
    ("d5.strong_influence", "M", "S", _l("Kept under drugs, alcohol or strong psychological control")),
    ("d5.against_peers", "M", "M", _l("Forced to act against other workers")),
    ("d5.forced_to_lie", "M", "M", _l("Told to lie to the authorities or to family")),
    ("d5.threat_denounce", "M", "M", _l("Threatened with being reported to police or immigration")),
    ("d5.threat_worse", "M", "M", _l("Threatened with worse conditions or with being sold")),
    ("d5.family_harm", "M", "M", _l("Violence or threats against the family, or ransom demands")),
    ("d5.wages_withheld", "M", "M", _l("Wages held back")),
    ("d5.threat_expose", "W", "M", _l("Threatened with exposure to family, community or the public")),
    # d6 abuse of vulnerability at destination
    ("d6.dependency", "M", "M", _l("Depends on the exploiters for food, housing or money")),
    ("d6.unknown_area", "M", "M", _l("Does not know the area or language, cannot find help")),
    ("d6.economic", "M", "M", _l("Economic pressure to stay (family relies on the money)")),
    ("d6.family_pressure", "M", "M", _l("The family situation keeps the person there")),
    ("d6.legal_status", "M", "M", _l("Irregular status used to keep the person there")),
    ("d6.past_difficulties", "W", "M", _l("Past abuse or difficulties used against the person")),
    ("d6.personal_characteristics", "W", "M", _l("Age, disability or similar used against the person")),
]

INDICATORS = {code: Indicator(code, adult, child, text) for code, adult, child, text in _TABLE}


def in_dimension(dimension):
    """Return the indicators of one dimension, in table order."""
    return [i for i in INDICATORS.values() if i.dimension == dimension]
