"""The package is laid out by stage, and data flows one way: law → rules → decision → report → surfaces.

A module may import its own stage and the stages before it (plus `validator.errors` and the package
root for `__version__`), never a later one — at module level or inside a function. The first four
stages are the library: no CLI or HTTP library may be imported there.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "validator"
STAGES = ["law", "rules", "decision", "report", "surfaces"]
SHARED = {"validator", "validator.errors"}
SURFACE_LIBRARIES = {"click", "fastapi", "starlette", "uvicorn", "httpx"}
MODULES = sorted(p for stage in STAGES for p in (PACKAGE / stage).rglob("*.py"))


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            # `from validator import x` names a module of the package when x is a stage
            if node.module == "validator":
                out += [(node.lineno, f"validator.{a.name}") for a in node.names if a.name in STAGES]
    return out


def test_every_module_sits_in_a_stage() -> None:
    loose = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "errors.py"))
    assert not loose, f"modules outside the stage folders: {loose}"
    assert len(MODULES) > 20


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_imports_flow_one_way(path: Path) -> None:
    stage = path.relative_to(PACKAGE).parts[0]
    rank = STAGES.index(stage)
    for line, module in _imports(path):
        top = module.split(".")[0]
        if stage != "surfaces":
            assert top not in SURFACE_LIBRARIES, f"{path.name}:{line}: the library imports {module}"
        if top != "validator" or module in SHARED:
            continue
        target = module.split(".")[1]
        assert target in STAGES, f"{path.name}:{line}: {module} is not in a stage"
        assert STAGES.index(target) <= rank, (
            f"{path.relative_to(ROOT)}:{line}: stage {stage!r} imports {module} from the later stage {target!r}"
        )


def test_the_checker_catches_a_backward_import(tmp_path: Path) -> None:
    """The test above can fail: a rules module importing the report stage is found."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from validator.report.render import render\n", encoding="utf-8")
    assert (2, "validator.report.render") in _imports(bad)
