"""`core/schema.py` declares every note field once, and everything follows from it.

The checklist tests hold the declarations and the code that cannot derive from them
together (the typed notes' dataclasses, the built-in templates, vCard and LinkedIn
column codecs, `log`'s events). The tests with the `anniversary` fixture add one contact
field to the schema, as a developer would, and check that every command treats it as
a field of its own: none of them may keep a list of fields beside the schema.
"""

from __future__ import annotations

import functools
import json
import operator
from dataclasses import fields, replace
from datetime import datetime
from typing import Any, get_type_hints

import pytest

from infoint_notes.commands.log import log_command
from infoint_notes.core import notes, schema
from infoint_notes.core.parse import parse_note
from infoint_notes.core.schema import Field, Value
from infoint_notes.core.yamlread import load_front_matter
from infoint_notes.formats import linkedin as linkedin_format
from infoint_notes.formats import vcard, vcard_lines
from infoint_notes.formats.importfile import ImportText
from infoint_notes.write.events import EVENTS
from infoint_notes.write.scaffold import template_files

#: What every typed note carries that is no front-matter field.
_BOOKKEEPING = {"path", "id", "kind", "parsed", "field_links", "issues", "typed"}
_ALL_KINDS = [schema.PLAIN, *schema.KINDS.values()]


def _without_none(hint: Any) -> Any:
    kept = [arg for arg in getattr(hint, "__args__", (hint,)) if arg is not type(None)]
    return functools.reduce(operator.or_, kept)


@pytest.mark.parametrize("kind", _ALL_KINDS, ids=lambda kind: kind.name)
def test_every_attribute_of_a_typed_note_is_one_field_of_its_readers_type(kind):
    """The builder passes each field's reader's value to its attribute by name; this
    is what makes that as sound as explicit keyword arguments checked by mypy."""
    declared = [field.attribute for field in kind.fields if field.attribute]
    assert len(declared) == len(set(declared)), "an attribute filled by two fields"
    model = {attribute.name: attribute for attribute in fields(kind.note)}
    assert set(declared) == set(model) - _BOOKKEEPING
    hints = get_type_hints(kind.note)
    for field in kind.fields:
        if field.attribute is None:
            continue
        returned = get_type_hints(notes._READERS[field.value])["return"]
        default = model[field.attribute].default
        if default is not None and not isinstance(default, tuple):
            returned = _without_none(returned)  # the default stands in for None
        assert hints[field.attribute] == returned, (kind.name, field.key)


def test_every_kind_of_value_has_a_reader():
    assert set(notes._READERS) == set(Value)


@pytest.mark.parametrize("kind", schema.KINDS.values(), ids=lambda kind: kind.name)
def test_each_built_in_template_lists_its_kinds_fields_in_order(kind):
    source = dict(template_files())[f"templates/{kind.name}.md"]
    front = source.read_text(encoding="utf-8").split("---\n")[1]
    keys = [key for key in load_front_matter(front, 2).data or {} if key != "type"]
    assert keys == [field.key for field in kind.fields if field.template]


def test_choices_and_options_are_declared_once():
    contact, interview = schema.KINDS["contact"], schema.KINDS["interview"]
    assert contact.field("source").choices is schema.SOURCES
    assert interview.field("format").choices is schema.FORMATS
    assert EVENTS["request"].via_field is contact.field("request_via")
    via = next(p for p in log_command.commands["request"].params if p.name == "via")
    assert tuple(via.type.choices) == schema.REQUEST_VIA


def test_the_contact_columns_and_properties_of_the_schema_are_known_to_the_formats():
    declared = schema.KINDS["contact"].fields
    linkedin = {field.linkedin for field in declared if field.linkedin}
    assert set(linkedin_format.LINKEDIN_COLUMNS) == {"First Name", "Last Name", *linkedin}
    carried: dict[str, set[str]] = {}
    for field in declared:
        if field.vcard:
            carried.setdefault(field.vcard, set()).add(field.key)
    assert set(carried) == set(vcard._PROPERTIES)
    # Each property reads exactly the fields the schema gives it, from a card having all.
    card = vcard_lines.read_card(1, list(enumerate(FULL_CARD.splitlines(), 2)), ImportText(""))
    for name, carrier in vcard._PROPERTIES.items():
        read = {key for key, value in carrier.read(card, []).items() if value}
        assert read == carried[name], name


FULL_CARD = """\
FN:Ada Lovelace
NICKNAME:Ada
ORG:Analytical Engines
TITLE:Analyst
ADR:;;12 St James's Square;London;;SW1Y 4JH;UK
EMAIL;PREF=1:ada@example.org
EMAIL:countess@example.org
TEL:+44 20 7946 0000
TEL:+44 20 7946 0001
URL:https://www.linkedin.com/in/ada
URL:https://ada.example.org
BDAY:18151210
CATEGORIES:maths
"""


def test_every_log_event_records_a_field_of_its_kind():
    assert set(log_command.commands) == set(EVENTS)
    for event in EVENTS.values():
        field = event.field  # raises when the kind has no such field
        if field.value is Value.CHOICE:
            assert event.value in field.choices and not event.dated
        else:
            assert event.dated and event.value is None
        has_date = any(
            param.name == "date_text" for param in log_command.commands[event.name].params
        )
        assert has_date == event.dated


# --- adding a field is one line in the schema -------------------------------------------


@pytest.fixture
def anniversary(monkeypatch: pytest.MonkeyPatch) -> Field:
    """The schema with one more contact field, after `location`: one line, no attribute."""
    contact = schema.KINDS["contact"]
    added = Field("anniversary", Value.WHEN)
    declared = list(contact.fields)
    declared.insert([field.key for field in declared].index("location") + 1, added)
    monkeypatch.setitem(schema.KINDS, "contact", replace(contact, fields=tuple(declared)))
    return added


ADA = """\
    ---
    type: contact
    name: Ada Lovelace
    anniversary: 1990-05-01T10:00
    ---
    """
BOB = """\
    ---
    type: contact
    name: Bob Li
    anniversary: soon
    ---
    """


def test_a_new_field_is_typed_and_checked(anniversary, make_vault, run):
    vault = make_vault({"contacts/ada.md": ADA, "contacts/bob.md": BOB})
    ada = notes.build_note(
        parse_note("contacts/ada.md", (vault / "contacts/ada.md").read_bytes()), _zone()
    )
    assert ada.typed["anniversary"] == datetime(1990, 5, 1, 10, 0, tzinfo=_zone())
    assert ada.issues == ()
    result = run(vault, "validate", "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert [(p["path"], p["line"], p["code"]) for p in problems] == [
        ("contacts/bob.md", 4, "bad-value")
    ]
    assert problems[0]["message"].startswith("'anniversary' must be a date")


def _zone() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("America/New_York")  # the `make_vault` default


def test_a_new_field_is_a_column_of_every_export(anniversary, make_vault, run):
    vault = make_vault({"contacts/ada.md": ADA})
    header, row = run(vault, "export", "contacts", "--format", "csv").stdout.splitlines()
    columns = header.split(",")
    assert columns[columns.index("location") + 1] == "anniversary"
    assert row.split(",")[columns.index("anniversary")] == "1990-05-01T10:00"
    exported = json.loads(run(vault, "export", "contacts", "--format", "json").stdout)
    assert exported[0]["fields"]["anniversary"] == "1990-05-01T10:00"
    vcard = run(vault, "export", "contacts", "--format", "vcard").stdout
    assert 'X-INFOINT-ANNIVERSARY:"1990-05-01T10:00"' in vcard.splitlines()


def test_a_new_date_field_is_imported_as_a_date(anniversary, make_vault, run, tmp_path):
    vault = make_vault()
    people = [
        {"id": "cy", "fields": {"type": "contact", "name": "Cy", "anniversary": "1990-05-01"}}
    ]
    source = tmp_path / "people.json"
    source.write_text(json.dumps(people), encoding="utf-8")
    result = run(vault, "import", "json", str(source))
    assert result.exit_code == 0, result.stderr
    assert "anniversary: 1990-05-01\n" in (vault / "contacts/cy.md").read_text()  # not quoted


def test_a_new_date_field_filters_and_lists_as_a_date(anniversary, make_vault, run):
    vault = make_vault({"contacts/ada.md": ADA, "contacts/bob.md": BOB})
    found = run(vault, "list", "--json", "--where", "anniversary>1990-04-30")
    assert found.exit_code == 0, found.stderr
    (ada,) = json.loads(found.stdout)
    assert ada["id"] == "ada"
    assert (
        ada["anniversary"] == "1990-05-01T10:00:00-04:00"
    )  # in the vault's zone, like `requested`


def test_a_template_fills_a_new_date_field_as_a_date(anniversary, make_vault, run):
    template = '---\ntype: contact\nname: "{{title}}"\nanniversary: "{{date}}"\n---\n'
    vault = make_vault({"templates/contact.md": template})
    result = run(vault, "new", "contact", "Dee Ray")
    assert result.exit_code == 0, result.stderr
    assert "anniversary: 2026-11-20\n" in (vault / "contacts/dee-ray.md").read_text()
