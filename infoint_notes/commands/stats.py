"""`infoint stats`."""

from __future__ import annotations

import click

from ..rules.graph import build_graph
from ..rules.stats import compute_stats
from .app import App, json_option, now_option, pass_app
from .output import echo_json, echo_lines


def _counts(counts: dict[str, int]) -> str:
    shown = [f"{name} {count}" for name, count in counts.items() if count]
    return ", ".join(shown) if shown else "none"


def _number(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "n/a"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


def stats_json(stats) -> dict:
    share = stats.thank_you_share
    return {
        "contacts": {
            "total": stats.contacts,
            "by_stage": stats.by_stage,
            "by_source": stats.by_source,
        },
        "interviews": stats.interviews,
        "referrals": {
            "total": stats.referrals,
            "per_done_interview": None
            if stats.referrals_per_done_interview is None
            else round(stats.referrals_per_done_interview, 2),
        },
        "thank_you": {
            "within_hours": stats.thank_you_hours,
            "in_time": stats.thank_you_in_time,
            "counted": stats.thank_you_counted,
            "share": None if share is None else round(share, 4),
        },
        "median_days_request_to_interview": stats.median_days_to_interview,
        "interviews_by_source": stats.interviews_by_source,
        "longest_chain": list(stats.longest_chain),
        "answers": {
            group: [
                {"id": answer.contact.id, "name": answer.contact.title, "days": answer.days}
                for answer in found
            ]
            for group, found in stats.answers.items()
        },
    }


@click.command("stats")
@json_option
@now_option
@pass_app
def stats_command(app: App, as_json: bool, now_text: str | None) -> None:
    """Figures about your search: stages, sources, interviews, referrals, thank-yous,
    and how quickly people answered your requests.

    How each figure is counted is in the README ("infoint stats").

    Example:

    \b
        infoint stats
        infoint stats --json
    """
    index = app.index()
    now = app.now(now_text)
    graph = build_graph(index, now)
    stats = compute_stats(index, graph, now)
    if as_json:
        echo_json(stats_json(stats))
        return
    done = stats.interviews["done"]
    share = stats.thank_you_share
    in_time = f"{stats.thank_you_in_time} of {stats.thank_you_counted}"
    chain = [graph.node(node_id).name for node_id in stats.longest_chain]
    lines = [
        f"Contacts: {stats.contacts}",
        f"  by stage:  {_counts(stats.by_stage)}",
        f"  by source: {_counts(stats.by_source)}",
        f"Interviews: {_counts(stats.interviews)}",
        f"Referrals per done interview: {_number(stats.referrals_per_done_interview)}"
        f" ({stats.referrals} from {done})",
        f"Thank-yous within {stats.thank_you_hours} h: {in_time}"
        + ("" if share is None else f" ({share:.0%})"),
        "Median days from request to first interview: "
        + _number(stats.median_days_to_interview, 1),
        f"Sources that led to interviews: {_counts(stats.interviews_by_source)}",
        f"Longest referral chain ({len(chain)}): " + (" → ".join(chain) if chain else "none"),
        "Answers to requests, in business days (boosters answer within 3):",
        *_answer_lines(stats.answers),
    ]
    echo_lines(lines, wrap=True)


_ANSWER_LABELS = {
    "within_3_business_days": "within 3",
    "later": "later",
    "never": "never",
    "waiting": "waiting",
}


def _answer_lines(answers) -> list[str]:
    """One line per group: the people in it, with the days they took to answer."""
    width = max(map(len, _ANSWER_LABELS.values())) + 1
    lines = []
    for group, found in answers.items():
        people = [
            answer.contact.title + ("" if answer.days is None else f" ({answer.days})")
            for answer in found
        ]
        label = f"{_ANSWER_LABELS[group]}:"
        lines.append(f"  {label:<{width}} {', '.join(people) if people else 'none'}")
    return lines
