"""The HTTP service and the clerk's page (`ereje serve`): a thin shell over the library, no rule logic here.

Every rule file is compiled once, when the app is created; a broken one stops the start (the
`InputErrors` propagates, and the CLI prints it and exits 2). A case comes in as JSON (or YAML with
`Content-Type: application/yaml`), is read by the case loader every surface uses
(`validator.decision.load`), decided, and rendered in the language of `?lang=` (kk, ru, en, all) or
else of `Accept-Language`: the same bytes as `ereje check --format json --lang …`. Errors are RFC 9457 problem documents
(`application/problem+json`) whose `errors` are the library's `Problem.to_json()` with the JSON path
into the input; their `title` and `detail` follow `Accept-Language` (kk, ru, en; default en).

What one request may cost is bounded (see `Limits`): the body's bytes, the time to send it, the
entries of every list and map of a case and the length of typed texts (checked on the read document,
before the case is checked or decided), and the bytes of the answer (refused, never cut). Every
response carries the safety headers of `SECURITY_HEADERS`; HEAD is answered wherever GET is.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import hashlib
import json
import logging
import math
import re
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from validator import __version__
from validator.decision.case import Case
from validator.decision.casefile import case_data, case_yaml, plain
from validator.decision.due_dates import due_dates
from validator.decision.engine import Mode, evaluate
from validator.decision.load import MediaKind, UnreadableInput, check_read_case, read_case
from validator.decision.model import Decision
from validator.decision.questions import questions
from validator.errors import InputError, InputErrors, Problem, did_you_mean
from validator.law.citation import CitationError, parse_citation
from validator.law.standard import (
    Amendment,
    Decree,
    LineRange,
    Quirk,
    Standard,
    list_slugs,
    load_standard,
    standards_root,
)
from validator.report.papers import PAPER_STYLE, STYLE_HASH, PaperChoice, PaperNotDue, paper_choice, paper_html
from validator.report.pdf import PdfUnavailable, to_pdf
from validator.report.render import report_bytes
from validator.report.schema import ReportJson
from validator.rules.compiler import CASE_SCHEMA, CompiledRules, published_schema
from validator.rules.model import RuleFile
from validator.rules.ruleset import RuleSet, default_rules_dir
from validator.rules.yamlload import JsonPath, Loaded
from validator.surfaces.catalog import standards_table

log = logging.getLogger("ereje.service")

STATIC_DIR = Path(__file__).parent / "static"
LANGS = ("kk", "ru", "en")
Lang = Literal["kk", "ru", "en"]
REQUEST_NAME = "<request>"
PROBLEM_TYPE = "https://ereje.kz/problems/"
VERSION_HEADER = "X-Ereje-Rules-Version"
JSON_TYPES = {"application/json"}
YAML_TYPES = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"}

# --- words of the problem documents ------------------------------------------------------------------

_TITLES: dict[int, tuple[str, str, str]] = {  # status → (kk, ru, en)
    400: ("Сұрау денесі оқылмайды", "Тело запроса не читается", "Bad request body"),
    404: ("Табылмады", "Не найдено", "Not found"),
    405: ("Әдіске рұқсат жоқ", "Метод не разрешён", "Method not allowed"),
    408: ("Сұрау уақытында жіберілмеді", "Запрос не передан вовремя", "Request timeout"),
    413: ("Сұрау денесі тым үлкен", "Тело запроса слишком велико", "Request body too large"),
    415: ("Мазмұн түріне қолдау жоқ", "Тип содержимого не поддерживается", "Unsupported media type"),
    422: ("Іс дұрыс толтырылмаған", "Дело заполнено неверно", "Invalid case"),
    500: ("Ішкі қате", "Внутренняя ошибка", "Internal error"),
}

# A title of its own where the status's would mislead (a paper not due is no fault of the case).
_CODE_TITLES: dict[str, tuple[str, str, str]] = {
    "paper-not-due": ("Бұл қағаз бұл іске берілмейді", "Этот документ по делу не выдаётся", "Paper not due"),
}

_DETAILS: dict[str, tuple[str, str, str]] = {  # problem code → (kk, ru, en), str.format fields
    "bad-json": (
        "Сұрау денесі жарамды JSON емес: {message} ({line}-жол, {column}-баған).",
        "Тело запроса — некорректный JSON: {message} (строка {line}, столбец {column}).",
        "The body is not valid JSON: {message} (line {line}, column {column}).",
    ),
    "bad-number": (
        "JSON-дағы сан оқылмайды: {message}.",
        "Число в JSON не читается: {message}.",
        "A number in the JSON cannot be read: {message}.",
    ),
    "duplicate-key": (
        "JSON нысанында {key!r} кілті қайталанған.",
        "В объекте JSON повторяется ключ {key!r}.",
        "A JSON object repeats the key {key!r}.",
    ),
    "bad-yaml": (
        "Сұрау денесі оқылатын YAML құжаты емес; қателер тізімін қараңыз.",
        "Тело запроса — нечитаемый документ YAML; см. список ошибок.",
        "The body is not a YAML document Ereje can read; see `errors`.",
    ),
    "bad-encoding": (
        "Сұрау денесі UTF-8 мәтіні емес ({offset}-байт).",
        "Тело запроса — не текст UTF-8 (байт {offset}).",
        "The body is not UTF-8 text (invalid byte at offset {offset}).",
    ),
    "bad-unicode": (
        "Сұрау денесінде жалғыз UTF-16 суррогаты бар (\\ud800–\\udfff); таңбаның өзін жіберіңіз.",
        "В теле запроса одиночный суррогат UTF-16 (\\ud800–\\udfff); передайте сам символ.",
        "The body holds a lone UTF-16 surrogate (\\ud800–\\udfff); send the character itself.",
    ),
    "bad-content-length": (
        "Content-Length тақырыбы сан емес.",
        "Заголовок Content-Length — не число.",
        "The Content-Length header is not a number.",
    ),
    "disconnected": (
        "Клиент сұрау денесін жіберіп болмай ажыратылды.",
        "Клиент отключился, не передав тело запроса.",
        "The client disconnected before sending the whole body.",
    ),
    "too-large": (
        "Сұрау денесі {max_body} байттан үлкен.",
        "Тело запроса больше {max_body} байт.",
        "The body is larger than {max_body} bytes.",
    ),
    "read-timeout": (
        "Сұрау денесі {seconds} секунд ішінде толық жіберілмеді.",
        "Тело запроса не передано полностью за {seconds} с.",
        "The body did not arrive in full within {seconds} seconds.",
    ),
    "case-too-large": (
        "Іс бұл қызмет шешетін көлемнен үлкен; шектер мен жолдар `errors` тізімінде.",
        "Дело больше, чем решает эта служба; пределы и пути — в списке `errors`.",
        "The case is larger than this service decides; `errors` names each path and its limit.",
    ),
    "answer-too-large": (
        "Жауап {max_answer} байттан үлкен болар еді ({size} байт); істі бөліп жіберіңіз.",
        "Ответ превысил бы {max_answer} байт ({size} байт); разделите дело.",
        "The answer would be larger than {max_answer} bytes ({size} bytes); split the case.",
    ),
    "unsupported-media-type": (
        "{media_type!r} түріне қолдау жоқ; Content-Type: application/json немесе application/yaml (UTF-8) жіберіңіз.",
        "Тип {media_type!r} не поддерживается; укажите Content-Type: application/json или application/yaml (UTF-8).",
        "{media_type!r} is not supported; send Content-Type: application/json or application/yaml (UTF-8).",
    ),
    "invalid-case": (
        "Істе {count} қате бар; `errors` тізімін қараңыз.",
        "В деле ошибок: {count}; см. список `errors`.",
        "The case has {count} problem(s); see `errors`.",
    ),
    "date-out-of-range": (
        "Істегі күн мерзімдерді есептеуге болатын ауқымнан тыс.",
        "Дата в деле вне диапазона, в котором можно считать сроки.",
        "A date in the case is outside the range terms can be counted in.",
    ),
    "unknown-standard": (
        "{slug!r} стандарты жоқ.",
        "Стандарта {slug!r} нет.",
        "There is no standard {slug!r}.",
    ),
    "unknown-paragraph": (
        "{slug} стандартында {unit!r} бөлігі жоқ.",
        "В стандарте {slug} нет единицы {unit!r}.",
        "{slug} has no unit {unit!r}.",
    ),
    "bad-citation": (
        "{citation!r} сілтеме емес; мысалы: '11.2' немесе '11-тармақтың 2) тармақшасы'.",
        "{citation!r} — не ссылка; например: '11.2' или '11-тармақтың 2) тармақшасы'.",
        "{citation!r} is not a citation; e.g. '11.2' or '11-тармақтың 2) тармақшасы'.",
    ),
    "not-found": (
        "Мұндай бет жоқ: {path}.",
        "Такой страницы нет: {path}.",
        "There is no such page: {path}.",
    ),
    "method-not-allowed": (
        "{path} үшін {method} әдісіне рұқсат жоқ.",
        "Метод {method} для {path} не разрешён.",
        "{method} is not allowed on {path}.",
    ),
    "paper-not-due": (
        "Бұл іс сұралған қағазды талап етпейді; себебі мен қажетті қағаз `errors` тізімінде.",
        "Это дело не требует запрошенного документа; причина и нужный документ — в списке `errors`.",
        "This case does not call for the paper asked for; `errors` says why and which paper it calls for.",
    ),
    "pdf-unavailable": (
        "PDF жасау үшін серверге ereje[pdf] (WeasyPrint) орнатылмаған; HTML нұсқасын сұраңыз (format=html).",
        "На сервере не установлен ereje[pdf] (WeasyPrint) для PDF; запросите HTML (format=html).",
        "PDF needs ereje[pdf] (WeasyPrint) on the server; ask for HTML (format=html).",
    ),
    "bad-parameters": (
        "Сұрау параметрлері дұрыс емес; `errors` тізімін қараңыз.",
        "Неверные параметры запроса; см. список `errors`.",
        "The request parameters are invalid; see `errors`.",
    ),
    "internal-error": (
        "Ereje-де қате кетті; толығы сервер журналында.",
        "В Ereje произошла ошибка; подробности в журнале сервера.",
        "Ereje hit a bug; the server log has the details.",
    ),
}


def negotiate_language(header: str | None) -> Lang:
    """The best of kk, ru, en by the `Accept-Language` q-values (ties: the order given); default en."""
    best: tuple[float, int, Lang] | None = None
    for i, part in enumerate((header or "").split(",")):
        tag, *params = [p.strip() for p in part.split(";")]
        primary = tag.split("-")[0].lower()
        q = 1.0
        for p in params:
            name, _, value = p.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if not (0 < q <= 1) or math.isnan(q):
            continue
        lang: Lang
        if primary == "kk":
            lang = "kk"
        elif primary == "ru":
            lang = "ru"
        elif primary == "en":
            lang = "en"
        else:
            continue
        if best is None or q > best[0]:
            best = (q, i, lang)
    return best[2] if best else "en"


class ProblemError(Exception):
    """An error to answer with a problem document (status, code, detail fields, the input's problems)."""

    def __init__(
        self, status: int, code: str, fields: Mapping[str, object] | None = None, errors: list[Problem] | None = None
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.fields = dict(fields or {})
        self.errors = errors or []
        self.headers: dict[str, str] = {}


def _problem_body(status: int, code: str, lang: Lang, fields: Mapping[str, object], errors: list[Problem]) -> bytes:
    idx = LANGS.index(lang)
    title = _CODE_TITLES.get(code, _TITLES.get(status, _TITLES[400]))[idx]
    template = _DETAILS.get(code)
    try:
        detail = template[idx].format(**fields) if template else title
    except (KeyError, IndexError, ValueError):  # a field missing: say less rather than fail
        detail = title
    body = {
        "type": PROBLEM_TYPE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "errors": [p.to_json() for p in errors],
    }
    return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")


def problem_response(
    request_lang: Lang,
    status: int,
    code: str,
    fields: Mapping[str, object] | None = None,
    errors: list[Problem] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    return Response(
        _problem_body(status, code, request_lang, fields or {}, errors or []),
        status_code=status,
        media_type="application/problem+json",
        headers=dict(headers or {}),
    )


# --- the documented shapes (OpenAPI) ------------------------------------------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProblemItem(_Out):
    """One problem with the input: where (file, line, JSON path), a stable code, what is wrong."""

    file: str
    line: int | None
    path: str = Field(description="JSONPath into the input, e.g. $.documents[0].id")
    code: str
    message: str


class ProblemDocument(_Out):
    """An RFC 9457 problem document; `errors` lists every problem found in the input."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[ProblemItem]


class StandardTitle(_Out):
    kk: str
    ru: str
    en: str


class StandardRow(_Out):
    slug: str
    title_kk: str
    title_en: str
    title: StandardTitle | None = Field(default=None, description="The service's name from its rule file.")
    in_force_from: date | None
    in_force_to: date | None
    paragraphs: int
    rules: bool
    coverage: float | Literal["invalid"] | None


class StandardMeta(_Out):
    slug: str
    title_kk: str
    title_en: str
    source_file: str
    source_sha256: str
    lines: LineRange
    approved_by: Decree
    amended_by: Decree | None
    edition: Literal["original", "new-edition", "added"]
    entry_into_force: str
    repealed_by: Decree | None
    repeal_rule: str | None
    in_force_from: date | None
    in_force_to: date | None
    in_force_note: str
    amendments: list[Amendment]
    quirks: list[Quirk]
    paragraphs: list[str] = Field(description="Ids of the paragraphs, in order.")


class StandardDetail(_Out):
    """A standard's metadata and, where a rule file encodes it, the compiled rules (shared vocabularies merged)."""

    standard: StandardMeta
    rules: RuleFile | None
    rules_file: str | None
    rules_sha256: str | None


class Paragraph(_Out):
    """One unit of a standard with its full Kazakh text (the unit and all its subunits)."""

    standard: str
    unit: str
    label_kk: str = Field(description="The Kazakh legal form of the citation: '11-тармақтың 2) тармақшасы'.")
    kind: str
    title: str | None
    lines: LineRange
    text: str
    amendments: list[Amendment]


class Health(_Out):
    status: Literal["ok"]
    ereje: str
    rules_version: str
    rules: list[str]
    standards: int


def _problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    ref = {"$ref": "#/components/schemas/ProblemDocument"}
    descriptions = {
        400: "The body is not JSON (or YAML) Ereje can read",
        404: "No such standard or paragraph",
        408: "The body did not arrive in full within the read timeout (`read-timeout`)",
        413: "The body is too large (`too-large`)",
        415: "The content type is neither JSON nor YAML (UTF-8), or is missing",
        422: "The case is not valid (`invalid-case`: schema, unknown standard, channel, document or fact), beyond "
        "the service's limits (`case-too-large`: `errors` names each path and its limit), or its report would "
        "exceed the answer's limit (`answer-too-large`)",
        500: "A bug in Ereje (never expected)",
    }
    return {
        s: {"description": descriptions[s], "content": {"application/problem+json": {"schema": ref}}} for s in statuses
    }


# --- what one request may cost ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Limits:
    """What this service reads and answers for one request; each bound is documented in the README and the
    OpenAPI description, and each refusal is a problem document naming the bound.

    The counts keep the answer small: a finding repeats its paragraphs' texts (three times with
    `?lang=all`), so a case of 25 000 demanded documents would be answered with ~90 MB. A typed ground or
    demanded document appears five times in its finding and is kept in the library's bounded subject
    cache (8192 entries), hence its own bound. `max_text` bounds the characters of all the case's texts
    together: YAML aliases could otherwise expand a small body into a large case.
    """

    max_body: int = 256_000  # bytes of a request body
    read_timeout: float = 10.0  # seconds for a request's head, and again for its body, to arrive
    max_answer: int = 4_000_000  # bytes of a rendered report
    max_entries: tuple[tuple[JsonPath, int], ...] = (
        (("documents",), 500),
        (("decision", "grounds"), 50),
        (("decision", "demanded_documents"), 50),
        (("facts",), 200),
        (("events",), 50),
    )
    max_other_entries: int = 200  # any other list or map of a case
    max_typed: int = 300  # characters of one ground or demanded document given as text
    max_text: int | None = None  # characters of all texts together; default: `max_body`

    def entries(self, path: JsonPath) -> int:
        return dict(self.max_entries).get(path, self.max_other_entries)

    def describe(self) -> str:
        """The bounds, in words, for the OpenAPI description."""
        counts = ", ".join(f"`{_json_path(p)}` {n}" for p, n in self.max_entries)
        return (
            f"Limits: a body of at most {self.max_body} bytes (413 `too-large`), sent within "
            f"{self.read_timeout:g} s (408 `read-timeout`; a request head must also arrive within that time, "
            f"and an idle connection is closed after {KEEP_ALIVE} s). A case holds at most: {counts} entries, "
            f"{self.max_other_entries} in any other list or map; a ground or demanded document typed as text "
            f"at most {self.max_typed} characters; all its texts together at most {self.text_limit} characters "
            "(YAML aliases expanded) — else 422 `case-too-large`, whose `errors` name each path and its limit. "
            f"A report is at most {self.max_answer} bytes (422 `answer-too-large`; it is refused, never cut; "
            "within the bounds above every report stays under it)."
        )

    @property
    def text_limit(self) -> int:
        return self.max_text if self.max_text is not None else self.max_body


KEEP_ALIVE = 5  # seconds an idle keep-alive connection is kept (uvicorn's `timeout_keep_alive`)
TYPED_TEXTS: tuple[JsonPath, ...] = (("decision", "grounds"), ("decision", "demanded_documents"))


def _json_path(path: JsonPath) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def bound_problems(loaded: Loaded, limits: Limits) -> list[Problem]:
    """Every bound of `limits` the read document exceeds: entries of a list or map, a typed text's length,
    the characters of all texts (keys too). One walk, before the case is checked or decided."""
    problems: list[Problem] = []

    def over(path: JsonPath, message: str, code: str) -> None:
        problems.append(Problem(REQUEST_NAME, loaded.line_of(path), message, path, code))

    text = 0
    stack: list[tuple[Any, JsonPath]] = [(loaded.data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            text += len(node)
        elif isinstance(node, dict | list):
            limit = limits.entries(path)
            if len(node) > limit:
                over(path, f"{len(node)} entries; this service decides cases with at most {limit} here", "too-many")
                continue  # its entries are not looked at: the case is refused anyway
            if isinstance(node, dict):
                text += sum(len(k) for k in node)
                stack += [(v, (*path, k)) for k, v in node.items()]
            else:
                typed = path in TYPED_TEXTS
                for i, v in enumerate(node):
                    if typed and isinstance(v, str) and len(v) > limits.max_typed:
                        over((*path, i), f"{len(v)} characters; at most {limits.max_typed}", "too-long")
                stack += [(v, (*path, i)) for i, v in enumerate(node)]
    if text > limits.text_limit:
        over((), f"{text} characters of text in all; at most {limits.text_limit}", "too-much-text")
    return problems


# --- reading a case from a request body -----------------------------------------------------------------
#
# The body is read and checked by the case loader (`validator.decision.load`), as the CLI and batch read
# a case; here its errors become problem documents: what cannot be read is 400 with the loader's code
# (413 past the loader's size limit), what is not a valid case is 422 `invalid-case`. Between reading and
# checking, the read document is held to the service's `Limits` (422 `case-too-large`): the loader's
# first two steps run twice for a case within them (a few milliseconds for the largest body), so that
# neither the checks nor the evaluation ever see a case beyond them.


def unreadable_problem(err: UnreadableInput) -> ProblemError:
    """The problem document of a body the case loader cannot read."""
    if err.code == "too-large":
        return ProblemError(413, "too-large", {"max_body": err.details.get("limit")}, err.problems)
    return ProblemError(400, err.code, err.details, err.problems)


@dataclass(frozen=True)
class PageRequest:
    """`?paper=` and `?format=`: a paper (or the report, or a review's conclusion) as HTML or PDF."""

    paper: PaperChoice
    fmt: Literal["html", "pdf"]


# The papers `?paper=` names (the report itself is `?format=html|pdf` alone), as the CLI's --paper.
PAPERS = ("acceptance", "talon", "refusal", "receipt", "conclusion")


def page_request(request: Request, mode: Mode) -> PageRequest | None:
    """The page asked for by `?paper=acceptance|talon|refusal|receipt|conclusion` and `?format=html|pdf`
    (html by default; `format=pdf` alone prints the report), or None for the JSON report."""
    paper, fmt = request.query_params.get("paper"), request.query_params.get("format")
    problems = [
        Problem(REQUEST_NAME, None, f"{name} is given more than once: give it once", (name,), "bad-parameter")
        for name in ("paper", "format")
        if len(request.query_params.getlist(name)) > 1
    ]
    if paper is None and fmt in (None, "json") and not problems:
        return None
    if paper is not None and paper not in PAPERS:
        expected = ", ".join(PAPERS)
        problems.append(Problem(REQUEST_NAME, None, f"paper {paper!r}: expected {expected}", ("paper",), "bad-paper"))
    if fmt not in (None, "html", "pdf"):
        problems.append(Problem(REQUEST_NAME, None, f"format {fmt!r}: expected html or pdf", ("format",), "bad-format"))
    if problems:
        raise ProblemError(422, "bad-parameters", {}, problems)
    choice = paper_choice(paper, mode)
    return PageRequest(choice, "pdf" if fmt == "pdf" else "html")


def print_page(
    body: bytes, kind: MediaKind, mode: Mode, ruleset: RuleSet, lang: Lang, page: PageRequest, limits: Limits
) -> tuple[bytes, str]:
    """A request body → the paper asked for, as HTML or PDF bytes and their media type, or a `ProblemError`
    (422 paper-not-due where the case does not call for it, 501 pdf-unavailable without ereje[pdf])."""
    case, compiled, decision = _decided(body, kind, mode, ruleset, limits, default_id="")
    try:
        html_page = paper_html(decision, compiled, case, page.paper, lang)
    except PaperNotDue as e:
        problem = Problem(REQUEST_NAME, None, str(e), ("paper",), "paper-not-due")
        raise ProblemError(422, "paper-not-due", {}, [problem]) from None
    if page.fmt == "html":
        return html_page.encode("utf-8"), "text/html; charset=utf-8"
    try:
        return to_pdf(html_page), "application/pdf"
    except PdfUnavailable:
        raise ProblemError(501, "pdf-unavailable") from None


def read_bounded(
    body: bytes, kind: MediaKind, ruleset: RuleSet, limits: Limits, default_id: str | None = None
) -> tuple[Case, CompiledRules]:
    """The request's case read by the one case loader within the service's bounds, or a `ProblemError`
    (`default_id`: the id of a case that names none; the request's name unless given)."""
    try:
        loaded, source = read_case(body, kind, REQUEST_NAME)  # read once: bounded, then checked
        over = bound_problems(loaded, limits)
        if over:
            raise ProblemError(422, "case-too-large", {"count": len(over)}, over)
        return check_read_case(loaded, source, kind, ruleset, default_id=default_id)
    except UnreadableInput as e:
        raise unreadable_problem(e) from None
    except (InputErrors, InputError) as e:
        raise ProblemError(422, "invalid-case", {"count": len(e.problems)}, e.problems) from None


def _decided(
    body: bytes, kind: MediaKind, mode: Mode, ruleset: RuleSet, limits: Limits, default_id: str | None = None
) -> tuple[Case, CompiledRules, Decision]:
    """The request's case read (`read_bounded`) and decided. A paper names no case the body did not name
    (`default_id=""`: none, rather than the request's placeholder)."""
    case, compiled = read_bounded(body, kind, ruleset, limits, default_id)
    if case.id == "":
        case = case.model_copy(update={"id": None})
    try:
        return case, compiled, evaluate(compiled, case, mode)
    except (InputErrors, InputError) as e:  # a review without its decision
        raise ProblemError(422, "invalid-case", {"count": len(e.problems)}, e.problems) from None


def decide(
    body: bytes, kind: MediaKind, mode: Mode, ruleset: RuleSet, lang: ReportLang = "en", limits: Limits | None = None
) -> bytes:
    """A request body → the report's bytes in `lang` (as `ereje … --format json` writes them), or a `ProblemError`."""
    limits = limits or Limits()
    _, compiled, decision = _decided(body, kind, mode, ruleset, limits)
    out = report_bytes(decision, compiled, lang)
    if len(out) > limits.max_answer:
        problem = Problem(
            REQUEST_NAME, None, f"the report would be {len(out)} bytes; at most {limits.max_answer}", (), "too-large"
        )
        raise ProblemError(422, "answer-too-large", {"max_answer": limits.max_answer, "size": len(out)}, [problem])
    return out


async def read_body(request: Request, max_body: int, timeout: float | None = None) -> bytes:
    """The body, refused with 413 past `max_body` bytes (by Content-Length, and by the bytes that come) and
    with 408 when it has not come in full within `timeout` seconds (a stalled or trickling client)."""
    length = request.headers.get("content-length")
    if length is not None:
        if not length.strip().isdigit():
            raise ProblemError(400, "bad-content-length")
        if int(length) > max_body:
            raise ProblemError(413, "too-large", {"max_body": max_body})
    body = bytearray()

    async def receive_all() -> None:
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > max_body:
                raise ProblemError(413, "too-large", {"max_body": max_body})

    try:
        await asyncio.wait_for(receive_all(), timeout)
    except ClientDisconnect:
        raise ProblemError(400, "disconnected") from None
    except TimeoutError:
        raise ProblemError(408, "read-timeout", {"seconds": f"{timeout:g}"}) from None
    return bytes(body)


def media_kind(content_type: str | None) -> MediaKind:
    """JSON or YAML by the request's Content-Type; anything else, a missing one too, is 415.

    Both are read as UTF-8 only (RFC 8259 leaves JSON no other): a `charset` parameter may say
    `utf-8` (any case, quoted or not) and is then ignored; any other charset is refused, never transcoded.
    """
    media, *params = [p.strip() for p in (content_type or "").split(";")]
    media = media.lower()
    for p in params:
        name, _, value = p.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise ProblemError(415, "unsupported-media-type", {"media_type": content_type})
    if media in JSON_TYPES or (media.startswith("application/") and media.endswith("+json")):
        return "json"
    if media in YAML_TYPES:
        return "yaml"
    raise ProblemError(415, "unsupported-media-type", {"media_type": media or "(none)"})


# --- the rules version --------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rules_version(rules_dir: Path, std_root: Path | None = None) -> str:
    """A short hash over every rule file (shared vocabularies too), every standard, and Ereje's version."""
    h = hashlib.sha256(f"ereje {__version__}\n".encode())
    for p in sorted(rules_dir.rglob("*.yaml")):
        h.update(f"rules/{p.relative_to(rules_dir).as_posix()} {_sha256(p)}\n".encode())
    root = standards_root(std_root)
    for slug in list_slugs(std_root):
        h.update(f"standards/{slug} {_sha256(root / slug / 'standard.json')}\n".encode())
    return h.hexdigest()[:12]


# --- the app ------------------------------------------------------------------------------------------


def _case_schema(ruleset: RuleSet, limits: Limits) -> dict[str, Any]:
    """The published case schema, with the ids this service knows as enums (so generated cases reach the rules)
    and the service's bounds on its lists, maps and typed texts."""
    schema = json.loads(json.dumps(published_schema(CASE_SCHEMA)).replace('"#/$defs/', '"#/components/schemas/Case'))
    defs = {f"Case{k}": v for k, v in schema.pop("$defs", {}).items()}
    for key in ("$id", "$schema"):
        schema.pop(key, None)
    compiled = list(ruleset.by_slug.values())
    props = schema["properties"]
    if ruleset.by_slug:
        props["standard"] = {**props["standard"], "enum": sorted(ruleset.by_slug)}
    channels = sorted({ch.id for c in compiled for ch in c.rules.channels})
    if channels:
        props["channel"] = {**props["channel"], "enum": channels}
    docs = sorted({d for c in compiled for d in c.aliases})
    if docs and "CaseHandedDocument" in defs:
        hd = defs["CaseHandedDocument"]["properties"]
        hd["id"] = {**hd["id"], "enum": docs}
    facts = sorted({f for c in compiled for f in c.facts})
    if facts:
        props["facts"] = {**props["facts"], "propertyNames": {"enum": facts}}
    for key, bound in (("documents", "maxItems"), ("facts", "maxProperties"), ("events", "maxProperties")):
        if key in props:
            props[key] = {**props[key], bound: limits.entries((key,))}
    decision = defs.get("CaseDecision", {}).get("properties", {})
    for key in ("grounds", "demanded_documents"):
        if key in decision:
            items = {**decision[key].get("items", {}), "maxLength": limits.max_typed}
            decision[key] = {**decision[key], "maxItems": limits.entries(("decision", key)), "items": items}
    return {"Case": schema, **defs}


def _rule_file_view(compiled: CompiledRules) -> dict[str, Any]:
    """The compiled rule file by alias, with the shared vocabularies merged in (every fact, every name)."""
    rules = compiled.rules
    documents = [
        compiled.documents[d.id].model_copy(update={"name": compiled.document_names[d.id]}) for d in rules.documents
    ]
    merged = rules.model_copy(update={"facts": list(compiled.facts.values()), "documents": documents})
    data: dict[str, Any] = merged.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


def _standard_meta(std: Standard) -> dict[str, Any]:
    data = std.model_dump(mode="json", exclude={"units"})
    data["paragraphs"] = [u.id for u in std.paragraphs()]
    return data


# The safety headers of every response (the page, its files, the docs page, the API, every error): the
# page and the docs page load nothing but this server's files, are never framed, and ask for no device.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), usb=()"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", PERMISSIONS.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
)
ORIGINAL_METHOD = "ereje.method"  # the scope key that keeps a HEAD request's method while it is routed as GET


class _Envelope:
    """Pure ASGI middleware: the version, language and safety headers on every response, HEAD wherever GET
    is, and the catch-all.

    A HEAD request is routed as GET and answered with the GET's status and headers (Content-Length too)
    and no body. An exception nothing else handled becomes a 500 problem document with no traceback in
    it (the traceback goes to the server log); `app.state.internal_errors` counts them.
    """

    def __init__(self, app: Callable[..., Awaitable[None]], version: str, counter: list[int]) -> None:
        self.app = app
        self.version = version
        self.counter = counter

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accept = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"accept-language"), None)
        lang = negotiate_language(accept)
        started = False
        head = scope.get("method") == "HEAD"
        if head:  # a copy: the server keeps its own scope, and so still sends no body
            scope = {**scope, "method": "GET", ORIGINAL_METHOD: "HEAD"}

        async def wrapped(message: MutableMapping[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = [
                    (VERSION_HEADER.lower().encode(), self.version.encode()),
                    (b"vary", b"Accept-Language"),
                    *SECURITY_HEADERS,
                ]
                if b"content-language" not in names:
                    extra.append((b"content-language", lang.encode()))
                if message.get("status") == 405:
                    headers = [(k, _allow_head(v) if k.lower() == b"allow" else v) for k, v in headers]
                message["headers"] = headers + [(k, v) for k, v in extra if k not in names]
            elif head and message["type"] == "http.response.body" and message.get("body"):
                message = {**message, "body": b""}
            await send(message)

        try:
            await self.app(scope, receive, wrapped)
        except Exception:
            self.counter[0] += 1
            log.exception("internal error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = problem_response(lang, 500, "internal-error")
            await response(scope, receive, wrapped)


def _allow_head(allow: bytes) -> bytes:
    methods = [m.strip() for m in allow.split(b",") if m.strip()]
    if b"GET" in methods and b"HEAD" not in methods:
        methods.insert(methods.index(b"GET") + 1, b"HEAD")
    return b", ".join(methods)


DESCRIPTION = (
    "Check a case against a state service standard (a clerk's pre-check) or review a decision "
    "(a complaint reviewer's review); every finding cites its paragraph with the Kazakh text. "
    "The report is the same JSON as `ereje check --format json`. Errors are RFC 9457 problem "
    "documents; `Accept-Language` (kk, ru, en) selects their language. Every response carries "
    f"`{VERSION_HEADER}`, a hash of the rule files, the standards and Ereje's version. A case is sent "
    "with `Content-Type: application/json` or `application/yaml`, UTF-8 (a `charset` parameter other than "
    "utf-8 is 415, as is a missing Content-Type). HEAD is answered wherever GET is."
)


def create_app(
    rules_dir: Path | None = None,
    max_body: int | None = None,
    *,
    read_timeout: float | None = None,
    max_answer: int | None = None,
    limits: Limits | None = None,
) -> FastAPI:
    """The service: every rule file of `rules_dir` compiled now (a broken one raises its lint errors).

    `limits` bounds what one request may cost (`Limits()` by default); `max_body`, `read_timeout` and
    `max_answer` override one bound each."""
    limits = limits or Limits()
    if max_body is not None:
        limits = dataclasses.replace(limits, max_body=max_body)
    if read_timeout is not None:
        limits = dataclasses.replace(limits, read_timeout=read_timeout)
    if max_answer is not None:
        limits = dataclasses.replace(limits, max_answer=max_answer)
    given = rules_dir is not None
    rules_dir = Path(rules_dir) if rules_dir is not None else default_rules_dir()
    if not rules_dir.is_dir():
        raise InputErrors([Problem(str(rules_dir), None, "not a folder of rule files", (), "rules-dir")])
    # Not named: found by the usual precedence, so reports name the same origin as the CLI's.
    ruleset = RuleSet.load([rules_dir] if given else None)
    table = standards_table(rules_dir, ruleset)
    version = rules_version(rules_dir)
    counter = [0]

    app = FastAPI(
        title="Ereje",
        version=__version__,
        summary="Rules-as-code for Kazakhstan's state service standards.",
        description=f"{DESCRIPTION}\n\n{limits.describe()}",
        docs_url=None,  # our own page (`/docs`), which loads nothing from elsewhere; no ReDoc
        redoc_url=None,
    )
    app.state.ruleset = ruleset
    app.state.rules_version = version
    app.state.max_body = limits.max_body
    app.state.limits = limits
    app.state.internal_errors = counter

    _add_error_handlers(app)
    # The routes in this order: it is the order of the paths in the OpenAPI document.
    _add_meta_routes(app, ruleset, version, len(table))
    _add_standard_routes(app, ruleset, table)
    _add_case_routes(app, ruleset, limits)
    _add_question_routes(app, ruleset, limits)
    _add_page(app)
    app.openapi = functools.partial(_openapi, app, ruleset)  # type: ignore[method-assign]
    app.add_middleware(_Envelope, version=version, counter=counter)
    return app


# --- the server: the settings `ereje serve` runs uvicorn with ----------------------------------------------

MAX_HEAD = 16 * 1024  # bytes of a request line and headers (h11's bound, stated here)


def server_settings(app: FastAPI) -> dict[str, Any]:
    """uvicorn.run's settings for `app`: idle keep-alive connections closed after `KEEP_ALIVE` s, a request
    head bounded to `MAX_HEAD` bytes and due within the app's read timeout (the body's deadline is the
    app's own, in `read_body`)."""
    limits: Limits = app.state.limits
    return {
        "http": timed_h11_protocol(limits.read_timeout),
        "timeout_keep_alive": KEEP_ALIVE,
        "h11_max_incomplete_event_size": MAX_HEAD,
    }


def timed_h11_protocol(timeout: float) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol, closing a connection on which the client has owed bytes for `timeout` seconds:
    a request head begun (or a connection opened) and not finished, or the rest of a body the app has
    already answered (a 413 before the body was read). uvicorn itself times out idle keep-alive
    connections only, so a client that sent half a head and stalled would be kept for ever; while the
    app reads a body, the app's own deadline applies (`read_body`)."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class TimedH11Protocol(H11Protocol):
        _owed_timer: asyncio.TimerHandle | None = None

        def _owed(self) -> bool:
            their, ours = self.conn.their_state, self.conn.our_state
            return their is h11.IDLE or (their is h11.SEND_BODY and ours in (h11.DONE, h11.MUST_CLOSE))

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._owed():
                self._arm()
            else:
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if self.conn.their_state is h11.SEND_BODY:  # answered before the body came: the rest is owed
                self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            if self._owed_timer is None and not self.transport.is_closing():
                self._owed_timer = self.loop.call_later(timeout, self._expired)

        def _disarm(self) -> None:
            if self._owed_timer is not None:
                self._owed_timer.cancel()
                self._owed_timer = None

        def _expired(self) -> None:
            self._owed_timer = None
            if self._owed() and not self.transport.is_closing():
                self.transport.close()

    return TimedH11Protocol


# --- error handlers -------------------------------------------------------------------------------------


ReportLang = Literal["kk", "ru", "en", "all"]


def report_language(request: Request) -> ReportLang:
    """The report's language: `?lang=` (kk, ru, en, or all for every rendered field in the three), else
    `Accept-Language`, else English."""
    query = request.query_params.get("lang")
    if query is None:
        return _lang_of(request)
    if query not in ("kk", "ru", "en", "all"):
        problem = Problem(REQUEST_NAME, None, f"lang {query!r}: expected kk, ru, en or all", ("lang",), "bad-lang")
        raise ProblemError(422, "bad-parameters", {}, [problem])
    return query  # type: ignore[return-value]


def _content_language(lang: ReportLang) -> str:
    return "kk, ru, en" if lang == "all" else lang


def _lang_of(request: Request) -> Lang:
    """The language of words the service writes: `?lang=` where it names one, else `Accept-Language`."""
    query = request.query_params.get("lang")
    if query in ("kk", "ru", "en"):
        return query  # type: ignore[return-value]
    return negotiate_language(request.headers.get("accept-language"))


def _add_error_handlers(app: FastAPI) -> None:
    """Our `ProblemError`s, Starlette's HTTP errors (404, 405, …) and FastAPI's parameter errors, all as
    problem documents in the request's language."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> Response:
        return problem_response(_lang_of(request), exc.status, exc.code, exc.fields, exc.errors, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        path = request.url.path
        if exc.status_code == 404:
            return problem_response(_lang_of(request), 404, "not-found", {"path": path})
        if exc.status_code == 405:
            headers = dict(exc.headers or {})
            method = request.scope.get(ORIGINAL_METHOD, request.method)
            return problem_response(
                _lang_of(request), 405, "method-not-allowed", {"path": path, "method": method}, None, headers
            )
        status = exc.status_code if exc.status_code in _TITLES else 400
        return problem_response(_lang_of(request), status, "bad-parameters", {})

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            Problem(
                REQUEST_NAME,
                None,
                str(e.get("msg", "")),
                tuple(p for p in e.get("loc", ()) if isinstance(p, str | int)),
                "request",
            )
            for e in exc.errors()
        ]
        return problem_response(_lang_of(request), 422, "bad-parameters", {}, problems)


# --- meta: health ---------------------------------------------------------------------------------------


def _add_meta_routes(app: FastAPI, ruleset: RuleSet, version: str, standards: int) -> None:
    @app.get("/health", response_model=Health, tags=["service"])
    def health() -> Health:
        """Liveness, Ereje's version, the rules version and the standards with rules."""
        return Health(
            status="ok", ereje=__version__, rules_version=version, rules=sorted(ruleset.by_slug), standards=standards
        )


# --- standards ------------------------------------------------------------------------------------------


def _standard_or_404(slug: str, slugs: set[str]) -> Standard:
    if slug not in slugs:
        hint = did_you_mean(slug, slugs)
        raise ProblemError(
            404,
            "unknown-standard",
            {"slug": slug, "hint": hint},
            [Problem(REQUEST_NAME, None, f"no standard {slug!r}{hint}", ("slug",), "unknown-standard")],
        )
    return load_standard(slug)


def _standard_detail(std: Standard, compiled: CompiledRules | None) -> dict[str, Any]:
    return {
        "standard": _standard_meta(std),
        "rules": _rule_file_view(compiled) if compiled else None,
        "rules_file": compiled.rule_file if compiled else None,  # relative to the rules root, never a path
        "rules_sha256": compiled.sha256 if compiled else None,
    }


MAX_CITATION = 200  # characters of a citation in a URL ('11-тармақтың 2) тармақшасының а) тармақшасы' has 45)


def _paragraph(std: Standard, citation: str) -> dict[str, Any]:
    """The unit CITATION names, with its Kazakh text; a 404 problem for a bad citation or an unknown unit."""
    slug = std.slug
    try:
        if len(citation) > MAX_CITATION:  # before the parser, whose cache would keep it
            raise CitationError(f"{len(citation)} characters: a citation has at most {MAX_CITATION}")
        cit = parse_citation(citation)
    except CitationError as e:
        raise ProblemError(
            404,
            "bad-citation",
            {"citation": citation},
            [Problem(REQUEST_NAME, None, str(e), ("citation",), "bad-citation")],
        ) from None
    unit = std.unit(cit.unit)
    if unit is None:
        hint = did_you_mean(cit.unit, [u.id for u in std.units])
        raise ProblemError(
            404,
            "unknown-paragraph",
            {"slug": slug, "unit": cit.unit, "hint": hint},
            [Problem(REQUEST_NAME, None, f"{slug} has no unit {cit.unit!r}{hint}", ("citation",), "unknown-paragraph")],
        )
    return {
        "standard": slug,
        "unit": unit.id,
        "label_kk": cit.kazakh(),
        "kind": unit.kind,
        "title": unit.title,
        "lines": unit.lines.model_dump(mode="json"),
        "text": std.full_text(unit.id),
        "amendments": [a.model_dump(mode="json") for a in std.amendments_of(unit.id)],
    }


def _add_standard_routes(app: FastAPI, ruleset: RuleSet, table: list[dict[str, Any]]) -> None:
    slugs = {row["slug"] for row in table}
    details: dict[str, dict[str, Any]] = {}  # the same for every request: built once per standard

    @app.get("/standards", response_model=list[StandardRow], tags=["standards"])
    def standards() -> JSONResponse:
        """The standards: title, period in force, paragraphs, whether rules encode them and their coverage."""
        return JSONResponse(table)

    @app.get(
        "/standards/{slug}",
        response_model=StandardDetail,
        responses=_problem_responses(404),
        tags=["standards"],
    )
    def standard(slug: str) -> JSONResponse:
        """A standard's metadata and its rule file: channels, facts with labels, documents with their conditions,
        forms and alternatives, refusal grounds, terms and fee."""
        std = _standard_or_404(slug, slugs)
        if slug not in details:
            details[slug] = _standard_detail(std, ruleset.by_slug.get(slug))
        return JSONResponse(details[slug])

    @app.get(
        "/standards/{slug}/paragraphs/{citation}",
        response_model=Paragraph,
        responses=_problem_responses(404),
        tags=["standards"],
    )
    def paragraph(slug: str, citation: str) -> JSONResponse:
        """A unit's Kazakh text. CITATION is a unit id (`11.2`, `7.1.а`, `11.u1`, `annex-1`) or the Kazakh
        form (`11-тармақтың 2) тармақшасы`), URL-encoded."""
        return JSONResponse(_paragraph(_standard_or_404(slug, slugs), citation))


# --- cases ----------------------------------------------------------------------------------------------

CASE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The case (the same fields as a case file of `cases/`), as JSON or as YAML text.",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Case"}},
            "application/yaml": {"schema": {"type": "string"}},
        },
    },
    "parameters": [
        {
            "name": "lang",
            "in": "query",
            "required": False,
            "description": "The report's language; `all` makes every rendered field an object of kk, ru and en. "
            "Default: `Accept-Language`, else en.",
            "schema": {"type": "string", "enum": ["kk", "ru", "en", "all"]},
        }
    ],
}


def _report_responses() -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": "The report (the same JSON as `ereje check|review --format json --lang …`)",
            "model": ReportJson,
        },
        **_problem_responses(400, 408, 413, 415, 422),
    }


DECIDING = 4  # cases read and decided at once (more only queue for the interpreter, and add to the memory)
INLINE_BODY = 16_384  # bytes: a case body up to this is decided on the event loop (see `handle`)


def _add_case_routes(app: FastAPI, ruleset: RuleSet, limits: Limits) -> None:
    limiter: list[anyio.CapacityLimiter] = []  # made in the event loop, on the first case

    async def handle(request: Request, mode: Mode) -> Response:
        lang = report_language(request)
        page = page_request(request, mode)
        kind = media_kind(request.headers.get("content-type"))
        try:
            body = await read_body(request, limits.max_body, limits.read_timeout)
        except ProblemError as e:
            # A client that stalled does not get its connection back. (After a 413 the rest of the body is
            # read and dropped, within the server's read timeout: closing at once would reset the
            # connection under a client still sending, before it reads the answer.)
            if e.status == 408:
                e.headers = {"Connection": "close"}
            raise
        if not limiter:
            limiter.append(anyio.CapacityLimiter(DECIDING))
        if page is not None:
            if lang == "all":
                problem = Problem(REQUEST_NAME, None, "a paper is in one language: kk, ru or en", ("lang",), "bad-lang")
                raise ProblemError(422, "bad-parameters", {}, [problem])
            printed = functools.partial(print_page, body, kind, mode, ruleset, lang, page, limits)
            out, media = await anyio.to_thread.run_sync(printed, limiter=limiter[0])
            # The paper's one inline style is allowed by its hash; nothing else of the policy changes.
            policy = CSP.replace("style-src 'self'", f"style-src 'self' '{STYLE_HASH}'")
            headers = {"Content-Language": lang, "Content-Security-Policy": policy, **PAGE_HEADERS}
            return Response(out, media_type=media, headers=headers)
        call = functools.partial(decide, body, kind, mode, ruleset, lang, limits)
        # A case of a usual size is decided on the event loop: handing it to a thread costs more than
        # deciding it (the GIL gives a thread no parallelism; measured 555 → 951 requests/s on one worker),
        # and it takes well under a millisecond. A large one goes to a thread, so the loop keeps answering.
        if len(body) <= INLINE_BODY:
            out = call()
        else:
            out = await anyio.to_thread.run_sync(call, limiter=limiter[0])
        return Response(out, media_type="application/json", headers={"Content-Language": _content_language(lang)})

    responses = _report_responses()

    @app.post("/check", response_model=None, responses=responses, openapi_extra=CASE_BODY, tags=["cases"])
    async def check(request: Request) -> Response:
        """A clerk's pre-check: missing documents (by name and paragraph), eligibility, the fee, the due dates."""
        return await handle(request, "check")

    @app.post("/review", response_model=None, responses=responses, openapi_extra=CASE_BODY, tags=["cases"])
    async def review(request: Request) -> Response:
        """A complaint reviewer's review of the decision in the case: grounds, terms, documents demanded."""
        return await handle(request, "review")


# --- the clerk's form: its questions, the days a due date skipped, case files in and out ---------------
#
# Thin shells over validator.decision.questions, .due_dates and .casefile; the body is read as /check reads
# it (the one case loader, within the service's `Limits`), so a bad file comes back as the loader's problems
# with their lines.


class QuestionOut(_Out):
    """A fact the form asks now (see `validator.decision.questions`)."""

    fact: str
    established_by: Literal["applicant", "authority"]
    answered: bool


class SkippedDayOut(_Out):
    """A day off a due date stepped over: a holiday (`holiday` its id), the day off after a holiday on a
    weekend (observed), a day off transferred from the weekend day `worked_on`, or a weekend."""

    day: date
    kind: Literal["holiday", "observed", "transferred", "weekend"]
    holiday: str | None
    worked_on: date | None


class DueDateOut(_Out):
    """A term counted in days: from its start to its due date, and the days off it skipped."""

    term: str
    unit: str
    start: date
    due: date
    nominal: date | None = Field(description="Calendar and month terms: the last day, had it been a working day.")
    skipped: list[SkippedDayOut]
    worked: list[date] = Field(description="Weekend days a decree made working days, counted by the term.")


class InterviewOut(_Out):
    """What the clerk's form shows for a case as it stands: the questions, in the form's order, and the due
    dates with the days off they skipped."""

    questions: list[QuestionOut]
    due_dates: list[DueDateOut]


_MODE_PARAMETER = {
    "name": "mode",
    "in": "query",
    "required": False,
    "description": "`check` (a clerk's pre-check, the default) or `review` (the case then needs its decision).",
    "schema": {"type": "string", "enum": ["check", "review"]},
}
_FORMAT_PARAMETER = {
    "name": "format",
    "in": "query",
    "required": False,
    "description": "`json` (the default): the case as the form reads it; `yaml`: the project's case file.",
    "schema": {"type": "string", "enum": ["json", "yaml"]},
}


# The case as /case-file gives it back: `Case`'s fields, its times without an offset (office time).
_CASE_FILE = {
    "type": "object",
    "required": ["standard", "channel", "submitted_on"],
    "properties": {
        "standard": {"type": "string"},
        "channel": {"type": "string"},
        "submitted_on": {"type": "string", "format": "date"},
        "events": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}


def _query_choice(request: Request, name: str, allowed: tuple[str, ...]) -> str:
    """A query parameter among `allowed` (the first by default), else 422 bad-parameters naming it."""
    value = request.query_params.get(name, allowed[0])
    if value not in allowed:
        problem = Problem(
            REQUEST_NAME, None, f"{name} {value!r}: expected {' or '.join(allowed)}", (name,), "bad-" + name
        )
        raise ProblemError(422, "bad-parameters", {}, [problem])
    return value


def read_form_case(body: bytes, kind: MediaKind, ruleset: RuleSet, limits: Limits) -> tuple[Case, CompiledRules]:
    """The body read as /check reads a case (the one loader, the service's bounds), or a `ProblemError`.
    A case that names no id keeps none (the loader would give it the request's name)."""
    case, compiled = read_bounded(body, kind, ruleset, limits, default_id="")
    return (case.model_copy(update={"id": None}) if case.id == "" else case), compiled


def interview(body: bytes, kind: MediaKind, mode: Mode, ruleset: RuleSet, limits: Limits) -> bytes:
    """A request body → the form's questions and due dates as JSON, or a `ProblemError`."""
    case, compiled = read_form_case(body, kind, ruleset, limits)
    try:
        asked = questions(compiled, case, mode)
        dues = due_dates(compiled, evaluate(compiled, case, mode))
    except (InputErrors, InputError) as e:  # a review without its decision
        raise ProblemError(422, "invalid-case", {"count": len(e.problems)}, e.problems) from None
    out = {
        "questions": [dataclasses.asdict(q) for q in asked],
        "due_dates": [dataclasses.asdict(d) for d in dues],
    }
    return json.dumps(out, ensure_ascii=False, default=str).encode("utf-8")


def case_file(body: bytes, kind: MediaKind, fmt: str, ruleset: RuleSet, limits: Limits) -> tuple[bytes, str, str]:
    """A request body → the checked case as JSON (for the form) or as the project's YAML case file, with its
    media type and a file name (`<standard>-<submitted on>.yaml`, or the case's id)."""
    case, _ = read_form_case(body, kind, ruleset, limits)
    name = f"{case.id or f'{case.standard}-{case.submitted_on.isoformat()}'}.yaml"
    if fmt == "yaml":
        return case_yaml(case).encode("utf-8"), "application/yaml; charset=utf-8", name
    return json.dumps(plain(case_data(case)), ensure_ascii=False).encode("utf-8"), "application/json", name


def attachment(name: str) -> str:
    """A Content-Disposition for a file named `name` (a case's id may be Kazakh, hold quotes or line breaks):
    an ASCII name for old clients, and the name itself in UTF-8 (RFC 6266, RFC 5987)."""
    stem, _, suffix = name[:120].rpartition(".")
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("_") or "case"
    return f"attachment; filename=\"{ascii_name}.{suffix}\"; filename*=UTF-8''{quote(f'{stem}.{suffix}', safe='')}"


def _add_question_routes(app: FastAPI, ruleset: RuleSet, limits: Limits) -> None:
    """POST /interview (the form's questions and due dates) and POST /case-file (a case file in and out)."""
    limiter: list[anyio.CapacityLimiter] = []  # made in the event loop, on the first request

    async def body_of(request: Request) -> tuple[bytes, MediaKind]:
        kind = media_kind(request.headers.get("content-type"))
        body = await read_body(request, limits.max_body, limits.read_timeout)
        if not limiter:
            limiter.append(anyio.CapacityLimiter(DECIDING))
        return body, kind

    problems = _problem_responses(400, 408, 413, 415, 422)
    interview_doc = {**CASE_BODY, "parameters": [_MODE_PARAMETER]}
    file_doc = {**CASE_BODY, "parameters": [_FORMAT_PARAMETER]}
    file_ok = {
        "description": "The case, checked: as JSON (`format=json`) or as a YAML case file (`format=yaml`), the fields "
        "of `Case` with what is empty left out, times on the office's clock as the case files write them "
        "(2013-05-06T11:30)",
        "content": {"application/json": {"schema": _CASE_FILE}, "application/yaml": {"schema": {"type": "object"}}},
    }

    @app.post("/interview", response_model=InterviewOut, responses=problems, openapi_extra=interview_doc, tags=["form"])
    async def interview_route(request: Request) -> Response:
        """The questions the clerk's form shows for the case as it stands (only the facts the decision waits
        for or rests on, in the form's order, each the applicant's or the authority's to establish) and each
        due date with the holidays and transferred days off it skipped."""
        mode = _query_choice(request, "mode", ("check", "review"))
        body, kind = await body_of(request)
        call = functools.partial(interview, body, kind, mode, ruleset, limits)  # type: ignore[arg-type]
        return Response(await anyio.to_thread.run_sync(call, limiter=limiter[0]), media_type="application/json")

    @app.post(
        "/case-file", response_model=None, responses={200: file_ok, **problems}, openapi_extra=file_doc, tags=["form"]
    )
    async def case_file_route(request: Request) -> Response:
        """A case file read by the one case loader (YAML or JSON; its problems with their lines) and given
        back checked: as JSON to fill the form, or as the project's YAML case file to save."""
        fmt = _query_choice(request, "format", ("json", "yaml"))
        body, kind = await body_of(request)
        call = functools.partial(case_file, body, kind, fmt, ruleset, limits)
        out, media, name = await anyio.to_thread.run_sync(call, limiter=limiter[0])
        headers = {"Content-Disposition": attachment(name)} if fmt == "yaml" else {}
        return Response(out, media_type=media, headers=headers)


# --- the page -------------------------------------------------------------------------------------------

PAGE_HEADERS = {"Cache-Control": "no-cache"}  # the safety headers come with every response (`_Envelope`)


def _add_page(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    @app.get("/paper.css", include_in_schema=False)
    def paper_css() -> Response:
        """The papers' style (validator/report/paper.css), for the page's printed papers."""
        return Response(PAPER_STYLE, media_type="text/css; charset=utf-8", headers=PAGE_HEADERS)

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        """The API's pages: /openapi.json read by our own script (operations, parameters, schemas)."""
        return FileResponse(STATIC_DIR / "docs.html", media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")


# --- the OpenAPI document ---------------------------------------------------------------------------------


def _openapi(app: FastAPI, ruleset: RuleSet) -> dict[str, Any]:
    """FastAPI's document, with the case schema (the ids this service knows as enums), the problem document,
    the rules-version header on every response, and 422s as problem documents. Built once."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(_case_schema(ruleset, app.state.limits))
    problem_schema = ProblemDocument.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(problem_schema.pop("$defs", {}))
    components["ProblemDocument"] = problem_schema
    header = {
        VERSION_HEADER: {
            "description": "The rules version: a hash of the rule files, the standards and Ereje's version.",
            "schema": {"type": "string"},
        }
    }
    for ops in schema.get("paths", {}).values():
        for op in ops.values():
            for status, resp in op.get("responses", {}).items():
                resp.setdefault("headers", {}).update(header)
                if status == "422" and "application/json" in resp.get("content", {}):
                    resp["content"] = {
                        "application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDocument"}}
                    }
                    resp["description"] = "The request is not valid"
    app.openapi_schema = schema
    return schema


__all__ = ["ProblemError", "create_app", "negotiate_language", "rules_version"]
