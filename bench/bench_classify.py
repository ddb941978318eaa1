"""Benchmark: concerns classified per second (one core, ~300-char texts) and rule-set load time.

Prints a baseline measured in the same run (one precompiled regular expression searched over
the same texts) so the ratio can be compared across machines.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.rules_engine import ConcernFacts, classify, load_ruleset  # noqa: E402

RULES = ROOT / "rules"
CORPORA = [ROOT.parent / "shared" / "corpus" / "concerns.jsonl",
           ROOT / "tests" / "data" / "concerns_team.jsonl"]
N_TEXTS = 2000
RUNS = 5
TARGET_LENGTH = 300


def sentences() -> list[str]:
    """Labelled concern texts available locally, or a few built-in ones."""
    found: list[str] = []
    for path in CORPORA:
        if path.exists():
            found += [json.loads(line)["text"] for line in path.open() if line.strip()]
    return found or ["Lad on B wing keeps taking his canteen, says he owes double bubble.",
                     "He's been feeling really low since his mum died.",
                     "Officer swore at him and threw his post on the floor."]


def texts(rng: random.Random) -> list[str]:
    """~300-character concerns made by joining random sentences."""
    pool = sentences()
    out = []
    for _ in range(N_TEXTS):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < TARGET_LENGTH:
            parts.append(rng.choice(pool))
        out.append(" ".join(parts)[:TARGET_LENGTH])
    return out


def per_second(func, items: list) -> float:
    """Median items/second over several runs."""
    rates = []
    for _ in range(RUNS):
        started = time.perf_counter()
        for item in items:
            func(item)
        rates.append(len(items) / (time.perf_counter() - started))
    return statistics.median(rates)


def load_ms() -> float:
    """Median cold load time of the shipped rules, in milliseconds."""
    times = []
    for _ in range(RUNS):
        re.purge()  # no help from re's own cache of compiled patterns
        started = time.perf_counter()
        load_ruleset(RULES)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    """Print the figures."""
    rng = random.Random(20260101)  # noqa: S311 - reproducible benchmark texts
    items = texts(rng)
    ruleset = load_ruleset(RULES)
    facts = [ConcernFacts(text=t) for t in items]
    baseline_rx = re.compile(r"\b(?:suicid\w*|self[- ]?harm\w*|ligature|bull(?:y|ied|ying)|"
                             r"threat\w*|officer|screw|racis\w*)\b", re.IGNORECASE)
    baseline = per_second(baseline_rx.search, items)
    engine = per_second(lambda f: classify(ruleset, f), facts)
    print(f"texts: {len(items)} x ~{statistics.mean(len(t) for t in items):.0f} chars, "
          f"median of {RUNS} runs, one core")
    print(f"rules engine classify: {engine:,.0f} concerns/s (target >= 5,000)")
    print(f"baseline (one precompiled re.search): {baseline:,.0f} texts/s")
    print(f"ratio engine/baseline: {engine / baseline:.4f} (baseline is {baseline / engine:.0f}x faster)")
    print(f"rule-set load (cold, median): {load_ms():.0f} ms (target < 200 ms)")
    print(f"ruleset version: {ruleset.version}")


if __name__ == "__main__":
    main()
