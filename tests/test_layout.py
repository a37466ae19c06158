"""The layout shows the architecture: the README's map is true, each rule has one owner, dependencies flow one way.

Views and commands call services; services call the instrument and the
database; the instrument is pure. These tests read the source, so a module that
takes a shortcut round an owner fails here, not in a review.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "screening"
README = (ROOT / "README.md").read_text()
MODULE_LINES = 260
# The question bank is data (thirty questions with their choices and evidence), not logic.
LONGER_BY_NATURE = set()


def modules():
    """Yield (path relative to the package, source) for every module of the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), path.read_text()


def imports_of(source):
    """Return the dotted names a module imports from the package."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("screening"):
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("screening"))
    return names


def first_line(source):
    docstring = ast.get_docstring(ast.parse(source))
    assert docstring, "every module starts with a docstring saying what it owns"
    return docstring.splitlines()[0]


def expected_map():
    """Return the layout map the README must show: every module with the first line of its docstring."""
    lines = []
    for relative, source in modules():
        parts = relative.split("/")
        if parts[-1] == "__init__.py":
            name = "screening/" if len(parts) == 1 else "  " * (len(parts) - 1) + parts[-2] + "/"
        else:
            name = "  " * len(parts) + parts[-1]
        lines.append(f"{name:<26}{first_line(source)}")
    return "\n".join(lines)


def test_the_readme_maps_every_module_with_the_first_line_of_its_docstring():
    block = README.split("<!-- layout: generated from the docstrings -->\n```\n", 1)[1].split("\n```", 1)[0]
    expected = expected_map()
    assert block == expected, f"Put this under Layout in README.md:\n{expected}"


@pytest.mark.parametrize(("relative", "source"), list(modules()), ids=lambda value: value if "/" in str(value) else "")
def test_every_module_is_short_and_says_what_it_owns(relative, source):
    first_line(source)
    if relative not in LONGER_BY_NATURE:
        assert source.count("\n") <= MODULE_LINES, relative


def test_the_instrument_is_pure_no_database_no_app_no_request():
    for relative, source in modules():
        if not relative.startswith("instrument/"):
            continue
        for name in imports_of(source):
            assert name.startswith(("screening.instrument", "screening.i18n.lazy")), (relative, name)
        assert not re.search(r"^(from|import) (flask|sqlite3|sqlite_utils)\b", source, re.M), relative


@pytest.mark.parametrize(
    ("layer", "may_not_import"),
    [
        ("db/", ("screening.accounts", "screening.cases", "screening.referral", "screening.desk", "screening.views")),
        ("i18n/", ("screening.accounts", "screening.cases", "screening.referral", "screening.desk", "screening.views")),
        ("protection/", ("screening.views", "screening.commands", "screening.cases", "screening.referral")),
        ("accounts/", ("screening.views", "screening.commands", "screening.cases", "screening.referral")),
        ("cases/", ("screening.views", "screening.commands")),
        ("referral/", ("screening.views", "screening.commands")),
        ("desk/", ("screening.views", "screening.commands")),
        ("forms/", ("screening.views", "screening.commands", "screening.db")),
    ],
)
def test_dependencies_flow_one_way_from_views_and_commands_to_services_to_the_instrument_and_the_database(
    layer, may_not_import
):
    for relative, source in modules():
        if relative.startswith(layer):
            found = [name for name in imports_of(source) if name.startswith(may_not_import)]
            assert found == [], (relative, found)


def test_only_the_account_store_writes_or_reads_the_users_table():
    sql_on_users = re.compile(r"\b(from|join|into|update)\s+\[?users\b", re.I)
    offenders = [
        relative
        for relative, source in modules()
        if sql_on_users.search(source)
        and relative not in ("accounts/store.py",)
        and not relative.startswith("db/migrations/")
    ]
    assert offenders == []


def test_views_and_commands_never_write_the_audit_trail_themselves():
    offenders = [
        relative
        for relative, source in modules()
        if relative.startswith(("views/", "commands/")) and re.search(r"audit\.record\(|record_request", source)
    ]
    assert offenders == []


def test_only_the_access_module_decides_who_sees_a_case():
    offenders = [
        relative
        for relative, source in modules()
        if relative != "access.py" and re.search(r"organisation_cases|SEES_ALL|role\"\] in \(", source)
    ]
    assert offenders == []


def test_migrations_call_no_live_code_of_the_app():
    for relative, source in modules():
        if relative.startswith("db/migrations/"):
            outside = {name for name in imports_of(source) if not name.startswith("screening.db.migrations")}
            assert outside == set(), relative


def test_every_owner_and_test_that_security_md_names_exists():
    document = (ROOT / "SECURITY.md").read_text()
    for owner in re.findall(r"`((?:[a-z_]+/)*[a-z_]+\.py)`", document):
        if owner.startswith("test_"):
            continue
        assert (PACKAGE / owner).exists() or (ROOT / owner).exists(), owner
    for module, name in re.findall(r"(test_[a-z_]+\.py)::(test_[a-z_0-9]+)", document):
        assert re.search(rf"^def {name}\(", (ROOT / "tests" / module).read_text(), re.M), f"{module}::{name}"
    for module in re.findall(r"`(test_[a-z_]+\.py)`", document):
        assert (ROOT / "tests" / module).exists(), module
