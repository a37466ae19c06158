"""Migrations m006 to m008: statistics counted as screenings end, the desk's indexes, organisations frozen on cases.

Frozen like every migration: plain schema changes and SQL, no live code of the app.
"""

from screening.db.migrations import migrations


@migrations()
def m006_fast_desk(db):
    """Keep statistics counted as screenings complete, and index what the desk filters and sorts on."""
    db["fact_counts"].create(
        {"scope": str, "key": str, "value": str, "n": int}, pk=("scope", "key", "value"), not_null={"n"}
    )
    # Filled by m008, which counts every recorded screening and referral from scratch.
    for columns in (["outcome", "created_at"], ["status", "created_at"], ["officer_id", "created_at"]):
        db["screenings"].create_index(columns)
    db["referrals"].create_index(["status", "priority", "created_at"])


@migrations()
def m007_covering_indexes(db):
    """Let the desk count filtered cases from indexes alone (the scope is a set of officers)."""
    for columns in (
        ["outcome", "officer_id", "created_at"],
        ["status", "officer_id", "created_at"],
        ["urgent", "child", "officer_id"],
        ["officer_id", "post"],
    ):
        db["screenings"].create_index(columns)


# Every count a screening or a referral adds, for each organisation and for each officer within it.
_CONTRIBUTIONS = """
with contributions(organisation, officer_id, key, value) as (
    select organisation, officer_id, 'month', month from facts
    union all select organisation, officer_id, 'outcome', outcome from facts
    union all select organisation, officer_id, 'post', post from facts
    union all select organisation, officer_id, 'nationality', nationality from facts
    union all select organisation, officer_id, 'age_group', age_group from facts
    union all select organisation, officer_id, 'sex', sex from facts
    union all select f.organisation, f.officer_id, i.kind, i.value
        from fact_items i join facts f on f.screening_id = i.screening_id
    union all select s.organisation, s.officer_id, 'referral_status', r.status
        from referrals r join screenings s on s.id = r.screening_id
    union all select s.organisation, s.officer_id, 'ack_hours',
        (strftime('%s', r.acknowledged_at) - strftime('%s', r.created_at)) / 3600
        from referrals r join screenings s on s.id = r.screening_id where r.acknowledged_at is not null
)
insert into fact_counts (scope, key, value, n)
select scope, key, value, count(*) from (
    select 'org:' || organisation as scope, key, cast(value as text) as value from contributions
    union all
    select 'officer:' || officer_id || ':' || organisation, key, cast(value as text) from contributions
) group by scope, key, value
"""


@migrations()
def m008_organisation_of_a_case(db):
    """Freeze each case's organisation, flag answers in free text, and count statistics per organisation.

    A case belongs for good to the organisation of the officer who opened it: an
    account moved to another organisation leaves its cases behind. Cases opened
    before this migration take their officer's organisation as it is now, the best
    record there is. Statistics follow the same rule, so their counts are made again.
    """
    db["screenings"].add_column("organisation", str, not_null_default="")
    db.execute(
        "update screenings set organisation = "
        "coalesce((select u.organisation from users u where u.id = screenings.officer_id), '')"
    )
    db.execute(
        "update facts set organisation = "
        "coalesce((select s.organisation from screenings s where s.id = facts.screening_id), '')"
    )
    # Answers in the officer's own words were stored encrypted; before encryption there
    # was one question answered in words, officer_concern_reason.
    db["answers"].add_column("free_text", int, not_null_default=0)
    db.execute("update answers set free_text = 1 where value like 'enc1:%' or question_id = 'officer_concern_reason'")
    db.execute("delete from fact_counts")
    db.execute(_CONTRIBUTIONS)
    # The desk's scope is now the organisation: let it count and list from indexes alone.
    for columns in (
        ["organisation", "created_at"],
        ["organisation", "post"],
        ["outcome", "organisation", "created_at"],
        ["status", "organisation", "created_at"],
        ["urgent", "child", "organisation"],
    ):
        db["screenings"].create_index(columns, if_not_exists=True)
