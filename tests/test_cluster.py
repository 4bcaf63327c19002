"""Batch checking on Dask (a two-worker LocalCluster): the parts concatenated are a local batch's bytes,
bad lines are numbered by their place in the whole input, a worker killed mid-run loses and repeats
nothing, --resume keeps the finished parts, a worker with other rules is refused, and `check_bag`
gives the local batch's lines for a dask.bag."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

distributed = pytest.importorskip("distributed")

from validator.surfaces import cluster  # noqa: E402
from validator.surfaces.batch import run_batch_file  # noqa: E402
from validator.surfaces.cli import cli  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# Dask's own noise, not ours: its HTTP server names the port it falls back to, and its sockets close
# after the test that made them.
pytestmark = [
    pytest.mark.filterwarnings("ignore:Port .* is already in use"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:distributed"),
]


def _case_lines() -> list[str]:
    """Every bundled case of every standard, as a JSON line (their `expect` dropped), twice over."""
    out = []
    for p in sorted((ROOT / "cases").glob("*/*.yaml")):
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        data.pop("expect", None)
        out.append(json.dumps(data, default=str, ensure_ascii=False))
    return out * 2


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as lc,
        distributed.Client(lc) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lines = _case_lines()
    lines.insert(6, "not json at all")  # line 7
    lines.insert(99, '{"standard": "no-such-standard"}')  # line 100
    path = tmp_path_factory.mktemp("in") / "cases.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _local(cases: Path, out: Path, **kw: Any) -> bytes:
    run_batch_file(str(cases), out, **kw)
    return out.read_bytes()


def _parts(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.glob("part-*.jsonl")))


def test_parts_are_the_local_batch_byte_for_byte(client: Any, cases: Path, tmp_path: Path) -> None:
    local = _local(cases, tmp_path / "local.jsonl", lang="kk")
    summary = cluster.run_dask(str(cases), tmp_path / "parts", "", lang="kk", part_lines=97, client=client)
    parts = sorted((tmp_path / "parts").glob("part-*.jsonl"))
    n = len(local.splitlines())
    assert len(parts) == -(-n // 97)  # several parts, in name order
    assert _parts(tmp_path / "parts") == local
    assert summary.cases == n
    # The two bad lines are reported in their places, numbered in the whole input.
    lines = local.decode("utf-8").splitlines()
    assert json.loads(lines[6])["line"] == 7
    assert json.loads(lines[99])["line"] == 100
    assert summary.verdicts["error"] == 2
    # `cat DIR/*` is the parts only: the run's records are out of the way.
    assert sorted(p.name for p in (tmp_path / "parts").iterdir() if not p.name.startswith(".")) == [
        p.name for p in parts
    ]


def test_brief_detail_is_the_local_brief(client: Any, cases: Path, tmp_path: Path) -> None:
    local = _local(cases, tmp_path / "local.jsonl", detail="brief", mode="review")
    summary = cluster.run_dask(
        str(cases), tmp_path / "parts", "", mode="review", detail="brief", part_lines=250, client=client
    )
    assert _parts(tmp_path / "parts") == local
    first = json.loads(local.splitlines()[0])
    assert set(first) == {"case", "standard", "channel", "kind", "verdict", "findings", "due"}
    assert sum(summary.findings.values()) == sum(
        len(json.loads(line).get("findings", [])) for line in local.splitlines()
    )


def test_a_pattern_is_one_input_numbered_across_files(client: Any, tmp_path: Path) -> None:
    lines = _case_lines()[:5]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text("".join(x + "\n" for x in lines), encoding="utf-8")
    (tmp_path / "in" / "b.jsonl").write_text(lines[0] + "\n{oops\n", encoding="utf-8")
    pattern = str(tmp_path / "in" / "*.jsonl")
    cluster.run_dask(pattern, tmp_path / "parts", "", part_lines=3, client=client)
    out = _parts(tmp_path / "parts").decode("utf-8").splitlines()
    assert len(out) == 7
    bad = json.loads(out[6])
    assert bad["line"] == 7  # the 2nd line of b.jsonl is the 7th of the whole input
    assert bad["error"][0]["file"] == pattern


def test_a_worker_killed_mid_run_loses_and_repeats_nothing(client: Any, cases: Path, tmp_path: Path) -> None:
    local = _local(cases, tmp_path / "local.jsonl")
    out = tmp_path / "parts"
    killed: list[str] = []

    def kill_one_worker_when_a_part_is_written() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(out.glob("part-*.jsonl")):
            time.sleep(0.01)
        worker = sorted(client.scheduler_info()["workers"])[0]
        killed.append(worker)
        try:
            client.run(os._exit, 1, workers=[worker], wait=False)
        except Exception:  # the worker dies answering: that is the point
            pass

    killer = threading.Thread(target=kill_one_worker_when_a_part_is_written)
    killer.start()
    summary = cluster.run_dask(str(cases), out, "", part_lines=20, client=client)
    killer.join()
    assert killed
    assert _parts(out) == local
    assert summary.cases == len(local.splitlines())
    client.wait_for_workers(2, timeout=60)  # the nanny restarts it for the next tests


def test_resume_keeps_the_finished_parts(client: Any, cases: Path, tmp_path: Path) -> None:
    local = _local(cases, tmp_path / "local.jsonl")
    out = tmp_path / "parts"
    cluster.run_dask(str(cases), out, "", part_lines=150, client=client)
    parts = sorted(out.glob("part-*.jsonl"))
    # A run that stopped before its last two parts: their files and records are gone.
    for p in parts[-2:]:
        p.unlink()
        (out / cluster.RUN_DIR / p.name.replace(".jsonl", ".json")).unlink()
    kept = {p.name: p.stat().st_mtime_ns for p in parts[:-2]}
    time.sleep(0.01)
    summary = cluster.run_dask(str(cases), out, "", part_lines=150, resume=True, client=client)
    assert _parts(out) == local
    assert {p.name: p.stat().st_mtime_ns for p in parts[:-2]} == kept  # not written again
    assert summary.skipped == 150 * (len(parts) - 2)
    # Another run's folder (another part size) is refused, not mixed in.
    with pytest.raises(cluster.InputError, match="another run"):
        cluster.run_dask(str(cases), out, "", part_lines=151, resume=True, client=client)


def test_check_bag_gives_the_local_lines_in_order(client: Any, cases: Path, tmp_path: Path) -> None:
    import dask.bag as db

    local = _local(cases, tmp_path / "local.jsonl")
    text = cases.read_text(encoding="utf-8").splitlines()
    bag = db.from_sequence([line + "\n" for line in text], npartitions=5)
    got = cluster.check_bag(bag, source=str(cases)).compute()
    assert "\n".join(got) + "\n" == local.decode("utf-8")


def test_a_worker_with_other_rules_is_refused(cases: Path, tmp_path: Path) -> None:
    other = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", other)
    f = other / "exit-permanent-residence-2011.yaml"
    f.write_text(f.read_text(encoding="utf-8") + "\n# a changed copy\n", encoding="utf-8")
    with (
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            env={"EREJE_RULES": str(other)},
        ) as lc,
        distributed.Client(lc) as c,
        pytest.raises(cluster.EnvironmentFailure, match="other rules"),
    ):
        cluster.run_dask(str(cases), tmp_path / "parts", "", client=c)
    assert not list((tmp_path / "parts").glob("part-*.jsonl"))


def test_cli_runs_on_a_local_cluster(cases: Path, tmp_path: Path) -> None:
    small = tmp_path / "small.jsonl"
    small.write_text("".join(cases.read_text(encoding="utf-8").splitlines(keepends=True)[:40]), encoding="utf-8")
    local = _local(small, tmp_path / "local.jsonl", lang="ru")
    r = CliRunner().invoke(
        cli,
        ["check", "--batch", str(small), "--dask", "local:1", "--out", str(tmp_path / "parts"), "--lang", "ru"],
    )
    assert r.exit_code == 2, r.output  # a bad line among them
    assert _parts(tmp_path / "parts") == local
    assert "40 cases" in r.stderr
    r = CliRunner().invoke(cli, ["check", "--batch", str(small), "--dask", "local:1"])
    assert r.exit_code == 2 and "--dask needs --out" in r.output


def test_an_input_in_the_output_folder_is_refused_and_kept(tmp_path: Path) -> None:
    """A new run empties its folder's parts: an input named like a part there would be deleted (a hostile
    tester's find). It is refused before anything is written, and stays byte for byte."""
    folder = tmp_path / "out"
    folder.mkdir()
    victim = folder / "part-000000.jsonl"
    victim.write_text(_case_lines()[0] + "\n", encoding="utf-8")
    before = victim.read_bytes()
    for pattern in (str(victim), str(folder / "*.jsonl")):
        with pytest.raises(cluster.InputError, match="in the output folder"):
            cluster.run_dask(pattern, folder, "local:1")
        assert victim.read_bytes() == before


@pytest.mark.parametrize("address", ["bogus", "tcp://", "", "local:0", "local:65", "local:x", "http://h:1"])
def test_a_bad_address_is_bad_input(cases: Path, tmp_path: Path, address: str) -> None:
    r = CliRunner().invoke(cli, ["check", "--batch", str(cases), "--dask", address, "--out", str(tmp_path / "o")])
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output


def test_empty_lines_are_reported_as_such_as_a_local_batch_does(client: Any, tmp_path: Path) -> None:
    lines = _case_lines()[:2]
    src = tmp_path / "in.jsonl"
    src.write_text(lines[0] + "\n\n   \n" + lines[1] + "\n", encoding="utf-8")
    local = _local(src, tmp_path / "local.jsonl")
    cluster.run_dask(str(src), tmp_path / "parts", "", part_lines=2, client=client)
    assert _parts(tmp_path / "parts") == local
    errors = [json.loads(x) for x in local.decode("utf-8").splitlines()[1:3]]
    assert [e["error"][0]["code"] for e in errors] == ["empty-line", "empty-line"]
    assert [e["line"] for e in errors] == [2, 3]
