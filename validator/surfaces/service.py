"""The HTTP service and the clerk's page (`ereje serve`): a thin shell over the library, no rule logic here.

Every rule file is compiled once, when the app is created; a broken one stops the start (the
`InputErrors` propagates, and the CLI prints it and exits 2). A case comes in as JSON (or YAML with
`Content-Type: application/yaml`) and the report goes out exactly as `report_json` writes it, the
same bytes as `ereje check --format json`. Errors are RFC 9457 problem documents
(`application/problem+json`) whose `errors` are the library's `Problem.to_json()` with the JSON path
into the input; their `title` and `detail` follow `Accept-Language` (kk, ru, en; default en).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from datetime import date
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from validator import __version__
from validator.decision.engine import Mode, evaluate
from validator.decision.report import Report
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
from validator.rules.compiler import CASE_SCHEMA, CompiledRules, published_schema
from validator.rules.model import RuleFile
from validator.rules.yamlload import MAX_DEPTH, Loaded, load_yaml_text
from validator.surfaces.catalog import standards_table
from validator.surfaces.jobs import RuleSet, default_rules_dir, parse_case, report_json

log = logging.getLogger("ereje.service")

STATIC_DIR = Path(__file__).parent / "static"
LANGS = ("kk", "ru", "en")
Lang = Literal["kk", "ru", "en"]
REQUEST_NAME = "<request>"
PROBLEM_TYPE = "https://ereje.kz/problems/"
VERSION_HEADER = "X-Ereje-Rules-Version"
JSON_TYPES = {"", "application/json"}
YAML_TYPES = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"}

# --- words of the problem documents ------------------------------------------------------------------

_TITLES: dict[int, tuple[str, str, str]] = {  # status → (kk, ru, en)
    400: ("Сұрау денесі оқылмайды", "Тело запроса не читается", "Bad request body"),
    404: ("Табылмады", "Не найдено", "Not found"),
    405: ("Әдіске рұқсат жоқ", "Метод не разрешён", "Method not allowed"),
    413: ("Сұрау денесі тым үлкен", "Тело запроса слишком велико", "Request body too large"),
    415: ("Мазмұн түріне қолдау жоқ", "Тип содержимого не поддерживается", "Unsupported media type"),
    422: ("Іс дұрыс толтырылмаған", "Дело заполнено неверно", "Invalid case"),
    500: ("Ішкі қате", "Внутренняя ошибка", "Internal error"),
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
    "unsupported-media-type": (
        "{media_type!r} түріне қолдау жоқ; application/json немесе application/yaml (UTF-8) жіберіңіз.",
        "Тип {media_type!r} не поддерживается; передайте application/json или application/yaml (UTF-8).",
        "{media_type!r} is not supported; send application/json or application/yaml (UTF-8).",
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


def _problem_body(status: int, code: str, lang: Lang, fields: Mapping[str, object], errors: list[Problem]) -> bytes:
    idx = LANGS.index(lang)
    title = _TITLES.get(status, _TITLES[400])[idx]
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


class StandardRow(_Out):
    slug: str
    title_kk: str
    title_en: str
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
        413: "The body is too large",
        415: "The content type is neither JSON nor YAML",
        422: "The case is not valid (schema, unknown standard, channel, document or fact)",
        500: "A bug in Ereje (never expected)",
    }
    return {
        s: {"description": descriptions[s], "content": {"application/problem+json": {"schema": ref}}} for s in statuses
    }


# --- reading a case from a request body -----------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ProblemError(
                400, "duplicate-key", {"key": k}, [Problem(REQUEST_NAME, None, f"duplicate key {k!r}", (), "bad-json")]
            )
        out[k] = v
    return out


def _depth(data: Any) -> int:
    deepest, stack = 0, [(data, 0)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if isinstance(node, dict):
            stack += [(v, d + 1) for v in node.values()]
        elif isinstance(node, list):
            stack += [(v, d + 1) for v in node]
    return deepest


def _strings(data: Any) -> list[str]:
    out, stack = [], [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            out += list(node.keys())
            stack += list(node.values())
        elif isinstance(node, list):
            stack += node
    return out


def _check_unicode(data: Any) -> None:
    for s in _strings(data):
        try:
            s.encode("utf-8")
        except UnicodeEncodeError:
            raise ProblemError(
                400, "bad-unicode", {}, [Problem(REQUEST_NAME, None, "lone UTF-16 surrogate", (), "bad-unicode")]
            ) from None


def _check_finite(data: Any) -> None:
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            msg = "a number too large for a double"
            raise ProblemError(400, "bad-number", {"message": msg}, [Problem(REQUEST_NAME, None, msg, (), "bad-json")])
        if isinstance(node, dict):
            stack += list(node.values())
        elif isinstance(node, list):
            stack += node


def _same(a: Any, b: Any) -> bool:
    """Equal values of equal types, all the way down (1, 1.0 and True differ)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _without_lines(problems: list[Problem]) -> list[Problem]:
    return [Problem(p.file, None, p.message, p.path, p.code) for p in problems]


def load_json_case(text: str) -> Loaded:
    """A JSON body as a loaded document, with the lines of the body where the YAML loader reads it alike."""
    text = text.removeprefix("\ufeff")  # a byte order mark may be ignored (RFC 8259, 8.1)
    try:
        data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as e:
        raise ProblemError(
            400,
            "bad-json",
            {"message": e.msg, "line": e.lineno, "column": e.colno},
            [Problem(REQUEST_NAME, e.lineno, f"{e.msg} (column {e.colno})", (), "bad-json")],
        ) from None
    except (ValueError, RecursionError) as e:
        msg = str(e) or type(e).__name__
        raise ProblemError(
            400, "bad-number", {"message": msg}, [Problem(REQUEST_NAME, None, msg, (), "bad-json")]
        ) from None
    _check_finite(data)
    _check_unicode(data)
    if _depth(data) > MAX_DEPTH:
        raise ProblemError(
            422,
            "invalid-case",
            {"count": 1},
            [Problem(REQUEST_NAME, None, f"nesting deeper than {MAX_DEPTH}", (), "bad-input")],
        )
    # Lines are found only when there is an error to report (see `with_lines`): a valid case pays for
    # one JSON parse, not a second YAML one.
    return Loaded(REQUEST_NAME, data, {})


def with_lines(text: str, data: Any) -> Loaded | None:
    """The same JSON body loaded by the YAML loader, for the lines of its errors, where YAML reads it alike."""
    try:
        loaded = load_yaml_text(text.removeprefix("\ufeff"), REQUEST_NAME)
    except (InputError, ValueError, RecursionError):
        return None
    return loaded if _same(loaded.data, data) else None


def load_yaml_case(text: str) -> Loaded:
    try:
        loaded = load_yaml_text(text, REQUEST_NAME)
    except InputError as e:
        raise ProblemError(400, "bad-yaml", {}, e.problems) from None
    except (ValueError, RecursionError) as e:  # e.g. an integer of more than 4300 digits
        msg = str(e) or type(e).__name__
        raise ProblemError(400, "bad-yaml", {}, [Problem(REQUEST_NAME, None, msg, (), "bad-input")]) from None
    _check_unicode(loaded.data)
    return loaded


async def read_body(request: Request, max_body: int) -> bytes:
    """The body, refused with 413 past `max_body` bytes: by Content-Length, and by the bytes that come."""
    length = request.headers.get("content-length")
    if length is not None:
        if not length.strip().isdigit():
            raise ProblemError(400, "bad-content-length")
        if int(length) > max_body:
            raise ProblemError(413, "too-large", {"max_body": max_body})
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_body:
                raise ProblemError(413, "too-large", {"max_body": max_body})
    except ClientDisconnect:
        raise ProblemError(400, "disconnected") from None
    return bytes(body)


def media_kind(content_type: str | None) -> Literal["json", "yaml"]:
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
    raise ProblemError(415, "unsupported-media-type", {"media_type": media})


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


def _case_schema(ruleset: RuleSet) -> dict[str, Any]:
    """The published case schema, with the ids this service knows as enums (so generated cases reach the rules)."""
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


class _Envelope:
    """Pure ASGI middleware: the version, language and safety headers on every response, and the catch-all.

    An exception nothing else handled becomes a 500 problem document with no traceback in it (the
    traceback goes to the server log); `app.state.internal_errors` counts them.
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

        async def wrapped(message: MutableMapping[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = [
                    (VERSION_HEADER.lower().encode(), self.version.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"vary", b"Accept-Language"),
                ]
                if b"content-language" not in names:
                    extra.append((b"content-language", lang.encode()))
                message["headers"] = headers + [(k, v) for k, v in extra if k not in names]
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


def create_app(rules_dir: Path | None = None, max_body: int = 256_000) -> FastAPI:
    """The service: every rule file of `rules_dir` compiled now (a broken one raises its lint errors)."""
    rules_dir = Path(rules_dir) if rules_dir is not None else default_rules_dir()
    if not rules_dir.is_dir():
        raise InputErrors([Problem(str(rules_dir), None, "not a folder of rule files", (), "rules-dir")])
    ruleset = RuleSet.load([rules_dir])
    table = standards_table(rules_dir, ruleset)
    slugs = {row["slug"] for row in table}
    version = rules_version(rules_dir)
    counter = [0]

    app = FastAPI(
        title="Ereje",
        version=__version__,
        summary="Rules-as-code for Kazakhstan's state service standards.",
        description=(
            "Check a case against a state service standard (a clerk's pre-check) or review a decision "
            "(a complaint reviewer's review); every finding cites its paragraph with the Kazakh text. "
            "The report is the same JSON as `ereje check --format json`. Errors are RFC 9457 problem "
            "documents; `Accept-Language` (kk, ru, en) selects their language. Every response carries "
            f"`{VERSION_HEADER}`, a hash of the rule files, the standards and Ereje's version."
        ),
    )
    app.state.ruleset = ruleset
    app.state.rules_version = version
    app.state.max_body = max_body
    app.state.internal_errors = counter

    def lang_of(request: Request) -> Lang:
        return negotiate_language(request.headers.get("accept-language"))

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> Response:
        return problem_response(lang_of(request), exc.status, exc.code, exc.fields, exc.errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        path = request.url.path
        if exc.status_code == 404:
            return problem_response(lang_of(request), 404, "not-found", {"path": path})
        if exc.status_code == 405:
            headers = dict(exc.headers or {})
            return problem_response(
                lang_of(request), 405, "method-not-allowed", {"path": path, "method": request.method}, None, headers
            )
        status = exc.status_code if exc.status_code in _TITLES else 400
        return problem_response(lang_of(request), status, "bad-parameters", {})

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
        return problem_response(lang_of(request), 422, "bad-parameters", {}, problems)

    # --- reading -------------------------------------------------------------------------------

    @app.get("/health", response_model=Health, tags=["service"])
    def health() -> Health:
        """Liveness, Ereje's version, the rules version and the standards with rules."""
        return Health(
            status="ok", ereje=__version__, rules_version=version, rules=sorted(ruleset.by_slug), standards=len(slugs)
        )

    @app.get("/standards", response_model=list[StandardRow], tags=["standards"])
    def standards() -> JSONResponse:
        """The standards: title, period in force, paragraphs, whether rules encode them and their coverage."""
        return JSONResponse(table)

    details: dict[str, dict[str, Any]] = {}

    def standard_or_404(slug: str) -> Standard:
        if slug not in slugs:
            hint = did_you_mean(slug, slugs)
            raise ProblemError(
                404,
                "unknown-standard",
                {"slug": slug, "hint": hint},
                [Problem(REQUEST_NAME, None, f"no standard {slug!r}{hint}", ("slug",), "unknown-standard")],
            )
        return load_standard(slug)

    @app.get(
        "/standards/{slug}",
        response_model=StandardDetail,
        responses=_problem_responses(404),
        tags=["standards"],
    )
    def standard(slug: str) -> JSONResponse:
        """A standard's metadata and its rule file: channels, facts with labels, documents with their conditions,
        forms and alternatives, refusal grounds, terms and fee."""
        std = standard_or_404(slug)
        if slug not in details:  # the same for every request: built once
            compiled = ruleset.by_slug.get(slug)
            details[slug] = {
                "standard": _standard_meta(std),
                "rules": _rule_file_view(compiled) if compiled else None,
                "rules_file": compiled.file if compiled else None,
                "rules_sha256": compiled.sha256 if compiled else None,
            }
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
        std = standard_or_404(slug)
        try:
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
                [
                    Problem(
                        REQUEST_NAME, None, f"{slug} has no unit {cit.unit!r}{hint}", ("citation",), "unknown-paragraph"
                    )
                ],
            )
        return JSONResponse(
            {
                "standard": slug,
                "unit": unit.id,
                "label_kk": cit.kazakh(),
                "kind": unit.kind,
                "title": unit.title,
                "lines": unit.lines.model_dump(mode="json"),
                "text": std.full_text(unit.id),
                "amendments": [a.model_dump(mode="json") for a in std.amendments_of(unit.id)],
            }
        )

    # --- evaluating ----------------------------------------------------------------------------

    def run_case(loaded: Loaded, mode: Mode, json_body: bool, text: str = "") -> bytes:
        # parse_case validates with the model (strict where the published schema is: amounts, dates as
        # text) and words any rejection with the schema's own errors.
        try:
            case, compiled = parse_case(loaded, ruleset)
            report: Report = evaluate(compiled, case, mode)
        except (InputErrors, InputError) as e:
            problems = e.problems
            relined = with_lines(text, loaded.data) if json_body else None
            if relined is not None:
                try:
                    parse_case(relined, ruleset)
                except (InputErrors, InputError) as again:
                    problems = again.problems
            elif json_body:
                problems = _without_lines(problems)
            raise ProblemError(422, "invalid-case", {"count": len(problems)}, problems) from None
        return report_json(report).encode("utf-8")

    async def handle(request: Request, mode: Mode) -> Response:
        kind = media_kind(request.headers.get("content-type"))
        body = await read_body(request, max_body)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ProblemError(
                400,
                "bad-encoding",
                {"offset": e.start},
                [Problem(REQUEST_NAME, None, f"not UTF-8 (invalid byte at offset {e.start})", (), "bad-encoding")],
            ) from None
        loaded = load_json_case(text) if kind == "json" else load_yaml_case(text)
        out = await run_in_threadpool(run_case, loaded, mode, kind == "json", text)
        return Response(out, media_type="application/json")

    case_body = {
        "requestBody": {
            "required": True,
            "description": "The case (the same fields as a case file of `cases/`), as JSON or as YAML text.",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Case"}},
                "application/yaml": {"schema": {"type": "string"}},
            },
        }
    }
    report_responses: dict[int | str, dict[str, Any]] = {
        200: {"description": "The report (the same JSON as `ereje check|review --format json`)", "model": Report},
        **_problem_responses(400, 413, 415, 422),
    }

    @app.post("/check", response_model=None, responses=report_responses, openapi_extra=case_body, tags=["cases"])
    async def check(request: Request) -> Response:
        """A clerk's pre-check: missing documents (by name and paragraph), eligibility, the fee, the due dates."""
        return await handle(request, "check")

    @app.post("/review", response_model=None, responses=report_responses, openapi_extra=case_body, tags=["cases"])
    async def review(request: Request) -> Response:
        """A complaint reviewer's review of the decision in the case: grounds, terms, documents demanded."""
        return await handle(request, "review")

    # --- the page ------------------------------------------------------------------------------

    page_headers = {
        "Content-Security-Policy": (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
        ),
        "Cache-Control": "no-cache",
    }

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8", headers=page_headers)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # --- the schema ----------------------------------------------------------------------------

    def openapi() -> dict[str, Any]:
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
        components.update(_case_schema(ruleset))
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

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(_Envelope, version=version, counter=counter)
    return app


__all__ = ["ProblemError", "create_app", "negotiate_language", "rules_version"]
