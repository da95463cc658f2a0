"""The front-matter fields of each kind of note (SPEC 3), as completion offers them:
read from `core/schema`, where every field is declared once."""

from __future__ import annotations

from ..core.schema import KINDS, Value

#: Kinds of value whose field holds a link, written `"[[id]]"` (quoted, so YAML keeps it
#: a string).
_LINKING = frozenset((Value.LINK, Value.NAMED, Value.LINKS, Value.REFERRALS))
_BOOLEANS = ("true", "false")


def fields_of(kind: str) -> tuple[str, ...]:
    """The keys a note of `kind` may hold, `type` first, in the schema's order."""
    found = KINDS.get(kind)
    return ("type", *(field.key for field in found.fields)) if found else ("type",)


def link_kind(kind: str, key: str) -> str | None:
    """The kind of note a link in field `key` of a `kind` note is offered from ("": any
    note), or None when the field holds no link. The schema's `links_to` where a link must
    reach one kind; a name-or-link field names its kind (`organization`); referrals are
    people."""
    found = KINDS.get(kind)
    for field in found.fields if found else ():
        if field.key == key and field.value in _LINKING:
            if field.links_to:
                return field.links_to
            if field.value is Value.REFERRALS:
                return "contact"
            return field.key if field.key in KINDS else ""
    return None


def allowed_values(kind: str, key: str) -> tuple[str, ...]:
    """The values an enumerated field takes in a note of `kind` (empty: any value)."""
    if key == "type":
        return tuple(KINDS)
    found = KINDS.get(kind)
    for field in found.fields if found else ():
        if field.key == key:
            if field.value is Value.CHOICE:
                return field.choices
            return _BOOLEANS if field.value is Value.FLAG else ()
    return ()


def is_date_field(kind: str, key: str) -> bool:
    found = KINDS.get(kind)
    return any(f.key == key and f.value.dated for f in found.fields) if found else False
