"""The catalogue of finding codes and their messages in Kazakh, Russian and English.

Messages are rendered from a code and its context (pydantic's `type` + `ctx`), never parsed back:
clients branch on `code`. `{name}` is the subject's name in the message's language.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from validator.decision.report import Messages, build
from validator.rules.model import Text

# code → (kk, ru, en)
CATALOGUE: dict[str, tuple[str, str, str]] = {
    "not-in-force": (
        "Стандарт {date} күні қолданыста болмаған (қолданылу мерзімі: {start} – {end}). {repeal}",
        "Стандарт не действовал на {date} (период действия: {start} – {end}). {repeal}",
        "The standard was not in force on {date} (in force {start} to {end}). {repeal}",
    ),
    "amended-after-case": (
        "{unit} кейін өзгертілген: {decree}; іс {date} күнгі, сол кездегі мәтін басқаша болуы мүмкін.",
        "{unit} изменён позже: {decree}; дело от {date}, действовавшая тогда редакция могла отличаться.",
        "{unit} was amended later by {decree}; the case is dated {date}, so the text then in force may differ.",
    ),
    "channel-information-only": (
        "«{name}» арқылы тек ақпарат алынады, өтініш берілмейді.",
        "Через «{name}» предоставляется только информация, заявление не подаётся.",
        "'{name}' gives information only; no application is filed there.",
    ),
    "ineligible": (
        "Алушы талапқа сай емес: {name}.",
        "Заявитель не соответствует требованию: {name}.",
        "The applicant does not meet the requirement: {name}.",
    ),
    "needs-data": (
        "Шешу үшін деректер жетіспейді ({what}): {facts}.",
        "Недостаточно данных для решения ({what}): {facts}.",
        "Data needed to decide ({what}): {facts}.",
    ),
    "document-missing": (
        "Құжат ұсынылмаған: {name}.",
        "Не представлен документ: {name}.",
        "Missing document: {name}.",
    ),
    "document-wrong-form": (
        "Құжат талап етілген нысанда емес: {name} ({given}; талап: {forms}).",
        "Документ не в требуемой форме: {name} ({given}; требуется: {forms}).",
        "Document not in the required form: {name} ({given}; required: {forms}).",
    ),
    "document-not-listed": (
        "Тізбеде жоқ құжат ұсынылған: {name}.",
        "Представлен документ, которого нет в перечне: {name}.",
        "A document not on the list was handed in: {name}.",
    ),
    "refusal-ground-applies": (
        "Бас тарту негізі бар: {name}.",
        "Имеется основание для отказа: {name}.",
        "A ground for refusal applies: {name}.",
    ),
    "suspension-ground-applies": (
        "Тоқтата тұру негізі бар: {name}.",
        "Имеется основание для приостановления: {name}.",
        "A ground for suspension applies: {name}.",
    ),
    "fee-due": (
        "Мемлекеттік баж: {amount} теңге (АЕК {mci} теңгенің {percent}%, {on}).",
        "Государственная пошлина: {amount} тенге ({percent}% МРП {mci} тенге на {on}).",
        "State duty due: {amount} tenge ({percent}% of the MCI of {mci} tenge on {on}).",
    ),
    "fee-unpaid": (
        "Мемлекеттік баж төленбеген: {amount} теңге.",
        "Государственная пошлина не уплачена: {amount} тенге.",
        "The state duty of {amount} tenge has not been paid.",
    ),
    "fee-underpaid": (
        "Мемлекеттік баж толық төленбеген: {paid} теңге, керегі {amount} теңге.",
        "Государственная пошлина уплачена не полностью: {paid} тенге из {amount} тенге.",
        "State duty underpaid: {paid} tenge paid, {amount} tenge due.",
    ),
    "fee-not-due": (
        "Қызмет тегін; {paid} теңге төлем талап етілмейді.",
        "Услуга бесплатна; платёж {paid} тенге не требуется.",
        "The service is free; the payment of {paid} tenge is not due.",
    ),
    "mci-unverified": (
        "{year} жылғы АЕК мәні ({mci} теңге) расталмаған.",
        "Значение МРП за {year} год ({mci} тенге) не подтверждено источником.",
        "The MCI value for {year} ({mci} tenge) is not verified against its law.",
    ),
    "outside-schedule": (
        "Өтініш қабылдау кестесінен тыс берілген: {when}.",
        "Заявление подано вне графика приёма: {when}.",
        "The application was handed in outside the reception schedule: {when}.",
    ),
    "term-breached": (
        "Мерзім бұзылған: {name} — {due} дейін, іс жүзінде {ended}.",
        "Срок нарушен: {name} — до {due}, фактически {ended}.",
        "Term breached: {name} — due {due}, done {ended}.",
    ),
    "term-overdue": (
        "Мерзім өтіп кетті: {name} — {due} дейін, әлі орындалмаған ({on}).",
        "Срок истёк: {name} — до {due}, не исполнено на {on}.",
        "Term overdue: {name} — due {due}, not done by {on}.",
    ),
    "term-kept": (
        "Мерзім сақталған: {name} ({due} дейін).",
        "Срок соблюдён: {name} (до {due}).",
        "Term kept: {name} (due {due}).",
    ),
    "term-due": (
        "Мерзім: {name} — {due} дейін.",
        "Срок: {name} — до {due}.",
        "Due: {name} — by {due}.",
    ),
    "refusal-without-ground": (
        "Бас тарту негізсіз: шешімде стандарттағы негіз аталмаған.",
        "Отказ без основания: в решении не указано основание из стандарта.",
        "Refusal without a ground: the decision names no ground of the standard.",
    ),
    "ground-not-listed": (
        "«{name}» негізі стандартта жоқ; негіздер тізбесі жабық.",
        "Основание «{name}» не предусмотрено стандартом; перечень оснований закрыт.",
        "The ground '{name}' is not among the standard's grounds; the list is closed.",
    ),
    "ground-kind-mismatch": (
        "«{name}» — {kind_kk} негізі; ол «{outcome_kk}» шешіміне негіз бола алмайды.",
        "«{name}» — основание для {kind_ru}; оно не может обосновать решение «{outcome_ru}».",
        "'{name}' is a ground for {kind_en}; it cannot support a decision of '{outcome_en}'.",
    ),
    "ground-not-supported": (
        "«{name}» негізі іс мән-жайларымен расталмайды.",
        "Основание «{name}» не подтверждается обстоятельствами дела.",
        "The facts do not support the ground '{name}'.",
    ),
    "ground-supported": (
        "«{name}» негізі іс мән-жайларымен расталады.",
        "Основание «{name}» подтверждается обстоятельствами дела.",
        "The facts support the ground '{name}'.",
    ),
    "ground-not-verifiable": (
        "«{name}» негізі басқа заңға сүйенеді; мән-жайын осы стандарт бойынша тексеру мүмкін емес.",
        "Основание «{name}» опирается на другой закон; проверить его по этому стандарту нельзя.",
        "The ground '{name}' rests on another law and cannot be checked from this standard.",
    ),
    "document-demanded-beyond-list": (
        "Тізбеден тыс құжат талап етілген: {name}.",
        "Истребован документ сверх перечня: {name}.",
        "A document beyond the list was demanded: {name}.",
    ),
    "fee-demanded-unlawfully": (
        "Заңсыз төлем талап етілген: {demanded} теңге (керегі {amount} теңге).",
        "Незаконно истребована плата: {demanded} тенге (положено {amount} тенге).",
        "A fee was demanded unlawfully: {demanded} tenge ({amount} tenge due).",
    ),
}


# The kinds of ground and the decisions, as the ground-kind-mismatch message names them.
KIND_WORDS: dict[str, dict[str, str]] = {
    "refusal": {"kind_kk": "бас тарту", "kind_ru": "отказа", "kind_en": "refusal"},
    "refuse-acceptance": {
        "kind_kk": "қабылдаудан бас тарту",
        "kind_ru": "отказа в приёме",
        "kind_en": "refusing acceptance",
    },
    "suspension": {"kind_kk": "тоқтата тұру", "kind_ru": "приостановления", "kind_en": "suspension"},
    "termination": {"kind_kk": "тоқтату", "kind_ru": "прекращения", "kind_en": "termination"},
}
OUTCOME_WORDS: dict[str, dict[str, str]] = {
    "refused": {"outcome_kk": "бас тарту", "outcome_ru": "отказ", "outcome_en": "refused"},
    "refused-acceptance": {
        "outcome_kk": "қабылдаудан бас тарту",
        "outcome_ru": "отказ в приёме",
        "outcome_en": "refused acceptance",
    },
    "suspended": {"outcome_kk": "тоқтата тұру", "outcome_ru": "приостановление", "outcome_en": "suspended"},
    "terminated": {"outcome_kk": "тоқтату", "outcome_ru": "прекращение", "outcome_en": "terminated"},
    "issued": {"outcome_kk": "беру", "outcome_ru": "выдача", "outcome_en": "issued"},
}


def render(code: str, ctx: Mapping[str, object], names: Text | None = None) -> Messages:
    """The message of a finding in kk, ru and en. Messages are values: the same code, context and
    names give the same message, so it is rendered once (dates and amounts recur across cases)."""
    try:
        key = tuple(sorted(ctx.items()))
        hash(key)
    except TypeError:  # a context holding per-language dicts (needs-data): render each time
        return _render(code, ctx, names)
    return _render_cached(code, key, names)


@functools.lru_cache(maxsize=16384)
def _render_cached(code: str, key: tuple[tuple[str, object], ...], names: Text | None) -> Messages:
    return _render(code, dict(key), names)


def _render(code: str, ctx: Mapping[str, object], names: Text | None) -> Messages:
    kk, ru, en = CATALOGUE[code]
    out = []
    for lang, template in (("kk", kk), ("ru", ru), ("en", en)):
        values = {k: (v.get(lang, "") if isinstance(v, dict) else v) for k, v in ctx.items()}
        if names is not None:
            values["name"] = getattr(names, lang)
        out.append(template.format(**values).replace("  ", " ").strip())
    return build(Messages, kk=out[0], ru=out[1], en=out[2])  # built here, no need to re-validate
