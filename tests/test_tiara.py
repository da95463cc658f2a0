"""TIARA classification of prepared questions ("The 2-Hour Job Search")."""

from __future__ import annotations

import re

import pytest

from infoint_notes.rules.tiara import (
    KINDS,
    ORDER,
    RULES,
    classify,
    matches,
    tiara_counts,
    uncovered,
)
from infoint_notes.write.scaffold import template_files


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.kind}: {rule.example}")
def test_each_rule_catches_its_documented_example(rule):
    assert matches(rule, rule.example)
    assert classify(rule.example) == rule.kind


def test_every_kind_has_rules_and_is_tried():
    assert sorted(ORDER) == sorted(KINDS)
    for kind in KINDS:
        assert sum(rule.kind == kind for rule in RULES) >= 2, kind


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # Dalton's own example of each kind.
        ("What trends are most affecting your business right now?", "trends"),
        ("What surprises you most about your job/company?", "insights"),
        ("What can I be doing right now to best prepare for a career in this field?", "advice"),
        ("What resources should I be sure to look into?", "resources"),
        ("What projects might I work on if I were hired?", "assignments"),
        # Questions people write.
        ("Where do you see the industry going?", "trends"),
        ("What are the biggest challenges facing your field?", "trends"),
        ("What's the hardest part of your job?", "insights"),
        ("What do you wish you’d known before you started?", "insights"),  # curly apostrophe
        ("How did you get started in this field?", "insights"),
        ("What kinds of organizations or roles should I be looking at?", "advice"),
        ("If you were me, what would you do next?", "advice"),
        ("Which podcasts do you listen to?", "resources"),
        ("Who else would you suggest I talk to? May I mention your name?", "resources"),
        ("What would a new hire on your team do in the first 90 days?", "assignments"),
        # The most specific kind wins: a new hire's projects, an association to join.
        ("What skills would I use on the projects of my first year?", "assignments"),
        ("Which associations should I join?", "resources"),
    ],
)
def test_questions_people_ask(question, kind):
    assert classify(question) == kind


@pytest.mark.parametrize("question", ["Do you have any openings?", "Is there parking?", ""])
def test_a_question_no_rule_matches_is_unclassified(question):
    assert classify(question) is None


def test_counts_and_uncovered_kinds_in_tiara_order():
    questions = [
        "How is the field changing?",
        "What surprised you most?",
        "What does a typical week look like?",
        "Do you have any openings?",
    ]
    assert tiara_counts(questions) == {
        "trends": 1,
        "insights": 2,
        "advice": 0,
        "resources": 0,
        "assignments": 0,
    }
    assert uncovered(questions) == ["advice", "resources", "assignments"]
    assert uncovered([]) == list(KINDS)


def test_the_interview_template_offers_a_starter_for_every_kind():
    text = dict(template_files())["templates/interview.md"].read_text(encoding="utf-8")
    questions_section = text.split("## Questions", 1)[1].split("## Notes", 1)[0]
    comment = re.search(r"<!--(.*?)-->", questions_section, re.S)
    assert comment is not None
    starters = [line[2:] for line in comment.group(1).splitlines() if line.startswith("- ")]
    assert all(classify(question) is not None for question in starters), starters
    assert {classify(question) for question in starters} == set(KINDS)
    # Outside the comment, the section holds no question: starters count only once written.
    assert not re.search(r"^- ", questions_section.replace(comment.group(0), ""), re.M)
