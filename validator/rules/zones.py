"""Time zones: the office's local time in which a case's clock times are read.

A naive time in a case (2013-04-01T10:15) is the office's local time. A time with an offset
(2013-04-01T10:15+05:00) is converted to the office's local time and then made naive, so that every
time of a case is compared on one clock. The office's zone is `DEFAULT_TIMEZONE` unless the rule file
(`timezone:` at the top level) or the channel (`timezone:` on the channel) names its own: in 2013 the
western regions kept UTC+5 (Asia/Aqtobe, Asia/Oral, Asia/Atyrau), the rest UTC+6 (Asia/Almaty).

The zone data comes from the `tzdata` package, never from the operating system: the same case gives
the same answer on every machine, whatever its /usr/share/zoneinfo holds (or lacks).
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from datetime import tzinfo
from zoneinfo import ZoneInfo

from validator.errors import did_you_mean

DEFAULT_TIMEZONE = "Asia/Almaty"

# An IANA name: Area/Location[/Sublocation], or a bare name such as UTC. No '..', no absolute path.
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9][A-Za-z0-9_+-]*)*$")


@functools.lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    """Every zone name the bundled tzdata knows (its own index, not the operating system's)."""
    text = importlib.resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


@functools.lru_cache(maxsize=64)
def zone(name: str) -> tzinfo:
    """The zone `name` from the bundled tzdata; KeyError if it has no such zone."""
    if not _NAME.match(name) or name not in _names():
        raise KeyError(name)
    resource = importlib.resources.files("tzdata.zoneinfo").joinpath(*name.split("/"))
    with resource.open("rb") as f:
        return ZoneInfo.from_file(f, key=name)


def zone_problem(name: str) -> str | None:
    """Why `name` is not a time zone Ereje can use, or None."""
    try:
        zone(name)
    except KeyError:
        return (
            f"unknown time zone {name!r}; expected an IANA name such as {DEFAULT_TIMEZONE} or Asia/Aqtobe"
            f"{did_you_mean(name, _names())}"
        )
    return None


__all__ = ["DEFAULT_TIMEZONE", "zone", "zone_problem"]
