"""Seeded synthetic cases: for leaving for permanent residence abroad (all three implementations check
these), and for every standard with rules (Ereje's own throughput). Valid and invalid mixes."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from typing import Any

from validator.surfaces.jobs import RuleSet

EXIT = "exit-permanent-residence-2011"
EXIT_DOCS = [
    ("application-questionnaire", None),
    ("identity-card", "original"),
    ("passport", "original"),
    ("alimony-no-objection", "notarised"),
    ("military-deregistration", None),
    ("guardianship-child-opinion", None),
    ("other-parent-consent", "notarised"),
    ("state-duty-receipt-copy", "copy"),
]
GROUND_FACTS = [
    "holds_secrets_unnotified",
    "suspect_or_accused",
    "convicted_serving",
    "evades_court_obligations",
    "in_conscript_service",
    "false_information",
    "civil_defendant",
    "tax_debt",
]


def exit_case(rng: random.Random, i: int) -> dict[str, Any]:
    """A case with every fact known (so the three implementations need no 'unknown' logic)."""
    submitted = date(2011, 1, 1) + timedelta(days=rng.randrange(0, 365 * 3 + 200))
    age = rng.choice([10, 15, 16, 17, 18, 25, 40, 70])
    facts: dict[str, Any] = {
        "citizen": rng.random() < 0.95,
        "age": age,
        "married": rng.random() < 0.4,
        "submitted_by": rng.choice(["applicant"] * 6 + ["legal-representative"] * 3 + ["intermediary"]),
        "files_at_residence": rng.random() < 0.95,
        "alimony_persons_in_kz": rng.random() < 0.3,
        "on_military_register": rng.random() < 0.3,
        "child_10_or_older_leaving": rng.random() < 0.2,
        "leaves_with_one_parent": rng.random() < 0.2,
        "other_parent_in_kz": rng.random() < 0.5,
        # The court routes of 11.3 and 11.6 (a statement or consent a court replaced): not taken, so the
        # floor and the JavaScript peer, which do not model them, decide the same cases.
        "alimony_matter_resolved_by_court": False,
        "departure_resolved_by_court": False,
    }
    for g in GROUND_FACTS:
        facts[g] = rng.random() < 0.03
    docs = []
    for doc_id, form in EXIT_DOCS:
        if rng.random() < 0.85:
            wrong = rng.random() < 0.05
            docs.append({"id": doc_id, **({"form": "copy" if wrong and form != "copy" else form} if form else {})})
    case: dict[str, Any] = {
        "id": f"exit-{i}",
        "standard": EXIT,
        "channel": "migration-police",
        "submitted_on": submitted.isoformat(),
        "facts": facts,
        "documents": docs,
    }
    if rng.random() < 0.9:
        mci = {2011: 1512, 2012: 1618, 2013: 1731, 2014: 1852}.get(submitted.year, 1982)
        case["payment"] = {"amount": mci if rng.random() < 0.9 else mci // 2, "date": submitted.isoformat()}
    return case


def any_case(rng: random.Random, rules: RuleSet, slugs: list[str], i: int) -> dict[str, Any]:
    """A random case for any standard with rules, built from its declared facts and documents."""
    compiled = rules.get(rng.choice(slugs), "bench", None)
    r = compiled.rules
    span = (r.in_force.end - r.in_force.start).days
    submitted = r.in_force.start + timedelta(days=rng.randrange(0, max(span, 1)))
    facts: dict[str, Any] = {}
    for fid, fact in sorted(compiled.facts.items()):
        if fact.type == "boolean":
            facts[fid] = rng.random() < 0.3
        elif fact.type == "integer":
            facts[fid] = rng.randrange(0, 90)
        elif fact.type == "number":
            facts[fid] = rng.random() * 100
        elif fact.type == "enum" and fact.values:
            facts[fid] = rng.choice(fact.values)
    docs = []
    # One document, one id: a document listed for several channels or situations is handed in once,
    # in a form one of its entries allows (two entries of one id and form would be refused as a slip).
    chosen: dict[str, list[str] | None] = {}
    for d in r.documents:
        chosen.setdefault(d.id, d.forms)
    for doc_id, forms in chosen.items():
        if rng.random() < 0.8:
            docs.append({"id": doc_id, **({"form": rng.choice(forms)} if forms else {})})
    return {
        "id": f"{r.standard}-{i}",
        "standard": r.standard,
        "channel": rng.choice([c.id for c in r.channels]),
        "submitted_on": submitted.isoformat(),
        "facts": facts,
        "documents": docs,
        "events": {"submitted": f"{submitted.isoformat()}T10:00"},
    }


def write_exit_cases(path: str, n: int, seed: int) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps(exit_case(rng, i), ensure_ascii=False, sort_keys=True) + "\n")


def write_all_cases(path: str, n: int, seed: int, rules: RuleSet) -> None:
    rng = random.Random(seed)
    slugs = sorted(rules.files)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps(any_case(rng, rules, slugs, i), ensure_ascii=False, sort_keys=True) + "\n")
