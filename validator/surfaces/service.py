"""The HTTP service and the clerk's page (`ereje serve`): a thin shell over the library, no rule logic here.

Every rule file is compiled once, when the app is created; a broken one stops the start (the
`InputErrors` propagates, and the CLI prints it and exits 2). A case comes in as JSON (or YAML with
`Content-Type: application/yaml`), is read by the case loader every surface uses
(`validator.decision.load`), decided, and rendered in the language of `?lang=` (kk, ru, en, all) or
else of `Accept-Language`: the same bytes as `ereje check --format json --lang …`. Errors are RFC 9457 problem documents
(`application/problem+json`) whose `errors` are the library's `Problem.to_json()` with the JSON path
into the input; their `title` and `detail` follow `Accept-Language` (kk, ru, en; default en).
"""

from __future__ import annotations

import functools
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
from validator.decision.load import MediaKind, UnreadableInput, load_case_text
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
from validator.report.render import to_json
from validator.report.schema import ReportJson
from validator.rules.compiler import CASE_SCHEMA, CompiledRules, published_schema
from validator.rules.model import RuleFile
from validator.rules.ruleset import RuleSet, default_rules_dir
from validator.surfaces.catalog import standards_table

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
        413: "The body is too large",
        415: "The content type is neither JSON nor YAML",
        422: "The case is not valid (schema, unknown standard, channel, document or fact)",
        500: "A bug in Ereje (never expected)",
    }
    return {
        s: {"description": descriptions[s], "content": {"application/problem+json": {"schema": ref}}} for s in statuses
    }


# --- reading a case from a request body -----------------------------------------------------------------
#
# The body is read and checked by the case loader (`validator.decision.load`), as the CLI and batch read
# a case; here its errors become problem documents: what cannot be read is 400 with the loader's code
# (413 past the loader's size limit), what is not a valid case is 422 `invalid-case`.


def unreadable_problem(err: UnreadableInput) -> ProblemError:
    """The problem document of a body the case loader cannot read."""
    if err.code == "too-large":
        return ProblemError(413, "too-large", {"max_body": err.details.get("limit")}, err.problems)
    return ProblemError(400, err.code, err.details, err.problems)


def decide(body: bytes, kind: MediaKind, mode: Mode, ruleset: RuleSet, lang: ReportLang = "en") -> bytes:
    """A request body → the report's bytes in `lang` (as `ereje … --format json` writes them), or a `ProblemError`."""
    try:
        case, compiled = load_case_text(body, kind, ruleset, REQUEST_NAME)
        decision = evaluate(compiled, case, mode)
    except UnreadableInput as e:
        raise unreadable_problem(e) from None
    except (InputErrors, InputError) as e:
        raise ProblemError(422, "invalid-case", {"count": len(e.problems)}, e.problems) from None
    return to_json(decision, compiled, lang).encode("utf-8")


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


def media_kind(content_type: str | None) -> MediaKind:
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


DESCRIPTION = (
    "Check a case against a state service standard (a clerk's pre-check) or review a decision "
    "(a complaint reviewer's review); every finding cites its paragraph with the Kazakh text. "
    "The report is the same JSON as `ereje check --format json`. Errors are RFC 9457 problem "
    "documents; `Accept-Language` (kk, ru, en) selects their language. Every response carries "
    f"`{VERSION_HEADER}`, a hash of the rule files, the standards and Ereje's version."
)


def create_app(rules_dir: Path | None = None, max_body: int = 256_000) -> FastAPI:
    """The service: every rule file of `rules_dir` compiled now (a broken one raises its lint errors)."""
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
        description=DESCRIPTION,
    )
    app.state.ruleset = ruleset
    app.state.rules_version = version
    app.state.max_body = max_body
    app.state.internal_errors = counter

    _add_error_handlers(app)
    # The routes in this order: it is the order of the paths in the OpenAPI document.
    _add_meta_routes(app, ruleset, version, len(table))
    _add_standard_routes(app, ruleset, table)
    _add_case_routes(app, ruleset, max_body)
    _add_page(app)
    app.openapi = functools.partial(_openapi, app, ruleset)  # type: ignore[method-assign]
    app.add_middleware(_Envelope, version=version, counter=counter)
    return app


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
        return problem_response(_lang_of(request), exc.status, exc.code, exc.fields, exc.errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        path = request.url.path
        if exc.status_code == 404:
            return problem_response(_lang_of(request), 404, "not-found", {"path": path})
        if exc.status_code == 405:
            headers = dict(exc.headers or {})
            return problem_response(
                _lang_of(request), 405, "method-not-allowed", {"path": path, "method": request.method}, None, headers
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


def _paragraph(std: Standard, citation: str) -> dict[str, Any]:
    """The unit CITATION names, with its Kazakh text; a 404 problem for a bad citation or an unknown unit."""
    slug = std.slug
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
        **_problem_responses(400, 413, 415, 422),
    }


def _add_case_routes(app: FastAPI, ruleset: RuleSet, max_body: int) -> None:
    async def handle(request: Request, mode: Mode) -> Response:
        lang = report_language(request)
        kind = media_kind(request.headers.get("content-type"))
        body = await read_body(request, max_body)
        out = await run_in_threadpool(decide, body, kind, mode, ruleset, lang)
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


# --- the page -------------------------------------------------------------------------------------------

PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "Cache-Control": "no-cache",
}


def _add_page(app: FastAPI) -> None:
    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

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


__all__ = ["ProblemError", "create_app", "negotiate_language", "rules_version"]
