"""Score a rule set against labelled concerns: per-category P/R/F1, macro-F1, immediate recall."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.rules_engine.classify import classify
from tracker.rules_engine.facts import CATEGORIES, ConcernFacts
from tracker.rules_engine.model import RuleSet

IMMEDIATE = "immediate"


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 for one label."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class EvaluationReport:
    """Figures for one labelled set, plus every row the rules got wrong."""

    per_category: dict[str, Score]
    macro_f1: float
    exact_set_accuracy: float
    immediate_recall: float
    immediate_precision: float
    total: int
    misclassified: list[dict[str, Any]] = field(default_factory=list)

    def format(self) -> str:
        """A plain-text report for the terminal."""
        lines = [f"{self.total} concerns", f"{'category':<20} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}"]
        for name, s in self.per_category.items():
            lines.append(f"{name:<20} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.support:5d}")
        lines += [
            f"macro-F1            {self.macro_f1:.3f}",
            f"exact-set accuracy  {self.exact_set_accuracy:.3f}",
            f"immediate recall    {self.immediate_recall:.3f}",
            f"immediate precision {self.immediate_precision:.3f}",
            f"misclassified       {len(self.misclassified)}",
        ]
        for row in self.misclassified:
            want = f"{sorted(row['categories'])}/{row['urgency']}"
            got = f"{row['predicted']['categories']}/{row['predicted']['urgency']}"
            lines.append(f"  [{row.get('id', '-')}] want {want} got {got}: {row['text']}")
        return "\n".join(lines)


def score(tp: int, fp: int, fn: int) -> Score:
    """P/R/F1 from counts; an empty label scores 1.0 rather than dividing by zero."""
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1, tp + fn)


def _facts(row: Mapping[str, Any]) -> ConcernFacts:
    """Labelled row -> facts (optional kiosk answers default to False)."""
    return ConcernFacts(text=row["text"], risk_now=bool(row.get("risk_now", False)),
                        about_staff=bool(row.get("about_staff", False)),
                        establishment=row.get("establishment"))


def evaluate(ruleset: RuleSet, rows: Iterable[Mapping[str, Any]]) -> EvaluationReport:
    """Classify every row and compare with its labels."""
    counts = {c: [0, 0, 0] for c in CATEGORIES}  # tp, fp, fn
    imm = [0, 0, 0]
    exact = total = 0
    wrong: list[dict[str, Any]] = []
    for row in rows:
        total += 1
        decision = classify(ruleset, _facts(row))
        want, got = set(row.get("categories") or ()), set(decision.categories)
        for c in CATEGORIES:
            counts[c][0] += c in want and c in got
            counts[c][1] += c in got and c not in want
            counts[c][2] += c in want and c not in got
        want_imm, got_imm = row.get("urgency") == IMMEDIATE, decision.urgency == IMMEDIATE
        imm[0] += want_imm and got_imm
        imm[1] += got_imm and not want_imm
        imm[2] += want_imm and not got_imm
        exact += want == got
        if want != got or want_imm != got_imm:
            wrong.append({**row, "predicted": decision.as_dict()})
    per = {c: score(*counts[c]) for c in CATEGORIES}
    immediate = score(*imm)
    return EvaluationReport(per, sum(s.f1 for s in per.values()) / len(per),
                            exact / total if total else 1.0, immediate.recall,
                            immediate.precision, total, wrong)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSON-lines file, skipping blank lines."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main(argv: list[str] | None = None) -> int:
    """python -m tracker.rules_engine.evaluate FILE.jsonl [RULES_DIR]"""
    from tracker.rules_engine.loader import load_ruleset

    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m tracker.rules_engine.evaluate FILE.jsonl [RULES_DIR]")
        return 2
    rules_dir = Path(args[1]) if len(args) > 1 else Path(__file__).resolve().parents[2] / "rules"
    report = evaluate(load_ruleset(rules_dir), read_jsonl(Path(args[0])))
    print(report.format())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
