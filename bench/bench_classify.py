"""Benchmark: concerns classified per second (one core, ~300-char texts) and rule-set load time.

Every figure is a median of several runs and comes with a baseline measured in the same run,
interleaved with the engine's runs so that a busy machine slows both alike:

* classify: one precompiled regular expression searched over the same texts;
* load: parsing lexicons.yaml with PyYAML's C loader (no compiling at all).

Load is measured cold, each run in a fresh Python process (no compiled state survives), and
also as "load + first classify", which includes the matcher's first steps over a real text.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.rules_engine import ConcernFacts, classify, load_ruleset  # noqa: E402

RULES = ROOT / "rules"
CORPORA = [ROOT.parent / "shared" / "corpus" / "concerns.jsonl",
           ROOT / "tests" / "data" / "concerns_team.jsonl"]
N_TEXTS = 2000
RUNS = 7
LOAD_RUNS = 5
TARGET_LENGTH = 300
BASELINE = re.compile(r"\b(?:suicid\w*|self[- ]?harm\w*|ligature|bull(?:y|ied|ying)|"
                      r"threat\w*|officer|screw|racis\w*)\b", re.IGNORECASE)

# Runs in a fresh interpreter: imports first (not timed), then a timed cold load.
_COLD = """
import json, sys, time
sys.path.insert(0, {root!r})
import yaml
from pathlib import Path
from tracker.rules_engine import ConcernFacts, classify, load_ruleset
rules = Path({rules!r})
text = (rules / "lexicons.yaml").read_text(encoding="utf-8")
started = time.perf_counter()
yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
parsed = time.perf_counter()
ruleset = load_ruleset(rules)
loaded = time.perf_counter()
classify(ruleset, ConcernFacts(text={first!r}))
done = time.perf_counter()
print(json.dumps({{"yaml": parsed - started, "load": loaded - parsed, "first": done - parsed}}))
"""


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


def rate(func: Callable[[object], object], items: list) -> float:
    """Items per CPU second for one pass (process time: other load on a shared machine is not counted)."""
    started = time.process_time()
    for item in items:
        func(item)
    return len(items) / (time.process_time() - started)


def interleaved(contenders: dict[str, tuple[Callable[[object], object], list]]) -> dict[str, list[float]]:
    """Rates per contender over RUNS rounds, one pass of each per round."""
    rates: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(RUNS):
        for name, (func, items) in contenders.items():
            rates[name].append(rate(func, items))
    return rates


def cold_loads(first_text: str) -> dict[str, list[float]]:
    """Milliseconds for yaml parse, load, and load + first classify, each in a fresh process."""
    code = _COLD.format(root=str(ROOT), rules=str(RULES), first=first_text)
    runs: dict[str, list[float]] = {"yaml": [], "load": [], "first": []}
    for _ in range(LOAD_RUNS):
        out = subprocess.run([sys.executable, "-c", code], check=True,  # noqa: S603 - our code
                             capture_output=True, text=True).stdout
        for key, seconds in json.loads(out.strip().splitlines()[-1]).items():
            runs[key].append(seconds * 1000)
    return runs


def main() -> None:
    """Print the figures."""
    rng = random.Random(20260101)  # noqa: S311 - reproducible benchmark texts
    items = texts(rng)
    ruleset = load_ruleset(RULES)
    facts = [ConcernFacts(text=t) for t in items]
    for fact in facts[:200]:  # warm up once, as a running kiosk server would be
        classify(ruleset, fact)
    rates = interleaved({
        "baseline": (BASELINE.search, items),
        "classify": (lambda f: classify(ruleset, f), facts),
        "classify+as_dict": (lambda f: classify(ruleset, f).as_dict(), facts),
    })
    med = {name: statistics.median(values) for name, values in rates.items()}
    base = med["baseline"]
    print(f"texts: {len(items)} x ~{statistics.mean(len(t) for t in items):.0f} chars, "
          f"median of {RUNS} interleaved runs, one core, CPU time")
    print(f"baseline (one precompiled re.search): {base:,.0f} texts/s")
    print(f"rules engine classify: {med['classify']:,.0f} concerns/s (target >= 5,000); "
          f"ratio engine/baseline {med['classify'] / base:.4f}")
    print(f"classify + as_dict() (explanations built): {med['classify+as_dict']:,.0f} concerns/s; "
          f"ratio {med['classify+as_dict'] / base:.4f}")
    loads = {k: statistics.median(v) for k, v in cold_loads(items[0]).items()}
    print(f"rule-set load (cold, fresh process, median of {LOAD_RUNS}): {loads['load']:.0f} ms "
          f"(target < 200 ms); load + first classify: {loads['first']:.0f} ms")
    print(f"load baseline (yaml C parse of lexicons.yaml): {loads['yaml']:.1f} ms; "
          f"ratio load/baseline {loads['load'] / loads['yaml']:.1f}")
    print(f"ruleset version: {ruleset.version}")


if __name__ == "__main__":
    main()
