"""The floor: the checks of 'leaving for permanent residence abroad' written by hand in plain Python.

It is what a programmer would write instead of Ereje for this one standard: parse the JSON line,
test the period in force, eligibility, the documents with their conditions and forms, the fee
against the MCI, and the refusal grounds. It yields the same summary the harness extracts from
Ereje's report: the verdict and the (code, subject) pairs of the blocking findings.
"""

from __future__ import annotations

import json
from typing import Any

IN_FORCE = ("2011-03-10", "2014-02-13")
MCI = [
    ("2009-01-01", "2009-06-30", 1273),
    ("2009-07-01", "2009-12-31", 1296),
    ("2010-01-01", "2010-12-31", 1413),
    ("2011-01-01", "2011-12-31", 1512),
    ("2012-01-01", "2012-12-31", 1618),
    ("2013-01-01", "2013-12-31", 1731),
    ("2014-01-01", "2014-12-31", 1852),
    ("2015-01-01", "2015-12-31", 1982),
]
GROUNDS = [
    ("state-secrets", "holds_secrets_unnotified"),
    ("suspect-or-accused", "suspect_or_accused"),
    ("convicted", "convicted_serving"),
    ("evades-court-obligations", "evades_court_obligations"),
    ("conscript-service", "in_conscript_service"),
    ("false-information", "false_information"),
    ("civil-defendant", "civil_defendant"),
    ("tax-debt", "tax_debt"),
]


def check(line: str) -> tuple[str, list[tuple[str, str]]]:
    case: dict[str, Any] = json.loads(line)
    on = case["submitted_on"]
    if not IN_FORCE[0] <= on <= IN_FORCE[1]:
        return "not-in-force", [("not-in-force", "exit-permanent-residence-2011")]
    f = case["facts"]
    out: list[tuple[str, str]] = []
    of_age = f["submitted_by"] == "legal-representative" or f["age"] >= 18 or (f["married"] and f["age"] >= 16)
    if not (f["citizen"] and of_age):
        out.append(("ineligible", "citizen-of-age"))
    if f["submitted_by"] not in ("applicant", "legal-representative"):
        out.append(("ineligible", "no-intermediaries"))
    if not f["files_at_residence"]:
        out.append(("ineligible", "place-of-residence"))
    handed = {d["id"]: d.get("form") for d in case["documents"]}
    required = [
        ("application-questionnaire", True, None),
        ("identity-card", True, None),
        ("passport", True, None),
        ("alimony-no-objection", f["alimony_persons_in_kz"], ("notarised",)),
        ("military-deregistration", f["on_military_register"], None),
        ("guardianship-child-opinion", f["child_10_or_older_leaving"], None),
        (
            "other-parent-consent",
            f["age"] < 18 and f["leaves_with_one_parent"] and f["other_parent_in_kz"],
            ("notarised",),
        ),
        ("state-duty-receipt-copy", True, ("copy",)),
    ]
    for doc, needed, forms in required:
        if not needed:
            continue
        if doc not in handed:
            out.append(("document-missing", doc))
        elif forms and handed[doc] not in forms:
            out.append(("document-wrong-form", doc))
    for gid, fact in GROUNDS:
        if f[fact]:
            out.append(("refusal-ground-applies", gid))
    payment = case.get("payment")
    pay_on = payment["date"] if payment else on
    due = next((v for a, b, v in MCI if a <= pay_on <= b), None)
    if due is not None:
        if payment is None:
            out.append(("fee-unpaid", "fee"))
        elif payment["amount"] < due:
            out.append(("fee-underpaid", "fee"))
    codes = {c for c, _ in out}
    if "ineligible" in codes:
        verdict = "ineligible"
    elif "refusal-ground-applies" in codes:
        verdict = "refuse"
    elif codes & {"document-missing", "document-wrong-form", "fee-unpaid", "fee-underpaid"}:
        verdict = "incomplete"
    else:
        verdict = "accept"
    return verdict, sorted(out)
