"""The rules lab: try a sentence, and replay stored concerns through two rule sets to judge an edit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import Concern
from tracker.rules_engine import ConcernFacts, Decision, RuleSet, classify


@dataclass(frozen=True)
class Replayed:
    """One stored concern's decision under the base and the candidate rules."""

    reference: str
    confidentiality: str
    text: str
    before: Decision
    after: Decision

    @property
    def changed(self) -> bool:
        """Whether anything a person would notice differs."""
        keys = ("categories", "urgency", "scheme", "co_schemes", "owner", "confidentiality")
        return any(getattr(self.before, k) != getattr(self.after, k) for k in keys)


@dataclass
class DiffReport:
    """What a rule edit would change, in counts and examples."""

    total: int = 0
    changed: int = 0
    categories_before: Counter[str] = field(default_factory=Counter)
    categories_after: Counter[str] = field(default_factory=Counter)
    urgency_moves: Counter[tuple[str, str]] = field(default_factory=Counter)
    scheme_moves: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: list[Replayed] = field(default_factory=list)

    def add(self, item: Replayed, max_examples: int) -> None:
        """Count one replayed concern."""
        self.total += 1
        self.categories_before.update(item.before.categories or ("(none)",))
        self.categories_after.update(item.after.categories or ("(none)",))
        if not item.changed:
            return
        self.changed += 1
        if item.before.urgency != item.after.urgency:
            self.urgency_moves[(item.before.urgency, item.after.urgency)] += 1
        if item.before.scheme != item.after.scheme:
            self.scheme_moves[(item.before.scheme, item.after.scheme)] += 1
        if len(self.examples) < max_examples:
            self.examples.append(item)

    def format(self, show_text: bool = False) -> str:
        """A plain report; words are shown only on request and never for sealed Listener items."""
        lines = [f"Replayed {self.total} stored concerns: {self.changed} would change."]
        lines.append("Categories (before -> after):")
        for cat in sorted(set(self.categories_before) | set(self.categories_after)):
            before, after = self.categories_before[cat], self.categories_after[cat]
            lines.append(f"  {cat:<20} {before:>6} -> {after:<6} ({after - before:+d})")
        for title, moves in (("Urgency", self.urgency_moves), ("Primary scheme", self.scheme_moves)):
            lines.append(f"{title} changes:")
            lines += [f"  {a} -> {b}: {n}" for (a, b), n in moves.most_common()] or ["  none"]
        lines.append("Examples:")
        for ex in self.examples:
            lines.append(f"  {ex.reference}: {_brief(ex.before)}  =>  {_brief(ex.after)}")
            if show_text and ex.confidentiality != "sealed":
                lines.append(f"    {ex.text[:160]!r}")
        return "\n".join(lines)


def _brief(d: Decision) -> str:
    return f"[{','.join(d.categories) or '-'}] {d.urgency} {d.scheme}"


def facts_of(concern: Concern) -> ConcernFacts:
    """The facts a concern was classified from, as stored."""
    answers = concern.answers or {}
    return ConcernFacts(text=concern.text, risk_now=bool(answers.get("risk_now")),
                        about_staff=bool(answers.get("about_staff")),
                        consent_to_share=bool(answers.get("consent_to_share")))


def stored_concerns(batch: int = 1000) -> Iterator[Concern]:
    """Every stored concern, streamed in batches so a large history fits in memory."""
    stmt = select(Concern).order_by(Concern.id).execution_options(yield_per=batch)
    yield from db.session.scalars(stmt)


def diff(base: RuleSet, candidate: RuleSet, concerns: Iterable[Concern],
         max_examples: int = 20) -> DiffReport:
    """Replay concerns through both rule sets and count what would change."""
    report = DiffReport()
    for concern in concerns:
        facts = facts_of(concern)
        report.add(Replayed(concern.reference, concern.confidentiality, concern.text,
                            classify(base, facts), classify(candidate, facts)), max_examples)
    return report


def try_sentence(rules: RuleSet, text: str, risk_now: bool, about_staff: bool) -> Decision:
    """The decision for a typed sentence; nothing is stored."""
    return classify(rules, ConcernFacts(text=text, risk_now=risk_now, about_staff=about_staff))


def describe_rules(rules: RuleSet) -> dict[str, str]:
    """Rule id -> its human description, for showing why a rule fired."""
    return {rule.id: rule.description for rule in rules.rules}
