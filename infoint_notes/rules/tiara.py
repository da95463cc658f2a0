"""TIARA: the five kinds of question of "The 2-Hour Job Search" (Steve Dalton).

Trends, Insights, Advice, Resources, Assignments: asked in that order, they turn an
informational interview into an advocate. infoint sorts each prepared question into one
kind (or none) with the rules below, so that `prepare` can say which kinds no question
covers yet and `show` can count them. It is advice: `validate` never warns about it.

How a question is classified: lower-cased (curly apostrophes made straight), it is tried
against the kinds in `ORDER`, most specific first (a question about the projects of a new
hire mentions the job too; one recommending a book asks for advice too); the first kind
with a rule that matches wins. A question no rule matches is unclassified. Each rule is
a keyword or a question shape, with an example that the tests check it catches:

| kind | what it asks for |
|---|---|
| trends | where the field is going: change, the future, the challenges of the industry |
| insights | what only an insider knows: a typical day, surprises, culture, their own path |
| advice | what you should do: how to prepare, stand out, which skills to build |
| resources | what to read, join or attend, and whom else to talk to |
| assignments | the work itself: projects, the first year, what a new hire does |
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: The five kinds, in the order the method asks them (and `show` lists them).
KINDS = ("trends", "insights", "advice", "resources", "assignments")
#: The order kinds are tried in: most specific first, the broad "insights" last.
ORDER = ("assignments", "resources", "advice", "trends", "insights")


@dataclass(frozen=True, slots=True)
class Rule:
    """One keyword or question shape of a kind, and a question it catches."""

    kind: str
    pattern: str
    example: str


RULES: tuple[Rule, ...] = (
    # --- assignments: the work itself ------------------------------------------------
    Rule("assignments", r"\bprojects?\b", "What projects might I work on if I were hired?"),
    Rule("assignments", r"\bassignments?\b", "What kinds of assignments do analysts get?"),
    Rule(
        "assignments",
        r"\bfirst (?:year|month|months|weeks?|\d+ days|ninety days|90 days)\b",
        "What would someone in my role focus on in the first year?",
    ),
    Rule("assignments", r"\bnew (?:hires?|joiners?|graduates?)\b", "What does a new hire do?"),
    Rule(
        "assignments",
        r"\bwhat (?:would|will|might|do) (?:i|someone|they|new \w+) (?:be )?work(?:ing)? on\b",
        "What would I be working on in that team?",
    ),
    Rule(
        "assignments",
        r"\bresponsibilit(?:y|ies)\b",
        "What responsibilities does an entry-level analyst have?",
    ),
    # --- resources: what to read, join, attend; whom to talk to --------------------------
    Rule("resources", r"\bresources?\b", "What resources should I be sure to look into?"),
    Rule(
        "resources",
        r"\b(?:books?|websites?|blogs?|publications?|journals?|newsletters?|podcasts?"
        r"|magazines?|reading)\b",
        "Which books or newsletters do you read to keep up?",
    ),
    Rule(
        "resources",
        r"\b(?:associations?|societ(?:y|ies)|meetups?|conferences?|events?|courses?"
        r"|certifications?|communit(?:y|ies))\b",
        "Which associations, events or publications would you recommend?",
    ),
    Rule(
        "resources",
        r"\bwho (?:else )?(?:should|would|could|might|do you (?:think|suggest))\b"
        r"|\bwho else\b|\banyone else\b",
        "Who else would you suggest I talk to?",
    ),
    Rule(
        "resources",
        r"\b(?:keep up|stay (?:current|up[- ]to[- ]date|informed))\b",
        "How do you stay current in your field?",
    ),
    # --- advice: what you should do ---------------------------------------------------------
    Rule("advice", r"\badvi[cs]e\b", "How would you advise someone with my background?"),
    Rule(
        "advice",
        r"\bif you were (?:me|starting|in my)\b|\bin my (?:shoes|position|place)\b",
        "If you were in my shoes, what would you do?",
    ),
    Rule(
        "advice",
        r"\bshould i\b|\b(?:what|how) can i\b|\bwould you recommend i\b",
        "What can I be doing now to be a strong candidate?",
    ),
    Rule(
        "advice",
        r"\b(?:prepare|stand out|strong candidate|break into|get my foot)\b",
        "How would you prepare for a role like yours today?",
    ),
    Rule(
        "advice",
        r"\bskills?\b|\bqualifications?\b|\bmy (?:background|resume|cv|profile)\b",
        "Which skills matter most for someone starting out?",
    ),
    Rule("advice", r"\b(?:mistakes?|avoid)\b", "What mistakes should newcomers avoid?"),
    # --- trends: where the field is going ---------------------------------------------------
    Rule("trends", r"\btrends?\b", "What trends are most affecting your business right now?"),
    Rule(
        "trends",
        r"\b(?:chang(?:e|es|ed|ing)|future|emerging|evolv(?:e|es|ing)|disrupt\w*)\b",
        "How is the field changing, and where do you see it going?",
    ),
    Rule(
        "trends",
        r"\b(?:next|coming) (?:few|five|ten|\d+) years\b|\bin (?:five|ten|\d+) years\b"
        r"|\b(?:going|headed|heading)\b",
        "Where will this industry be in five years?",
    ),
    Rule(
        "trends",
        r"\b(?:industry|field|sector|market|profession)\b.*\b(?:challenges?|opportunit(?:y|ies)"
        r"|threats?|problems?)\b|\b(?:challenges?|opportunit(?:y|ies)|threats?|problems?)\b.*"
        r"\b(?:industry|field|sector|market|profession)\b",
        "What are the biggest challenges facing your industry?",
    ),
    Rule(
        "trends",
        r"\b(?:affecting|shaping|these days|nowadays|lately|in recent years)\b",
        "How is AI shaping the way your team works?",
    ),
    # --- insights: what only an insider knows -----------------------------------------------
    Rule("insights", r"\bsurpris\w*", "What surprises you most about your job?"),
    Rule(
        "insights",
        r"\b(?:typical|average) (?:day|week|month)\b|\bday[- ]to[- ]day\b|\bday in the life\b",
        "What does a typical week look like for you?",
    ),
    Rule(
        "insights",
        r"\b(?:enjoy|like (?:most|best|least)|favou?rite|rewarding|frustrat\w*|hardest"
        r"|difficult|challeng\w*)\b",
        "What do you enjoy most about your work, and what is hardest?",
    ),
    Rule(
        "insights",
        r"\b(?:culture|work environment|work[- ]life|values)\b",
        "How would you describe the culture of your team?",
    ),
    Rule(
        "insights",
        r"\bwish (?:you|i)(?:'d| had| would have)? known\b|\bknown (?:when|before)\b",
        "What do you wish you had known when you were starting out?",
    ),
    Rule(
        "insights",
        r"\bhow did you\b|\bwhy did you\b|\bwhat (?:led|brought|drew|made) you\b"
        r"|\b(?:career path|your (?:path|journey|story))\b",
        "How did you get started in this field?",
    ),
    Rule(
        "insights",
        r"\b(?:misconceptions?|myths?|outsiders?)\b",
        "What is the biggest misconception outsiders have about your work?",
    ),
    Rule(
        "insights",
        r"\byour (?:role|job|work|team|company|organi[sz]ation|position)\b",
        "What does your role involve?",
    ),
)

_PATTERNS = {
    kind: re.compile("|".join(f"(?:{rule.pattern})" for rule in RULES if rule.kind == kind))
    for kind in ORDER
}


def _normalised(question: str) -> str:
    return " ".join(question.replace("\u2019", "'").casefold().split())


def classify(question: str) -> str | None:
    """The TIARA kind of a question, or None when no rule matches it."""
    text = _normalised(question)
    for kind in ORDER:
        if _PATTERNS[kind].search(text):
            return kind
    return None


def matches(rule: Rule, question: str) -> bool:
    """Whether `rule` alone catches `question` (for the tests and the docs)."""
    return re.search(rule.pattern, _normalised(question)) is not None


def tiara_counts(questions: Iterable[str]) -> dict[str, int]:
    """How many of the questions are of each kind, every kind in TIARA order."""
    counts = dict.fromkeys(KINDS, 0)
    for question in questions:
        kind = classify(question)
        if kind is not None:
            counts[kind] += 1
    return counts


def uncovered(questions: Iterable[str]) -> list[str]:
    """The kinds none of the questions covers, in TIARA order."""
    return [kind for kind, count in tiara_counts(questions).items() if not count]
