"""Engine details not covered by the example cases."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from validator.decision.case import Case
from validator.decision.engine import evaluate
from validator.surfaces.jobs import RuleSet

ROOT = Path(__file__).resolve().parent.parent
EXIT_RULES = ROOT / "rules" / "exit-permanent-residence-2011.yaml"
CASE = ROOT / "cases" / "exit-permanent-residence-2011" / "01-accept-adult.yaml"


def test_alternatives_from_a_shared_vocabulary_satisfy_the_requirement(tmp_path: Path) -> None:
    rules_dir = tmp_path / "rules"
    (rules_dir / "_shared").mkdir(parents=True)
    (rules_dir / "_shared" / "ids.yaml").write_text(
        "documents:\n  - id: identity-card\n    name: {kk: Жеке куәлік, ru: Удостоверение, en: ID card}\n"
        "    alternatives:\n      - {id: temporary-id, name: {kk: Уақытша куәлік, ru: Временное, en: Temporary ID}}\n",
        encoding="utf-8",
    )
    text = EXIT_RULES.read_text(encoding="utf-8").replace("in_force:", "uses: [_shared/ids.yaml]\nin_force:", 1)
    text = text.replace(
        "  - id: identity-card\n    name: {kk: Азаматтың жеке куәлігі, ru: Удостоверение личности гражданина, "
        "en: Citizen's identity card}\n",
        "  - id: identity-card\n",
    )
    (rules_dir / EXIT_RULES.name).write_text(text, encoding="utf-8")
    compiled = RuleSet.lazy([rules_dir]).get("exit-permanent-residence-2011", "t", None)
    data = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    data.pop("expect")
    data["documents"] = [d if d["id"] != "identity-card" else {"id": "temporary-id"} for d in data["documents"]]
    report = evaluate(compiled, Case.model_validate(data))
    assert report.verdict == "accept", [f.code for f in report.findings]
    shutil.rmtree(tmp_path)


def test_built_decisions_have_every_field_of_their_models() -> None:
    """The engine builds decision models without validation; every field must still be there and typed."""
    from validator.decision.model import Decision
    from validator.surfaces.jobs import RuleSet, run_expectations

    rules = RuleSet.lazy()
    for path in sorted((ROOT / "cases").rglob("*.yaml")):
        for r in run_expectations(path, rules):
            assert r.decision is not None
            again = Decision.model_validate_json(r.decision.model_dump_json())
            assert again.model_dump() == r.decision.model_dump(), path
            # strict validation of the Python object too (not only through JSON)
            assert Decision.model_validate(r.decision.model_dump()).model_dump() == r.decision.model_dump()


def test_a_termination_ground_cannot_support_a_refusal() -> None:
    from validator.surfaces.jobs import load_case

    rules = RuleSet.lazy()
    path = ROOT / "cases" / "childbirth-childcare-benefits-2012" / "07-review-lawful-termination-child-died.yaml"
    case, compiled = load_case(path, rules)
    assert case.decision is not None
    assert evaluate(compiled, case, "review").verdict == "lawful"
    refused = case.model_copy(update={"decision": case.decision.model_copy(update={"outcome": "refused"})})
    report = evaluate(compiled, refused, "review")
    assert report.verdict == "unlawful"
    assert [f.code for f in report.findings if f.severity == "error"] == ["ground-kind-mismatch"]
