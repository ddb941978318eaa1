"""Rule commands: classify JSON lines, check rule files, evaluate against a labelled set."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from marshmallow import ValidationError

from tracker.rules_engine import ConcernFacts, RulesError, classify, evaluate, load_ruleset
from tracker.schemas import plain_errors
from tracker.schemas.classify import ClassifyInSchema


def _rules_dir(override: str | None) -> Path:
    return Path(override or current_app.config["RULES_DIR"])


@click.command("classify")
@click.option("--rules", "rules_dir", default=None, help="Rules folder (default: the app's).")
@with_appcontext
def classify_command(rules_dir: str | None) -> None:
    """Read JSON lines (id, text, risk_now?, about_staff?) on stdin; write one decision per line."""
    rules = load_ruleset(_rules_dir(rules_dir))
    schema = ClassifyInSchema()
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            data = schema.load(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as exc:
            detail = plain_errors(exc) if isinstance(exc, ValidationError) else str(exc)
            click.echo(json.dumps({"line": number, "error": detail}), err=True)
            continue
        facts = ConcernFacts(text=data["text"], risk_now=data["risk_now"],
                             about_staff=bool(data["about_staff"]),
                             consent_to_share=data["consent_to_share"])
        out = {"id": data.get("id"), **classify(rules, facts).as_dict()}
        click.echo(json.dumps(out, ensure_ascii=False))


@click.group("rules")
def rules_group() -> None:
    """Check and evaluate the rule files."""


@rules_group.command("check")
@click.option("--rules", "rules_dir", default=None, help="Rules folder (default: the app's).")
@with_appcontext
def rules_check(rules_dir: str | None) -> None:
    """Validate the rule files; exit 1 with file, rule and message when one is wrong."""
    try:
        rules = load_ruleset(_rules_dir(rules_dir))
    except RulesError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Rules OK: version {rules.version} from {rules.source_dir}")
    if rules.learned is None:
        click.echo("Learned safety net: none (no learned.json): rules only")
    else:
        model = rules.learned.model
        click.echo(f"Learned safety net OK: {len(model.idf)} words and pairs, trained {model.trained}, "
                   f"data fingerprint {model.fingerprint[:12]}")


@rules_group.command("evaluate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rules", "rules_dir", default=None, help="Rules folder (default: the app's).")
@with_appcontext
def rules_evaluate(file: Path, rules_dir: str | None) -> None:
    """Precision, recall and F1 per category, immediate recall/precision, and the misses."""
    rows = [json.loads(line) for line in file.read_text().splitlines() if line.strip()]
    report = evaluate(load_ruleset(_rules_dir(rules_dir)), rows)
    click.echo(report.format())


COMMANDS = (classify_command, rules_group)


@rules_group.command("diff")
@click.option("--base", "base_dir", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The rules folder to compare against (e.g. the published one).")
@click.option("--rules", "rules_dir", default=None, help="Candidate rules (default: the app's).")
@click.option("--examples", default=20, show_default=True, help="How many changed items to list.")
@click.option("--show-text", is_flag=True, help="Print the words of changed items (never sealed).")
@with_appcontext
def rules_diff(base_dir: Path, rules_dir: str | None, examples: int, show_text: bool) -> None:
    """Replay stored concerns through both rule sets and list what would change."""
    from tracker.services import rules_lab

    try:
        base, candidate = load_ruleset(base_dir), load_ruleset(_rules_dir(rules_dir))
    except RulesError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    report = rules_lab.diff(base, candidate, rules_lab.stored_concerns(), examples)
    click.echo(f"Base {base.version} -> candidate {candidate.version}")
    click.echo(report.format(show_text))
