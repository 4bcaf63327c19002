"""The safe YAML loader: positions, duplicate keys, no object construction, bounded size."""

from __future__ import annotations

from pathlib import Path

import pytest

from validator.errors import InputError
from validator.rules.yamlload import MAX_ALIASES, load_yaml, load_yaml_text


def test_positions_are_kept() -> None:
    loaded = load_yaml_text("a: 1\nb:\n  - x: 2\n    y: қазақ\n", "f.yaml")
    assert loaded.data == {"a": 1, "b": [{"x": 2, "y": "қазақ"}]}
    assert loaded.line_of(("b", 0, "y")) == 4
    assert loaded.line_of(("b", 0, "missing")) == 3


def test_duplicate_key_is_refused_with_both_lines() -> None:
    with pytest.raises(InputError) as e:
        load_yaml_text("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert e.value.line == 3
    assert "duplicate key 'a'" in e.value.message and "line 1" in e.value.message


def test_no_implicit_dates_or_yes_no() -> None:
    loaded = load_yaml_text("d: 2013-02-01\ny: yes\nn: no\nt: true\nq: '12'\n", "f.yaml")
    assert loaded.data == {"d": "2013-02-01", "y": "yes", "n": "no", "t": True, "q": "12"}


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo pwned']\n",
        "a: !!python/name:os.system\n",
        "a: !!binary aGVsbG8=\n",
        "a: !custom 1\n",
    ],
)
def test_tags_that_construct_objects_are_refused(text: str) -> None:
    with pytest.raises(InputError) as e:
        load_yaml_text(text, "f.yaml")
    assert e.value.line == 1


def test_billion_laughs_is_bounded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    with pytest.raises(InputError) as e:
        load_yaml_text("\n".join(lines) + "\n", "bomb.yaml")
    assert "alias" in e.value.message or "nodes" in e.value.message
    assert MAX_ALIASES < 1000


def test_deep_nesting_is_bounded() -> None:
    with pytest.raises(InputError) as e:
        load_yaml_text("a: " + "[" * 200 + "]" * 200 + "\n", "deep.yaml")
    assert "nesting" in e.value.message


def test_empty_bom_crlf_and_non_utf8(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        load_yaml(empty)
    bom = tmp_path / "bom.yaml"
    bom.write_bytes("\ufeffa: ә\r\nb: 2\r\n".encode())
    assert load_yaml(bom).data == {"a": "ә", "b": 2}
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("a: \xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_yaml(latin)
    with pytest.raises(InputError, match="no such file"):
        load_yaml(tmp_path / "nope.yaml")


def test_top_level_must_be_a_mapping() -> None:
    with pytest.raises(InputError, match="mapping"):
        load_yaml_text("- a\n- b\n", "list.yaml")


def test_syntax_error_names_the_line() -> None:
    with pytest.raises(InputError) as e:
        load_yaml_text("a: 1\nb: [1, 2\nc: 3\n", "broken.yaml")
    assert e.value.line is not None and e.value.line >= 2
    assert str(e.value).startswith("broken.yaml:")
