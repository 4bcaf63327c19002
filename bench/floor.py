"""The floor: the decision of 'leaving for permanent residence abroad' written by hand in plain Python.

It is what a programmer would write instead of Ereje for this one standard (decree No. 199 of
28.02.2011, rules/exit-permanent-residence-2011.yaml): parse the JSON line, then decide everything
Ereje's `Decision` holds, with plain dicts and tuples and the standard's constants written out:

- the period in force, and the paragraphs amended (decree No. 21 of 21.01.2013) after the submission;
- eligibility (§6, 11.u4, §13), the refusal grounds (§16, 16.u1);
- the checklist of §11 for this applicant, with each document handed in, missing or in the wrong form,
  documents handed in that the case does not call for, and the refusal to accept an incomplete set (§14);
- the terms: the 30 calendar days of 7.1.а, due on the Kazakhstan calendar (the day of handing in not
  counted, a last day off moved to the next working day), the two waits in minutes of 7.2 and 7.3;
- the state duty (§8): 100 % of the monthly calculation index on the day of payment, paid, short or not.

`check(line)` returns the summary the harness also extracts from Ereje's decision
(`bench.__main__.summary_of_decision`), a plain tuple:

    (verdict,
     findings:  sorted list of (code, severity, subject kind, subject id, (cited unit, ...)),
     checklist: list of (document id, status), in the order of §11,
     terms:     list of (term id, status, due date or None), in the order of §7,
     fee:       (kind, due amount, paid amount or None), or None when the standard is not in force)

Findings are compared as a sorted list: the order Ereje reports them in is presentation, not decision.
The citations of a finding are in Ereje's order (the rule broken first, then what it is measured against).

The floor decides the cases `bench/generate.py` writes: every fact known, every form stated, events
not given (the case is evaluated on the day of submission, so the 30-day term is running and the
waits, with no clock times, have not started). It has no 'unknown' logic, no other channel and no
review mode: that is what a hand-written check for one standard leaves out, and where Ereje does more.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import holidays

STANDARD = "exit-permanent-residence-2011"
IN_FORCE = ("2011-03-10", "2014-02-13")
# Paragraphs the rules rely on that decree No. 21 of 21.01.2013 amended: a case before it was decided
# under a text the seed does not hold.
AMENDED = ("11", "13", "16")
AMENDED_ON = "2013-01-21"

# The monthly calculation index (tenge) by period, and whether a source confirms it.
MCI = (
    ("2009-01-01", "2009-06-30", 1273, False),
    ("2009-07-01", "2009-12-31", 1296, True),
    ("2010-01-01", "2010-12-31", 1413, True),
    ("2011-01-01", "2011-12-31", 1512, True),
    ("2012-01-01", "2012-12-31", 1618, False),
    ("2013-01-01", "2013-12-31", 1731, False),
    ("2014-01-01", "2014-12-31", 1852, True),
    ("2015-01-01", "2015-12-31", 1982, True),
)
FEE_UNIT = "8"
RECEIPT_UNIT = "11.7"

# Forms a document handed in counts as (a notarised copy and an original with its copy are copies).
COPY = frozenset({"copy", "notarised-copy", "original-and-copy"})
NOTARISED = frozenset({"notarised"})

# Non-working days of Kazakhstan (holidays, days off moved by decree, weekends not made working days),
# built once from the `holidays` package exactly as Ereje's calendar (validator/decision/workdays.py).
_KZ = holidays.country_holidays("KZ", years=range(2010, 2016), language="en_US")
NON_WORKING = frozenset(
    day
    for day in (date(2010, 1, 1) + timedelta(days=n) for n in range((date(2016, 1, 1) - date(2010, 1, 1)).days))
    if not _KZ.is_working_day(day)
)
# §9's reception: Monday to Saturday, closed on holidays and days off (those of the `holidays` package,
# transferred and observed ones included); a weekend day made a working day is open.
HOLIDAYS = frozenset(d for d in _KZ if date(2010, 1, 1) <= d < date(2016, 1, 1))
WEEKEND_WORKDAYS = frozenset(_KZ.weekend_workdays)
DECISION_DAYS = 30  # 7.1.а: calendar days from handing in the documents of §11


def _documents(f: dict[str, Any]) -> list[tuple[str, str, bool, frozenset[str] | None]]:
    """§11 for this applicant: (id, unit, required, forms allowed or None for any)."""
    alimony = f["alimony_persons_in_kz"] and not f["alimony_matter_resolved_by_court"]
    minor_with_one_parent = f["age"] < 18 and f["leaves_with_one_parent"] and f["other_parent_in_kz"]
    consent = minor_with_one_parent and not f["departure_resolved_by_court"]
    return [
        ("application-questionnaire", "11.1", True, None),
        ("identity-card", "11.2", True, None),
        ("passport", "11.2", True, None),
        ("alimony-no-objection", "11.3", alimony, NOTARISED),
        ("military-deregistration", "11.4", f["on_military_register"], None),
        ("guardianship-child-opinion", "11.5", f["child_10_or_older_leaving"], None),
        ("other-parent-consent", "11.6", consent, NOTARISED),
        ("state-duty-receipt-copy", RECEIPT_UNIT, True, COPY),
    ]


# §16 and 16.u1: (ground, unit, fact).
GROUNDS = (
    ("state-secrets", "16.1", "holds_secrets_unnotified"),
    ("suspect-or-accused", "16.2", "suspect_or_accused"),
    ("convicted", "16.3", "convicted_serving"),
    ("evades-court-obligations", "16.4", "evades_court_obligations"),
    ("conscript-service", "16.5", "in_conscript_service"),
    ("false-information", "16.6", "false_information"),
    ("civil-defendant", "16.7", "civil_defendant"),
    ("tax-debt", "16.u1", "tax_debt"),
)
BLOCKS_AS_INCOMPLETE = frozenset({"document-missing", "document-wrong-form", "fee-unpaid", "fee-underpaid"})
WAITS = (("queue", "not-started", None), ("service-time", "not-started", None))  # 7.2, 7.3: no clock times given

# The blocking findings every implementation decides (the peers state no more): compared case by case.
COMPARED = frozenset(
    {
        "not-in-force",
        "ineligible",
        "document-missing",
        "document-wrong-form",
        "refusal-ground-applies",
        "fee-unpaid",
        "fee-underpaid",
    }
)

Finding = tuple[str, str, str, str, tuple[str, ...]]
Summary = tuple[
    str,
    list[Finding],
    list[tuple[str, str]],
    list[tuple[str, str, date | None]],
    tuple[str, float | None, float | None] | None,
]


def check(line: str) -> Summary:
    case: dict[str, Any] = json.loads(line)
    on = case["submitted_on"]
    if not IN_FORCE[0] <= on <= IN_FORCE[1]:
        return "not-in-force", [("not-in-force", "error", "standard", STANDARD, ())], [], [], None
    f = case["facts"]
    out: list[Finding] = []
    if on < AMENDED_ON:
        out += [("amended-after-case", "warning", "amendment", unit, (unit,)) for unit in AMENDED]

    # Eligibility: §6 (a minor files through a legal representative), 11.u4, §13.
    of_age = f["submitted_by"] == "legal-representative" or f["age"] >= 18 or (f["married"] and f["age"] >= 16)
    if not (f["citizen"] and of_age):
        out.append(("ineligible", "error", "eligibility", "citizen-of-age", ("6",)))
    intermediary = f["submitted_by"] not in ("applicant", "legal-representative")
    if intermediary:
        out.append(("ineligible", "error", "eligibility", "no-intermediaries", ("11.u4",)))
    elsewhere = not f["files_at_residence"]
    if elsewhere:
        out.append(("ineligible", "error", "eligibility", "place-of-residence", ("13",)))

    # A date with no time: only a day with no reception at all is outside the schedule (§9).
    day = date.fromisoformat(on)
    if day in HOLIDAYS:
        out.append(("outside-schedule-holiday", "warning", "schedule", "migration-police", ("9",)))
    elif day.weekday() == 6 and day not in WEEKEND_WORKDAYS:
        out.append(("outside-schedule-closed-day", "warning", "schedule", "migration-police", ("9",)))

    # The state duty: 100 % of the MCI on the day of payment (on the day of submission if unpaid).
    payment = case.get("payment")
    paid_on = payment["date"] if payment else on
    mci = next(((value, sure) for start, end, value, sure in MCI if start <= paid_on <= end), None)
    paid: float | None = payment["amount"] if payment else None
    short = mci is not None and paid is not None and round(paid, 2) < mci[0]  # compared in tiyn

    # The documents of §11.
    handed: dict[str, str | None] = {}
    for d in case["documents"]:
        handed.setdefault(d["id"], d.get("form"))
    checklist: list[tuple[str, str]] = []
    lacking: list[str] = []  # units of the documents missing or in the wrong form, in the order of §11
    for doc, unit, needed, forms in _documents(f):
        if not needed:
            if doc in handed:
                out.append(("document-not-asked-here", "warning", "document", doc, (unit,)))
            continue
        if doc not in handed:
            status = "missing"
            out.append(("document-missing", "error", "document", doc, (unit,)))
        elif forms is not None and handed[doc] not in forms:
            status = "wrong-form"
            out.append(("document-wrong-form", "error", "document", doc, (unit,)))
        elif unit == RECEIPT_UNIT and short:
            status = "underpaid"  # a receipt for less than the duty does not prove it paid
        else:
            status = "handed-in"
        checklist.append((doc, status))
        if status != "handed-in" and unit not in lacking:
            lacking.append(unit)
    if lacking:  # §14: the talon only after all documents; an incomplete set is not accepted
        out.append(("acceptance-refused", "error", "ground", "incomplete-at-acceptance", ("14", *lacking)))

    for ground, unit, fact in GROUNDS:
        if f[fact]:
            out.append(("refusal-ground-applies", "error", "ground", ground, (unit,)))

    # Terms: none of the service runs on a file not accepted (from an intermediary, handed in elsewhere,
    # or incomplete); the first reason, in the order of the findings, is cited.
    terms: list[tuple[str, str, date | None]] = []
    if intermediary or elsewhere or lacking:
        why = "11.u4" if intermediary else "13" if elsewhere else "14"
        out.append(("terms-not-running", "info", "standard", STANDARD, (why, "7.1.а")))
    else:
        due = date.fromisoformat(on) + timedelta(days=DECISION_DAYS)
        while due in NON_WORKING:
            due += timedelta(days=1)
        terms.append(("decision", "running", due))
        out.append(("term-due", "info", "term", "decision", ("7.1.а",)))
    terms += WAITS

    due_amount: float | None = None
    if mci is None:
        out.append(("mci-unknown", "warning", "fee", "fee", (FEE_UNIT,)))
    else:
        due_amount, sure = mci
        if not sure:
            out.append(("mci-unverified", "info", "fee", "fee", (FEE_UNIT,)))
        if paid is None and "state-duty-receipt-copy" in handed:  # the receipt's amount is the clerk's to read
            out.append(("fee-payment-unstated", "warning", "fee", "fee", (FEE_UNIT, RECEIPT_UNIT)))
        elif paid is None:
            out.append(("fee-unpaid", "error", "fee", "fee", (FEE_UNIT, RECEIPT_UNIT)))
        elif short:
            out.append(("fee-underpaid", "error", "fee", "fee", (FEE_UNIT, RECEIPT_UNIT)))
        else:
            out.append(("fee-due", "info", "fee", "fee", (FEE_UNIT,)))
    fee = ("state-duty", due_amount, paid)

    codes = {c[0] for c in out if c[1] == "error"}
    if "ineligible" in codes:
        verdict = "ineligible"
    elif "refusal-ground-applies" in codes:
        verdict = "refuse"
    elif codes & BLOCKS_AS_INCOMPLETE:
        verdict = "incomplete"
    elif mci is None or (paid is None and "state-duty-receipt-copy" in handed):
        verdict = "needs-data"
    else:
        verdict = "accept"
    out.sort()
    return verdict, out, checklist, terms, fee
