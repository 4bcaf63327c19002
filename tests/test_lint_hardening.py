"""Whatever lint accepts can be evaluated: no rule file that compiles makes a case crash (exit 3).

Hypothesis mutates the bundled rule files — items dropped and duplicated, events swapped, durations,
units, office hours and dates changed, lists of channels and forms emptied, terms chained to one
another, quotes and aliases replaced — and then: the compiler (what `ereje lint` runs) either accepts
the file or names its problems (never an exception of its own), and a file it accepts evaluates every
bundled case of its standard (validator.decision.engine.evaluate, then validator.report.render in kk)
without an exception; a case the mutated rules no longer fit is bad input (exit 2), never a crash.

The classes lint refuses because they would change answers silently or crash each evaluation (an
empty quote, chains of terms in a circle, a reversed period or office hours, `channels: []`, a term
from an event to itself, durations and hours out of range) each have a file in tests/bad_inputs/.
"""

from __future__ import annotations

import copy
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from validator.decision.engine import evaluate
from validator.errors import InputError, InputErrors
from validator.report.render import render
from validator.rules.lint import coverage_of
from validator.rules.model import EVENTS
from validator.surfaces.jobs import RuleSet, load_case

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SLUGS = sorted(p.stem for p in RULES.glob("*.yaml"))
CASES = {slug: sorted((ROOT / "cases" / slug).glob("*.yaml")) for slug in SLUGS}
ORIGINALS: dict[str, dict[str, Any]] = {
    slug: yaml.safe_load((RULES / f"{slug}.yaml").read_text(encoding="utf-8")) for slug in SLUGS
}
UNITS = ["calendar-days", "working-days", "months", "hours", "minutes"]
FORMS = ["original", "copy", "original-and-copy", "notarised-copy", "notarised", "electronic"]
GROUND_KINDS = ["refusal", "suspension", "refuse-acceptance", "termination"]
LISTS = [
    ("channels",),
    ("facts",),
    ("eligibility",),
    ("documents",),
    ("refusals", "grounds"),
    ("terms",),
    ("schedules",),
    ("notes",),
    ("excluded",),
]
QUOTES = ["   ", "« — »", "...", "\u200b\u200b\u200b", "«»-«»", "қызмет", "күн"]


# --- the mutations --------------------------------------------------------------------------------------


def _at(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _items(data: dict[str, Any], path: tuple[str, ...]) -> list[Any]:
    found = _at(data, path)
    return found if isinstance(found, list) else []


def _pick(draw: st.DrawFn, items: list[Any]) -> Any:
    return items[draw(st.integers(0, len(items) - 1))] if items else None


def _drop(draw: st.DrawFn, data: dict[str, Any]) -> None:
    items = _items(data, draw(st.sampled_from(LISTS)))
    if draw(st.booleans()):  # an alternative of a document, sometimes
        docs = [d for d in _items(data, ("documents",)) if d.get("alternatives")]
        items = _pick(draw, docs)["alternatives"] if docs else items
    if items:
        items.pop(draw(st.integers(0, len(items) - 1)))


def _duplicate(draw: st.DrawFn, data: dict[str, Any]) -> None:
    items = _items(data, draw(st.sampled_from(LISTS)))
    if items:
        items.append(copy.deepcopy(_pick(draw, items)))


def _events(draw: st.DrawFn, data: dict[str, Any]) -> None:
    term = _pick(draw, _items(data, ("terms",)))
    if term is None:
        return
    if draw(st.booleans()):
        term["from"], term["to"] = term["to"], term["from"]
    else:
        term[draw(st.sampled_from(["from", "to"]))] = draw(st.sampled_from(EVENTS))


def _duration(draw: st.DrawFn, data: dict[str, Any]) -> None:
    terms = _items(data, ("terms",))
    for term in terms if draw(st.booleans()) else [_pick(draw, terms)] if terms else []:
        term["duration"] = draw(
            st.one_of(
                st.integers(-3, 60),
                st.sampled_from([0, 1, 90, 120, 121, 3650, 3651, 10_000, 10_001, 600_000, 600_001]),
                st.integers(0, 10**9),
            )
        )
        if draw(st.booleans()):
            term["unit"] = draw(st.sampled_from(UNITS))
        if draw(st.booleans()):
            term["first_day_counts"] = not term.get("first_day_counts", False)


def _hours(draw: st.DrawFn, data: dict[str, Any]) -> None:
    schedules = _items(data, ("schedules",))
    if not schedules:
        data["schedules"] = schedules = [
            {
                "channel": data["channels"][0]["id"],
                "cite": data["fee"]["cite"],
                "quote": data["fee"]["quote"],
                "hours": {},
            }
        ]
    sched = _pick(draw, schedules)
    days = draw(st.lists(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), min_size=1))
    clock = st.tuples(st.integers(0, 30), st.integers(0, 99))
    spans = draw(st.lists(st.tuples(clock, clock), max_size=3))
    for day in days:  # the same hours on several days, so that a case's day meets them
        sched["hours"][day] = [f"{a:02d}:{b:02d}-{c:02d}:{d:02d}" for (a, b), (c, d) in spans]
    if draw(st.booleans()):
        sched["closed_on_holidays"] = not sched.get("closed_on_holidays", True)


def _in_force(draw: st.DrawFn, data: dict[str, Any]) -> None:
    day = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
    near = st.dates(min_value=date(2010, 1, 1), max_value=date(2015, 12, 31))
    data["in_force"][draw(st.sampled_from(["from", "to"]))] = draw(st.one_of(near, day))


def _channels(draw: st.DrawFn, data: dict[str, Any]) -> None:
    ids = [c["id"] for c in data["channels"]]
    owner = draw(st.sampled_from(["terms", "documents", "fee"]))
    item = data["fee"] if owner == "fee" else _pick(draw, _items(data, (owner,)))
    if item is None:
        return
    chosen = draw(st.lists(st.sampled_from([*ids, "nowhere"]), max_size=3))
    if draw(st.integers(0, 3)) == 0:
        item.pop("channels", None)
    else:
        item["channels"] = chosen


def _chain(draw: st.DrawFn, data: dict[str, Any]) -> None:
    terms = _items(data, ("terms",))
    term = _pick(draw, terms)
    if term is None:
        return
    if draw(st.integers(0, 4)) == 0:
        term.pop("or_from_due_of", None)
    else:
        term["or_from_due_of"] = _pick(draw, terms)["id"]


def _forms(draw: st.DrawFn, data: dict[str, Any]) -> None:
    doc = _pick(draw, _items(data, ("documents",)))
    if doc is not None:
        doc["forms"] = draw(st.lists(st.sampled_from(FORMS), max_size=3))


def _quote(draw: st.DrawFn, data: dict[str, Any]) -> None:
    section = draw(st.sampled_from([("documents",), ("refusals", "grounds"), ("terms",), ("eligibility",)]))
    item = _pick(draw, _items(data, section))
    if item is not None:
        item["quote"] = draw(st.sampled_from(QUOTES))


def _alias(draw: st.DrawFn, data: dict[str, Any]) -> None:
    owners = [*_items(data, ("documents",)), *_items(data, ("refusals", "grounds")), *_items(data, ("eligibility",))]
    item = _pick(draw, owners)
    if item is None:
        return
    other = _pick(draw, owners)
    name = other.get("name") or other.get("message") or {"en": other["id"]}
    alias = draw(st.one_of(st.sampled_from([other["id"], name["en"], name.get("kk", "x")]), st.text()))
    item.setdefault("aliases", []).append(alias)


def _condition(draw: st.DrawFn, data: dict[str, Any]) -> None:
    section = draw(st.sampled_from([("documents",), ("refusals", "grounds"), ("terms",)]))
    item = _pick(draw, _items(data, section))
    if item is not None:
        item.pop("when", None)


def _kinds(draw: st.DrawFn, data: dict[str, Any]) -> None:
    ground = _pick(draw, _items(data, ("refusals", "grounds")))
    if ground is not None:
        ground["kind"] = draw(st.sampled_from(GROUND_KINDS))
    if draw(st.booleans()):
        data["refusals"]["closed"] = not data["refusals"].get("closed", False)
    channel = _pick(draw, data["channels"])
    if draw(st.booleans()) and channel is not None:
        channel["information_only"] = not channel.get("information_only", False)


def _fee(draw: st.DrawFn, data: dict[str, Any]) -> None:
    fee = data["fee"]
    if draw(st.booleans()):
        fee["kind"], fee["mci_percent"] = "state-duty", draw(st.sampled_from([0.5, 1, 100, 250, 10_000]))
    else:
        fee["kind"] = "free"
        fee.pop("mci_percent", None)


MUTATIONS: list[Callable[[st.DrawFn, dict[str, Any]], None]] = [
    _drop,
    _duplicate,
    _events,
    _duration,
    _hours,
    _in_force,
    _channels,
    _chain,
    _forms,
    _quote,
    _alias,
    _condition,
    _kinds,
    _fee,
]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    slug = draw(st.sampled_from(SLUGS))
    data = copy.deepcopy(ORIGINALS[slug])
    for mutate in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4)):
        mutate(draw, data)
    return slug, data


# --- the property --------------------------------------------------------------------------------------


def _evaluate_all(slug: str, data: dict[str, Any]) -> bool:
    """Write the rule file, compile it as lint does and, if it is clean, evaluate and render every case
    of its standard. Returns whether the compiler accepted it. Raises whatever crashes."""
    with tempfile.TemporaryDirectory() as tmp:
        rules_dir = Path(tmp) / "rules"
        shutil.copytree(RULES / "_shared", rules_dir / "_shared")
        path = rules_dir / f"{slug}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        ruleset = RuleSet.lazy([rules_dir])
        try:
            compiled = ruleset.get(slug, "t", None)
        except (InputErrors, InputError) as e:
            problems = e.problems
            assert problems  # a refused file names its problems (exit 2)
            return False
        coverage_of(compiled)  # the rest of what `ereje lint` computes
        for case_path in CASES[slug]:
            try:
                case, compiled = load_case(case_path, ruleset)
            except (InputErrors, InputError):
                continue  # the case names what the mutated rules dropped: bad input, exit 2
            for mode in ("check", "review") if case.decision is not None else ("check",):
                decision = evaluate(compiled, case, mode)
                render(decision, compiled, "kk", "text")
                render(decision, compiled, "kk", "json")
        return True


def _edit(slug: str, edit: Callable[[dict[str, Any]], None]) -> tuple[str, dict[str, Any]]:
    data = copy.deepcopy(ORIGINALS[slug])
    edit(data)
    return slug, data


def _set_hours(span: str) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        for s in data["schedules"]:
            s["hours"] = {day: [span] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}

    return edit


def _set_terms(duration: int, unit: str) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        for t in data["terms"]:
            t["duration"], t["unit"] = duration, unit

    return edit


# Mutations that crashed every evaluation before lint refused them (minute 75; a term past year 9999).
@example(_edit("exit-permanent-residence-2011", _set_hours("09:75-18:00")))
@example(_edit("exit-permanent-residence-2011", _set_terms(10**9, "calendar-days")))
@example(_edit("exit-permanent-residence-2011", _set_terms(10**6, "months")))
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_a_rule_file_lint_accepts_evaluates_every_case(mutation: tuple[str, dict[str, Any]]) -> None:
    slug, data = mutation
    event("lint-clean" if _evaluate_all(slug, data) else "refused by lint")


# --- the property is not vacuous: mutations lint accepts, at the edges of what it accepts -------------------


def _edge(slug: str, edit: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = copy.deepcopy(ORIGINALS[slug])
    edit(data)
    return data


def _longest_terms(data: dict[str, Any]) -> None:
    for t in data["terms"]:
        t["unit"], t["duration"] = (
            ("minutes", 600_000) if t["unit"] in ("hours", "minutes") else ("calendar-days", 3650)
        )


def _all_day(data: dict[str, Any]) -> None:
    for s in data.get("schedules", []):
        s["hours"] = {"mon": ["00:00-24:00"], "sun": ["23:59-24:00"]}


def _one_day_in_force(data: dict[str, Any]) -> None:
    data["in_force"]["to"] = data["in_force"]["from"]


def _working_years(data: dict[str, Any]) -> None:
    for t in data["terms"]:
        t["unit"], t["duration"] = "working-days", 3650


def _chain_backwards(data: dict[str, Any]) -> None:
    for before, term in zip(data["terms"], data["terms"][1:], strict=False):
        term["or_from_due_of"] = before["id"]


def _no_lists(data: dict[str, Any]) -> None:
    # Without channels, two entries of one document could not be told apart: keep the first of each.
    seen: set[str] = set()
    data["documents"] = [d for d in data["documents"] if not (d["id"] in seen or seen.add(d["id"]))]
    for d in data["documents"]:
        d.pop("channels", None)
        d.pop("forms", None)
    for t in data["terms"]:
        t.pop("channels", None)
    data["fee"].pop("channels", None)


EDGES = [
    ("exit-permanent-residence-2011", _longest_terms),
    ("exit-permanent-residence-2011", _all_day),
    ("disability-assessment-2012", _longest_terms),
    ("mod-military-service-confirmation-2012", _working_years),
    ("basic-pension-payment-2012", _chain_backwards),
    ("state-special-benefit-2012", _one_day_in_force),
    ("state-special-benefit-2012", _no_lists),
]


@pytest.mark.parametrize(("slug", "edit"), EDGES, ids=[f"{s}-{e.__name__}" for s, e in EDGES])
def test_edges_lint_accepts_evaluate(slug: str, edit: Callable[[dict[str, Any]], None]) -> None:
    assert _evaluate_all(slug, _edge(slug, edit))


def _rests_on(quote: str) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        for g in data["refusals"]["grounds"]:
            if g["id"] == "tax-debt":
                g["rests_on"] = [{"cite": "6", "quote": quote}]

    return edit


def test_a_ground_cites_what_it_rests_on_and_its_quote_is_checked() -> None:
    """`rests_on`: the units a ground's condition is measured against are cited by every finding on the
    ground, after the ground, and their quotes are checked like any other (a wrong one is refused)."""
    slug = "exit-permanent-residence-2011"
    good = _edge(slug, _rests_on("18 жастан асқан азаматтарына"))
    with tempfile.TemporaryDirectory() as tmp:
        rules_dir = Path(tmp) / "rules"
        shutil.copytree(RULES / "_shared", rules_dir / "_shared")
        (rules_dir / f"{slug}.yaml").write_text(yaml.safe_dump(good, allow_unicode=True, sort_keys=False), "utf-8")
        ruleset = RuleSet.lazy([rules_dir])
        case, compiled = load_case(ROOT / "cases" / slug / "08-refuse-tax-debt.yaml", ruleset)
        decision = evaluate(compiled, case, "check")
        [found] = [f for f in decision.findings if f.subject.id == "tax-debt"]
        assert [c.unit for c in found.citations] == ["16.u1", "6"]
    assert not _evaluate_all(slug, _edge(slug, _rests_on("бұл сөйлем мәтінде жоқ")))
