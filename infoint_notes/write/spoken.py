"""A line of the user's interview notes as something to say to the person (SPEC 4.10):
plain text (Markdown formatting removed) in the second person ("She runs the lab" ->
"you run the lab"), ready to follow a colon (no capital unless it is a name).

Notes are written about someone; a thank-you is written to them. The rewrite is
word-level and conservative: the pronouns he/she and the person's own names become
"you"/"your", the verb right after such a subject agrees with it, and anything it
cannot tell (they, them: often the team, not the person) is left as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..core.names import parse_name

_WIKILINK = re.compile(r"!?\[\[([^\[\]|#]*)(?:#[^\[\]|]*)?(?:\|([^\[\]]*))?\]\]")
_HIGHLIGHT = re.compile(r"==(?=\S)(.+?)(?<=\S)==")
_FOOTNOTE = re.compile(r"\[\^[^\]]*\]")
_TAG = re.compile(r"(?:(?<=\s)|^)#(?=[^\s#])")
#: Words ("doesn't", "she'll", "Mary-Kate"), a possessive "'s" on its own, punctuation, spaces.
_WORD = re.compile(r"\w+(?:[’'](?!s\b)\w+|-\w+)*|[’']s\b|[^\w\s]+|\s+")

#: Third person (about them) -> second person (to them).
_PRONOUNS = {
    "he": "you",
    "she": "you",
    "him": "you",
    "his": "your",
    "hers": "yours",
    "himself": "yourself",
    "herself": "yourself",
    "he'd": "you'd",
    "she'd": "you'd",
    "he'll": "you'll",
    "she'll": "you'll",
}
_SUBJECTS = frozenset({"he", "she", "he'd", "she'd", "he'll", "she'll"})
#: "her" is "your" before what it owns ("her team"), else "you" ("I asked her").
_NOT_OWNED = frozenset(
    "a an the about after at before by for from in into of on over since than that to "
    "with and or but so because if when while who which".split()
)
_IRREGULAR = {
    "is": "are",
    "was": "were",
    "has": "have",
    "does": "do",
    "goes": "go",
    "isn't": "aren't",
    "wasn't": "weren't",
    "hasn't": "haven't",
    "doesn't": "don't",
}
#: Words that may stand between a subject and its verb ("she still runs").
_ADVERBS = frozenset(
    "also always actually already currently often just mostly never now only really "
    "recently rarely sometimes still typically usually generally even".split()
)
#: After one of these (or at the start, or after punctuation) a name is a subject.
_CLAUSE_STARTS = frozenset("and but that because so when while since if who".split())
_IS = ("'s", "’s")
#: A sentence already ended: by its mark, perhaps inside closing quotes ("… opinions.").
_ENDED = re.compile(r"[.!?…][\"'”’»]*\Z")
#: What a sentence does not end on: a trailing comma, colon, semicolon or dash.
_DANGLING = re.compile(r"[\s,;:\-–—]+\Z")
_PARTICIPLE_HINTS = frozenset("been done got gone had made seen taken worked".split())


def plain_text(markdown: str) -> str:
    """The words of one line of Markdown: emphasis, code marks, highlights, links (their
    text stays), images (their alt text), HTML tags and footnote marks removed."""
    from markdown_it import MarkdownIt

    text = _WIKILINK.sub(lambda m: (m.group(2) or m.group(1)).strip(), markdown)
    text = _FOOTNOTE.sub("", _HIGHLIGHT.sub(r"\1", text))
    text = _TAG.sub("", text)
    parser = MarkdownIt("commonmark").enable("strikethrough")
    words: list[str] = []
    for block in parser.parseInline(text):
        for token in block.children or ():
            if token.type in ("text", "code_inline"):
                words.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                words.append(" ")
            elif token.type == "image":
                words.append(token.content)
    return " ".join("".join(words).split())


def second_person(text: str, person: str) -> str:
    """`text`, about `person` (their full name), as said to them."""
    tokens = _WORD.findall(text)
    names = _name_forms(person)
    out: list[str] = []
    agree_next = False
    number = 0
    while number < len(tokens):
        token = tokens[number]
        lower = token.lower().replace("’", "'")
        if token.isspace() or not token[0].isalnum():
            out.append(token)
            number += 1
            continue
        name_length = _name_at(tokens, number, names)
        if name_length:
            subject = _starts_clause(out)
            number += name_length
            starts = _starts_sentence(out)
            if number < len(tokens) and tokens[number] in _IS:
                out.append(_cased("your", starts))
                number += 1
                continue
            out.append(_cased("you", starts))
            agree_next = subject
            continue
        if agree_next:
            if lower in _ADVERBS:
                out.append(token)
                number += 1
                continue
            out.append(_agreeing(token))
            agree_next = False
            number += 1
            continue
        capital = token[0].isupper()
        if lower in ("he", "she") and number + 1 < len(tokens) and tokens[number + 1] in _IS:
            following = _next_word(tokens, number + 1)
            out.append(_cased("you've" if _participle(following) else "you're", capital))
            number += 2
            continue
        elif lower == "her":
            following = _next_word(tokens, number)
            owned = following and following[0].isalnum() and following.lower() not in _NOT_OWNED
            out.append(_cased("your" if owned else "you", capital))
        elif lower in _PRONOUNS:
            out.append(_cased(_PRONOUNS[lower], capital))
            agree_next = lower in _SUBJECTS
        else:
            out.append(token)
        number += 1
    return "".join(out)


def _cased(word: str, capital: bool) -> str:
    return word[0].upper() + word[1:] if capital else word


def _starts_sentence(out: list[str]) -> bool:
    for token in reversed(out):
        if not token.isspace():
            return token.rstrip("\"')”’").endswith((".", "!", "?"))
    return True


def _next_word(tokens: list[str], number: int) -> str:
    for token in tokens[number + 1 :]:
        if not token.isspace():
            return token
    return ""


def _participle(word: str) -> bool:
    word = word.lower()
    return word in _PARTICIPLE_HINTS or (word.endswith(("ed", "en")) and len(word) > 3)


def _agreeing(verb: str) -> str:
    """A third-person present verb as it goes with "you" (runs -> run); others as given."""
    lower = verb.lower().replace("’", "'")
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if not verb.isalpha() or not verb.islower() or len(verb) < 3 or not verb.endswith("s"):
        return verb
    if verb.endswith(("ss", "us", "is", "ous")):
        return verb
    if verb.endswith("ies") and len(verb) > 4:
        return verb[:-3] + "y"
    if verb.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        return verb[:-2]
    return verb[:-1]


def _starts_clause(out: list[str]) -> bool:
    """Whether what comes next begins a clause (so a name there is its subject)."""
    for token in reversed(out):
        if token.isspace():
            continue
        return not token[0].isalnum() or token.lower() in _CLAUSE_STARTS
    return True


@lru_cache(maxsize=256)
def _name_forms(person: str) -> tuple[tuple[str, ...], ...]:
    """The ways notes name `person`, longest first, each as its word tokens:
    "Dr. Elena Álvarez", "Elena Álvarez", "Dr. Álvarez", "Elena", "Álvarez"."""
    parts = parse_name(person)
    forms = {
        person,
        " ".join(p for p in (parts.first, parts.middle, parts.last) if p),
        f"{parts.first} {parts.last}",
        f"{parts.title} {parts.last}" if parts.title else "",
        parts.first,
        parts.last if parts.first else "",
    }
    tokenised = {
        tuple(t for t in _WORD.findall(form) if not t.isspace()) for form in forms if form.strip()
    }
    return tuple(sorted((form for form in tokenised if form), key=len, reverse=True))


def _name_at(tokens: list[str], number: int, names: Iterable[tuple[str, ...]]) -> int:
    """How many tokens (spaces included) a name of the person takes at `number`; 0 if none."""
    for form in names:
        position = number
        for matched, word in enumerate(form):
            while matched and position < len(tokens) and tokens[position].isspace():
                position += 1
            if position >= len(tokens) or tokens[position] != word:
                break
            position += 1
        else:
            return position - number
    return 0


def after_colon(text: str, proper: Iterable[str] = ()) -> str:
    """`text` to follow a colon: its first word lower-cased unless it is a name ("I",
    an acronym, a word capitalised inside, a word of `proper`, or the start of a run of
    capitalised words such as "New York")."""
    words = text.split()
    match = re.match(r"\W*(\w[\w’'-]*)", text)
    if not match:
        return text
    word = match.group(1)
    following = words[1] if len(words) > 1 else ""
    keep = (
        word == "I"
        or word.startswith(("I'", "I’"))
        or not word[0].isupper()
        or any(char.isupper() for char in word[1:])
        or word in set(proper)
        or (following[:1].isupper() and following != "I")
    )
    if keep:
        return text
    return text[: match.start(1)] + word[0].lower() + text[match.start(1) + 1 :]


def ends_sentence(text: str) -> bool:
    """Whether `text` already ends with a sentence's mark ("Inc.", "ahead?", `"... ."`)."""
    return bool(_ENDED.search(text))


def full_stop(text: str) -> str:
    """`text` as a whole sentence: a period added unless it already ends one, so a note or
    a name that ends in ".", "?" or a closing quote never gets a second mark."""
    text = _DANGLING.sub("", text)
    return text if ends_sentence(text) else f"{text}."
