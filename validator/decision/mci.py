"""The monthly calculation index (айлық есептік көрсеткіш, АЕК/МРП) in force on a day: the series in
validator/data/mci.yaml, with the law that set each value and whether it was verified."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml


@dataclass(frozen=True)
class MCI:
    start: date
    end: date
    value: float
    law: str
    verified: bool


@functools.lru_cache(maxsize=1)
def mci_series() -> tuple[MCI, ...]:
    raw = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "mci.yaml").read_text(encoding="utf-8"))
    return tuple(
        MCI(
            date.fromisoformat(str(r["from"])),
            date.fromisoformat(str(r["to"])),
            float(r["value"]),
            r["law"],
            bool(r["verified"]),
        )
        for r in raw
    )


def mci_on(day: date) -> MCI | None:
    """The index in force on `day` (the day the duty is paid), or None outside the series."""
    for m in mci_series():
        if m.start <= day <= m.end:
            return m
    return None


__all__ = ["MCI", "mci_on", "mci_series"]
