"""The message catalogue: every word of a report that does not come from a rule file, in kk, ru, en.

A finding's message is a template of its code; `{name}` is the name of the finding's subject (from
the rule file, in the report's language) and the other fields are the finding's typed parameters,
each written as the language writes it (`validator.report.locale`). Clients branch on the code,
never on the text.
"""

from __future__ import annotations

from typing import Final

# code → (kk, ru, en)
MESSAGES: Final[dict[str, tuple[str, str, str]]] = {
    "not-in-force": (
        "Стандарт {date} күні қолданыста болмаған (қолданылу мерзімі: {start} – {end}).",
        "Стандарт не действовал на {date} (период действия: {start} – {end}).",
        "The standard was not in force on {date} (in force {start} to {end}).",
    ),
    "repealed-by": (
        "Үкіметтің {repeal} қаулысымен күші жойылған.",
        "Отменён постановлением Правительства {repeal}.",
        "Repealed by Government decree {repeal}.",
    ),
    "amended-after-case": (
        "{unit} кейін Үкіметтің {decree} қаулысымен өзгертілген; іс {date} күнгі, сол кездегі мәтін "
        "басқаша болуы мүмкін.",
        "{unit} изменён позже постановлением Правительства {decree}; дело от {date}, действовавшая тогда редакция "
        "могла отличаться.",
        "{unit} was amended later by Government decree {decree}; the case is dated {date}, so the text then in force "
        "may differ.",
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
    "ineligible.venue": (
        "Өтініш стандартта көрсетілген жерге берілмеген: {name}.",
        "Заявление подано не туда, куда предусматривает стандарт: {name}.",
        "Not handed in where the standard says: {name}.",
    ),
    "needs-data": (
        "Істе көрсетілмеген: {facts}. Осыған байланысты: {name}.",
        "В деле не указано: {facts}. От этого зависит: {name}.",
        "Not stated in the case: {facts}. It decides: {name}.",
    ),
    "document-missing": (
        "Құжат ұсынылмаған: {name}.",
        "Не представлен документ: {name}.",
        "Missing document: {name}.",
    ),
    "document-wrong-form": (
        "Құжат талап етілген нысанда емес: {name} (ұсынылғаны: {given}; талап етілетіні: {forms}).",
        "Документ не в требуемой форме: {name} (представлено: {given}; требуется: {forms}).",
        "Document not in the required form: {name} (given: {given}; required: {forms}).",
    ),
    "document-form-unstated": (
        "Құжаттың нысаны істе көрсетілмеген: {name} (талап етілетіні: {forms}); нысанын қызметкер тексеруі тиіс.",
        "Форма документа в деле не указана: {name} (требуется: {forms}); форму должен проверить сотрудник.",
        "The case does not say in which form this document was handed in: {name} (required: {forms}); the clerk "
        "must check its form.",
    ),
    # What the standard attaches to an incomplete set: the officer refuses to accept it (and the receipt
    # sentence follows where the text gives one), or the authority has a ground to refuse the service.
    "document-id-deprecated": (
        "{name}: {given} деген бұрынғы идентификатор; енді {id} жазылады.",
        "{name}: {given} — прежний идентификатор; теперь указывается {id}.",
        "{name}: {given} is the id this document had before; use {id}.",
    ),
    "document-not-asked-here": (
        "{name}: стандарт бұл құжатты осы жүгіну орнында немесе осы жағдайда талап етпейді; оны талап ететін "
        "тармақтар көрсетілген.",
        "{name}: стандарт не требует этот документ по этому каналу или в этой ситуации; пункты, где он требуется, "
        "указаны.",
        "{name}: the standard does not ask for this document on this channel or in this situation; the paragraphs "
        "that ask for it are cited.",
    ),
    "document-short": (
        "{name}: {count} дана талап етіледі, {given} дана берілген.",
        "{name}: требуется {count} шт., представлено {given} шт.",
        "{name}: {count} are required, {given} handed in.",
    ),
    "document-count-unstated": (
        "{name}: {count} дана талап етіледі; істе қанша берілгені көрсетілмеген.",
        "{name}: требуется {count} шт.; в деле не указано, сколько представлено.",
        "{name}: {count} are required; the case does not say how many were handed in.",
    ),
    "document-expired": (
        "{name}: {issued_on} берілген, ал {valid_from} бастап берілгені қажет.",
        "{name}: выдан {issued_on}, а требуется выданный не ранее {valid_from}.",
        "{name}: issued on {issued_on}; it must have been issued on or after {valid_from}.",
    ),
    "document-date-unstated": (
        "{name}: {valid_from} бастап берілгені қажет; істе берілген күні көрсетілмеген.",
        "{name}: требуется выданный не ранее {valid_from}; в деле не указана дата выдачи.",
        "{name}: it must have been issued on or after {valid_from}; the case does not give its issue date.",
    ),
    "acceptance-refused": (
        "Құжаттар толық емес, сондықтан қабылданбайды: {name}. Жетіспейтін құжаттар: {documents}.",
        "Пакет документов неполный, поэтому документы не принимаются: {name}. Недостающие документы: {documents}.",
        "The set is incomplete, so the documents are not accepted: {name}. Missing: {documents}.",
    ),
    "acceptance-refused.receipt": (
        "Қызметкер мемлекеттік қызмет алушыға осы жетіспейтін құжаттар көрсетілген қолхат береді ({receipt}).",
        "Сотрудник выдаёт заявителю расписку с указанием этих недостающих документов ({receipt}).",
        "The officer hands the applicant a receipt (қолхат) naming these missing documents ({receipt}).",
    ),
    "incomplete-set-ground": (
        "Құжаттар толық болмаса, стандарт бойынша {kind} негізі бар: {name}. Жетіспейтін құжаттар: {documents}.",
        "При неполном пакете документов стандарт даёт основание для {kind}: {name}. Недостающие документы: "
        "{documents}.",
        "With the set incomplete, the standard gives a ground for {kind}: {name}. Missing: {documents}.",
    ),
    # Facts only the authority establishes (tax debt, a criminal case, a medical finding): not the clerk's.
    "authority-will-verify": (
        "Уәкілетті орган анықтайтын мән-жайлар (қабылдау кезінде қызметкер тексермейді): {facts}.",
        "Обстоятельства, которые устанавливает уполномоченный орган (сотрудник при приёме их не проверяет): {facts}.",
        "What the authority will establish (not for the clerk to check at intake): {facts}.",
    ),
    # On a verdict already decided, the open questions that cannot change it, in one line.
    "also-not-stated": (
        "Істе тағы көрсетілмеген, бірақ қорытындыны өзгертпейтін деректер: {facts}.",
        "В деле также не указано (на заключение не влияет): {facts}.",
        "Also not stated in the case, without bearing on the verdict: {facts}.",
    ),
    # needs-data / also-not-stated where the case leaves a document's form out.
    "forms-not-stated": (
        "Нысаны істе көрсетілмеген құжаттар: {forms_of}.",
        "В деле не указана форма документов: {forms_of}.",
        "The case does not say in which form these were handed in: {forms_of}.",
    ),
    "needs-data.forms": (
        "Істе құжаттың нысаны көрсетілмеген: {forms_of}. Осыған байланысты: {name}.",
        "В деле не указана форма документа: {forms_of}. От этого зависит: {name}.",
        "The case does not say in which form this was handed in: {forms_of}. It decides: {name}.",
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
        "Мемлекеттік баж: {amount} ({on} күнгі АЕК {mci} мөлшерінің {percent}).",
        "Государственная пошлина: {amount} ({percent} МРП {mci} на {on}).",
        "State duty due: {amount} ({percent} of the MCI of {mci} on {on}).",
    ),
    "fee-unpaid": (
        "Мемлекеттік баж төленбеген: {amount}.",
        "Государственная пошлина не уплачена: {amount}.",
        "The state duty of {amount} has not been paid.",
    ),
    "fee-payment-unstated": (
        "Төлем туралы құжат ұсынылды, бірақ төленген сомасы мен күні көрсетілмеген: оларды түбіртектен жазыңыз "
        "(керегі {amount}).",
        "Документ об оплате представлен, но сумма и дата платежа не указаны: внесите их по квитанции "
        "(требуется {amount}).",
        "The proof of payment is handed in but the amount and date paid are not stated: enter them from the "
        "receipt ({amount} is due).",
    ),
    "fee-underpaid": (
        "Мемлекеттік баж толық төленбеген: {paid} төленді, керегі {amount}.",
        "Государственная пошлина уплачена не полностью: {paid} из {amount}.",
        "State duty underpaid: {paid} paid, {amount} due.",
    ),
    "fee-not-due": (
        "Қызмет тегін; {paid} төлем талап етілмейді.",
        "Услуга бесплатна; платёж {paid} не требуется.",
        "The service is free; the payment of {paid} is not due.",
    ),
    "mci-unverified": (
        "{year} жылғы АЕК мәні ({mci}) ішкі анықтамалықтан алынған, республикалық бюджет туралы заңмен "
        "салыстырылмаған.",
        "Значение МРП за {year} год ({mci}) взято из встроенного справочника и не сверено с законом о бюджете.",
        "The MCI value for {year} ({mci}) comes from the built-in table and is not checked against the budget law.",
    ),
    "mci-unknown": (
        "{on} күнгі АЕК мәні ішкі анықтамалықта жоқ, сондықтан мемлекеттік баждың мөлшерін (АЕК-тің {percent}) "
        "тексеру мүмкін емес.",
        "Значения МРП на {on} нет во встроенном справочнике, поэтому размер государственной пошлины "
        "({percent} МРП) проверить нельзя.",
        "The MCI for {on} is not in the built-in table, so the state duty ({percent} of the MCI) cannot be checked.",
    ),
    "fee-paid-after-decision": (
        "Мемлекеттік баж {paid_on} күні, яғни {decided} күнгі шешімнен кейін төленген.",
        "Государственная пошлина уплачена {paid_on}, то есть после решения от {decided}.",
        "The state duty was paid on {paid_on}, after the decision of {decided}.",
    ),
    "outside-schedule": (
        "Өтініш қабылдау кестесінен тыс берілген: {when}.",
        "Заявление подано вне графика приёма: {when}.",
        "The application was handed in outside the reception schedule: {when}.",
    ),
    "outside-schedule-closed-day": (
        "Өтініш қабылдау кестесі бойынша қабылдау жүргізілмейтін күні берілген: {when}.",
        "Заявление подано в день, в который по графику приём не ведётся: {when}.",
        "The application was handed in on a day the reception schedule has no reception: {when}.",
    ),
    "outside-schedule-holiday": (
        "Өтініш мереке немесе демалыс күні берілген ({when}): қабылдау кестесі бойынша бұл күні қабылдау жоқ.",
        "Заявление подано в праздничный или выходной день ({when}): по графику приёма в этот день приёма нет.",
        "The application was handed in on a public holiday or day off ({when}): the reception schedule has no "
        "reception that day.",
    ),
    "term-breached": (
        "{name}: мерзім бұзылған — {due} дейін, іс жүзінде {ended}.",
        "{name}: срок нарушен — до {due}, фактически {ended}.",
        "{name}: term breached — due {due}, done {ended}.",
    ),
    "term-breached-across-days": (
        "{name}: мерзім бұзылған — {start} басталып, тек {ended} аяқталған.",
        "{name}: срок нарушен — начало {start}, окончание лишь {ended}.",
        "{name}: term breached — started {start}, ended only on {ended}.",
    ),
    "term-overdue": (
        "{name}: мерзім өтіп кетті — {due} дейін, {on} күні әлі орындалмаған.",
        "{name}: срок истёк — до {due}, на {on} не исполнено.",
        "{name}: term overdue — due {due}, not done by {on}.",
    ),
    "term-kept": (
        "{name}: мерзім сақталған ({due} дейін).",
        "{name}: срок соблюдён (до {due}).",
        "{name}: term kept (due {due}).",
    ),
    "term-end-not-recorded": (
        "{name}: аяқталған уақыты істе көрсетілмеген; мерзімнің сақталуы тексерілмеді.",
        "{name}: время окончания в деле не указано; соблюдение срока не проверялось.",
        "{name}: the case does not record when it ended; the term was not judged.",
    ),
    "term-not-judged": (
        "{name}: мерзім минутпен немесе сағатпен есептеледі, бірақ істе уақыты емес, тек күні көрсетілген; "
        "мерзімнің сақталуы тексерілмеді.",
        "{name}: срок исчисляется в минутах или часах, но в деле указана только дата, без времени; "
        "соблюдение срока не проверялось.",
        "{name}: the term is counted in minutes or hours, but the case gives only a date, without a clock time; "
        "the term is not judged.",
    ),
    "term-due": (
        "{name}: {due} дейін.",
        "{name}: до {due}.",
        "{name}: due {due}.",
    ),
    "term-due-latest": (
        "{name}: {due} дейін; уәкілетті орган мерзімді ұзартса, ең кеші {latest} дейін.",
        "{name}: до {due}; если уполномоченный орган продлит срок — не позднее {latest}.",
        "{name}: due {due}; if the authority extends the term, {latest} at the latest.",
    ),
    "term-breached-latest": (
        "{name}: мерзім ұзартылған жағдайда да бұзылған — ең кеші {latest} дейін, іс жүзінде {ended}.",
        "{name}: срок нарушен даже с продлением — не позднее {latest}, фактически {ended}.",
        "{name}: term breached even if extended — {latest} at the latest, done {ended}.",
    ),
    "term-overdue-latest": (
        "{name}: мерзім ұзартылған жағдайда да өтіп кетті — ең кеші {latest} дейін, {on} күні әлі орындалмаған.",
        "{name}: срок истёк даже с продлением — не позднее {latest}, на {on} не исполнено.",
        "{name}: term overdue even if extended — {latest} at the latest, not done by {on}.",
    ),
    "term-end-other-event": (
        "{name}: мерзім «{end_event}» оқиғасымен аяқталады ({due} дейін), ал істе тек «{given_event}» "
        "күні бар — {given}; мерзімнің сақталуы белгісіз.",
        "{name}: срок оканчивается событием «{end_event}» (до {due}), а в деле указано только «{given_event}» — "
        "{given}; соблюдение срока не установлено.",
        "{name}: the term ends with «{end_event}» (due {due}), but the case gives only «{given_event}», on "
        "{given}; whether it was kept is not known.",
    ),
    "term-end-date-not-given": (
        "{name}: шешім істе бар, бірақ «{end_event}» күні көрсетілмеген ({due} дейін еді); "
        "мерзімнің сақталуы белгісіз.",
        "{name}: решение в деле есть, но дата события «{end_event}» не указана (срок до {due}); соблюдение срока не "
        "установлено.",
        "{name}: the decision is in the case, but not the day of «{end_event}» (due {due}); whether the term was kept "
        "is not known.",
    ),
    "term-start-not-given": (
        "{name}: мерзім «{start_event}» оқиғасынан басталады, ол істе көрсетілмеген; {ended} аяқталған, "
        "мерзімнің сақталуы белгісіз.",
        "{name}: срок исчисляется от события «{start_event}», которое в деле не указано; окончание {ended}, "
        "соблюдение срока не установлено.",
        "{name}: the term runs from «{start_event}», which the case does not give; it ended {ended}, so whether "
        "it was kept is not known.",
    ),
    "term-kept-by-later-event": (
        "{name}: мерзім сақталған — «{given_event}» {given} болған, ал «{end_event}» одан кейін болмайды "
        "({due} дейін).",
        "{name}: срок соблюдён — «{given_event}» {given}, а «{end_event}» не может быть позже (до {due}).",
        "{name}: term kept — «{given_event}» on {given}, and «{end_event}» cannot come after it (due {due}).",
    ),
    "term-breached-by-earlier-event": (
        "{name}: мерзім бұзылған — «{given_event}» тек {given} болған, мерзім {due} дейін еді, ал "
        "«{end_event}» одан бұрын болмайды.",
        "{name}: срок нарушен — «{given_event}» лишь {given}, срок был до {due}, а «{end_event}» не может быть раньше.",
        "{name}: term breached — «{given_event}» only on {given}, after the due date {due}, and «{end_event}» "
        "cannot come before it.",
    ),
    "terms-not-running": (
        "Құжаттар қабылданбайды: мемлекеттік қызмет көрсету мерзімі басталмайды.",
        "Документы не принимаются: срок оказания государственной услуги не начинает течь.",
        "The documents are not accepted: no term of the service starts.",
    ),
    "refusal-without-ground": (
        "Бас тарту негізсіз: шешімде стандарттағы негіз аталмаған.",
        "Отказ без основания: в решении не указано основание из стандарта.",
        "Refusal without a ground: the decision names no ground of the standard.",
    ),
    "ground-not-listed": (
        "{given} негізі стандартта жоқ; негіздер тізбесі жабық.",
        "Основание {given} не предусмотрено стандартом; перечень оснований закрыт.",
        "The ground {given} is not among the standard's grounds; the list is closed.",
    ),
    # A wording a small edit away from a listed one: not matched (never a guess), the reviewer settles it.
    "ground-unclear": (
        "{given} стандарттағы бірде-бір негізге дәл сәйкес келмейді; «{candidate}» негізі меңзелген болуы мүмкін. "
        "Шешімдегі негізді нақтылау қажет.",
        "{given} не совпадает в точности ни с одним основанием стандарта; возможно, имелось в виду «{candidate}». "
        "Основание решения нужно уточнить.",
        "{given} is not exactly any ground of the standard; did you mean '{candidate}'? The ground of the decision "
        "needs to be settled.",
    ),
    "document-unclear": (
        "Талап етілген {given} тізбедегі бірде-бір құжатқа дәл сәйкес келмейді; «{candidate}» меңзелген болуы "
        "мүмкін. Қандай құжат талап етілгенін нақтылау қажет.",
        "Истребованный документ {given} не совпадает в точности ни с одним документом перечня; возможно, имелся в "
        "виду «{candidate}». Какой документ истребован, нужно уточнить.",
        "The document demanded, {given}, is not exactly any document of the list; did you mean '{candidate}'? "
        "Which document was demanded needs to be settled.",
    ),
    "ground-kind-mismatch": (
        "«{name}» — {kind} негізі; ол «{outcome}» туралы шешімге негіз бола алмайды.",
        "«{name}» — основание для {kind}, а не для решения «{outcome}».",
        "'{name}' is a ground for {kind}; it cannot support a decision of '{outcome}'.",
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
        "Тізбеден тыс құжат талап етілген: {document}.",
        "Истребован документ сверх перечня: {document}.",
        "A document beyond the list was demanded: {document}.",
    ),
    "document-demanded-beyond-list.elsewhere": (
        "Бұл жағдайда талап етілмейтін құжат талап етілген (стандарт оны басқа жүгіну орнында немесе басқа "
        "жағдайда ғана сұратады): {document}.",
        "Истребован документ, который в этом случае не требуется (стандарт требует его только по другому "
        "каналу или в другой ситуации): {document}.",
        "A document not required in this case was demanded (the standard asks for it only on another channel "
        "or in another situation): {document}.",
    ),
    "fee-demanded-unlawfully": (
        "Мемлекеттік баж артық талап етілген: {amount} орнына {demanded}.",
        "Государственная пошлина истребована в завышенном размере: {demanded} вместо {amount}.",
        "The state duty demanded is too high: {demanded} instead of {amount}.",
    ),
    # The same finding where nothing is due: the service is free.
    "fee-demanded-when-free": (
        "Заңсыз {demanded} төлем талап етілген: қызмет тегін.",
        "Незаконно истребована плата {demanded}: услуга бесплатна.",
        "A fee of {demanded} was demanded, but the service is free.",
    ),
}

# Words a report shows beside the messages: kind → id → (kk, ru, en).
WORDS: Final[dict[str, dict[str, tuple[str, str, str]]]] = {
    "verdict": {
        "accept": ("қабылдауға болады", "можно принять", "accept"),
        "incomplete": ("құжаттар толық емес", "документы представлены не полностью", "incomplete"),
        "ineligible": ("алушы талапқа сай емес", "заявитель не соответствует требованиям", "ineligible"),
        "refuse": ("бас тарту негізі бар", "есть основание для отказа", "refuse"),
        "not-in-force": ("стандарт ол күні қолданыста болмаған", "стандарт не действовал на эту дату", "not in force"),
        "needs-data": ("деректер жетіспейді", "недостаточно данных", "needs data"),
        "lawful": ("шешім заңды", "решение законно", "lawful"),
        "unlawful": ("шешім заңсыз", "решение незаконно", "unlawful"),
    },
    "severity": {
        "error": ("Қате", "Ошибка", "Error"),
        "warning": ("Ескерту", "Внимание", "Warning"),
        "info": ("Ақпарат", "Информация", "Info"),
    },
    "status": {
        "kept": ("сақталды", "срок соблюдён", "kept"),
        "breached": ("бұзылды", "срок нарушен", "breached"),
        "running": ("өтіп жатыр", "срок идёт", "running"),
        "overdue": ("өтіп кетті", "срок истёк", "overdue"),
        "not-started": ("басталуы туралы дерек жоқ", "нет данных о начале", "no start event"),
        "end-not-given": ("аяқталу күні көрсетілмеген", "дата окончания не указана", "end not given"),
        "not-known": ("ұзартылғаны белгісіз", "неизвестно, продлён ли срок", "not known whether extended"),
        "not-judged": (
            "уақыты көрсетілмеген, тексерілмеді",
            "время не указано, не проверялось",
            "no clock time, not judged",
        ),
        "start-not-given": ("басталу күні көрсетілмеген", "дата начала не указана", "start not given"),
    },
    "form": {
        "original": ("түпнұсқа", "оригинал", "original"),
        "copy": ("көшірме", "копия", "copy"),
        "original-and-copy": ("түпнұсқа және көшірме", "оригинал и копия", "original and copy"),
        "notarised-copy": (
            "нотариат куәландырған көшірме",
            "нотариально засвидетельствованная копия",
            "notarised copy",
        ),
        "notarised": ("нотариат куәландырған құжат", "нотариально удостоверенный документ", "notarised document"),
        "electronic": ("электрондық құжат", "электронный документ", "electronic document"),
        "unstated": ("нысаны көрсетілмеген", "форма не указана", "form not stated"),
    },
    "checklist-status": {
        "handed-in": ("иә", "да", "yes"),
        "missing": ("жоқ", "нет", "no"),
        "wrong-form": ("нысаны сәйкес емес", "не в той форме", "wrong form"),
        "form-unstated": ("нысаны көрсетілмеген", "форма не указана", "form not stated"),
        "short": ("саны жеткіліксіз", "не хватает по количеству", "too few"),
        "count-unstated": ("саны көрсетілмеген", "количество не указано", "count not stated"),
        "expired": ("мерзімі өткен", "срок действия истёк", "too old"),
        "date-unstated": ("берілген күні көрсетілмеген", "дата выдачи не указана", "issue date not stated"),
        "underpaid": ("баж толық төленбеген", "пошлина уплачена не полностью", "duty not paid in full"),
        "if-authority-finds": (
            "уәкілетті орган анықтаса ғана талап етіледі",
            "требуется, только если это установит уполномоченный орган",
            "required only if the authority finds",
        ),
    },
    "ground-kind": {
        "refusal": ("бас тарту", "отказа", "refusal"),
        "refuse-acceptance": ("қабылдаудан бас тарту", "отказа в приёме", "refusing acceptance"),
        "suspension": ("тоқтата тұру", "приостановления", "suspension"),
        "termination": ("тоқтату", "прекращения", "termination"),
    },
    "event": {
        "submitted": ("өтініш беру", "подача заявления", "submission"),
        "registered": ("өтінішті тіркеу", "регистрация заявления", "registration"),
        "forwarded": ("құжаттарды жіберу", "направление документов", "forwarding"),
        "received": ("құжаттардың келіп түсуі", "поступление документов", "receipt of the documents"),
        "decided": ("шешім қабылдау", "принятие решения", "decision"),
        "notified": ("хабардар ету", "уведомление", "notice"),
        "issued": ("нәтижені беру", "выдача результата", "issue of the result"),
        "queue_joined": ("кезекке тұру", "постановка в очередь", "joining the queue"),
        "service_started": ("қызмет көрсетудің басталуы", "начало обслуживания", "start of service"),
        "service_ended": ("қызмет көрсетудің аяқталуы", "окончание обслуживания", "end of service"),
        "collection_queue_joined": (
            "нәтижені алуға кезекке тұру",
            "постановка в очередь за результатом",
            "joining the queue to collect",
        ),
        "collection_service_started": (
            "нәтижені алу кезінде қызмет көрсетудің басталуы",
            "начало обслуживания при получении результата",
            "start of service at collection",
        ),
    },
    "outcome": {
        "refused": ("бас тарту", "отказ", "refused"),
        "refused-acceptance": ("қабылдаудан бас тарту", "отказ в приёме", "refused acceptance"),
        "suspended": ("тоқтата тұру", "приостановление", "suspended"),
        "terminated": ("тоқтату", "прекращение", "terminated"),
        "issued": ("беру", "выдача", "issued"),
    },
    "mode": {
        "check": ("Алдын ала тексеру", "Предварительная проверка", "Pre-check"),
        "review": ("Шағымды қарау", "Рассмотрение жалобы", "Complaint review"),
    },
    "heading": {
        "case": ("Іс", "Дело", "Case"),
        "standard": ("Стандарт", "Стандарт", "Standard"),
        "channel": ("Жүгіну орны", "Канал подачи", "Channel"),
        "submitted": ("Өтініш берілген күні", "Дата подачи", "Submitted"),
        "evaluated": ("Тексерілген күні", "Дата проверки", "Checked on"),
        "verdict": ("Қорытынды", "Заключение", "Verdict"),
        "checklist": ("Құжаттар", "Документы", "Documents"),
        "findings": ("Анықталған жайттар", "Результаты проверки", "Findings"),
        "law": ("Заң мәтіні", "Текст нормы", "The law"),
        "terms": ("Мерзімдер", "Сроки", "Terms"),
        "term": ("Мерзім", "Срок", "Term"),
        "duration": ("Ұзақтығы", "Длительность", "Duration"),
        "due": ("Соңғы күні", "Крайний срок", "Due"),
        "latest": ("ең кеші", "не позднее", "at the latest"),
        "status": ("Күйі", "Статус", "Status"),
        "fee": ("Төлем", "Плата", "Fee"),
        "free": ("тегін", "бесплатно", "free"),
        "state-duty": ("мемлекеттік баж", "государственная пошлина", "state duty"),
        "mci": ("АЕК", "МРП", "MCI"),
        "unknown-mci": ("АЕК мәні белгісіз", "значение МРП неизвестно", "MCI value unknown"),
        "severity": ("Маңызы", "Важность", "Severity"),
        "message": ("Хабарлама", "Сообщение", "Message"),
        "citation": ("Сілтеме", "Ссылка", "Citation"),
        "handed": ("Тапсырылды", "Представлен", "Handed in"),
        "wrong-form": ("нысаны сәйкес емес", "не в той форме", "wrong form"),
        "or": ("не", "либо", "or"),
        "yes-or-no": ("иә не жоқ", "да или нет", "yes or no"),
        "document": ("Құжат", "Документ", "Document"),
        "form": ("Нысаны", "Форма", "Form"),
        "yes": ("иә", "да", "yes"),
        "no": ("жоқ", "нет", "no"),
        "none": ("—", "—", "—"),
        "paper": ("Қолына берілетін құжат", "Выдаётся на руки", "Paper to hand over"),
    },
    # The papers' own words (validator.report.papers): titles, the lines each item fills, the blanks.
    "paper": {
        "refusal-receipt": (
            "Жетіспейтін құжаттар көрсетілген қолхат",
            "Расписка с указанием недостающих документов",
            "Receipt naming the missing documents",
        ),
        "none-given": (
            "жоқ: құжаттарды қабылдағаны туралы жазбаша растама берілмейді",
            "нет: письменное подтверждение о приёме документов не выдаётся",
            "none: no written confirmation of acceptance is given",
        ),
        "number": ("Нөмірі", "Номер", "Number"),
        "accepted-on": ("Қабылданған күні", "Дата приёма", "Accepted on"),
        "accepted-at": ("Қабылданған уақыты", "Время приёма", "Accepted at"),
        "service": (
            "Сұратылған мемлекеттік қызмет түрі",
            "Вид запрашиваемой государственной услуги",
            "Service requested",
        ),
        "documents": (
            "Қоса берілген құжаттардың саны мен атаулары",
            "Количество и наименования приложенных документов",
            "Number and names of the documents attached",
        ),
        "count": ("Барлығы", "Всего", "In all"),
        "result-due": ("Нәтижені беру күні", "Дата выдачи результата", "Result due on"),
        "hour": ("уақыты", "время", "time"),
        "result-place": ("Нәтижені беру орны", "Место выдачи результата", "Where the result is handed over"),
        "officer": (
            "Құжаттарды қабылдаған қызметкердің тегі, аты, әкесінің аты",
            "Фамилия, имя, отчество принявшего документы работника",
            "The accepting officer's full name",
        ),
        "applicant": (
            "Мемлекеттік қызмет алушының тегі, аты, әкесінің аты",
            "Фамилия, имя, отчество получателя государственной услуги",
            "The applicant's full name",
        ),
        "representative": (
            "Уәкілетті өкілдің тегі, аты, әкесінің аты",
            "Фамилия, имя, отчество уполномоченного представителя",
            "The authorised representative's full name",
        ),
        "phones": ("Байланыс телефондары", "Контактные телефоны", "Contact phones"),
        "acceptance-mark": (
            "Құжаттардың қабылданғаны туралы белгі",
            "Отметка о приёме документов",
            "Mark of acceptance of the documents",
        ),
        "accepted-mark": ("Құжаттар қабылданды", "Документы приняты", "Documents accepted"),
        "missing": ("Жетіспейтін құжаттар", "Недостающие документы", "Missing documents"),
        "ground": ("Бас тарту негізі", "Основание отказа", "Ground of the refusal"),
        "signature": ("Қолы", "Подпись", "Signature"),
        "date": ("Күні", "Дата", "Date"),
        "case": ("Іс", "Дело", "Case"),
        "law": ("Стандарттың талабы", "Требование стандарта", "What the standard requires"),
        "translation": (
            "",
            "",
            "English translation for information; the paper handed over is in Kazakh or Russian.",
        ),
        "conclusion": (
            "Шағымды қарау қорытындысы",
            "Заключение по рассмотрению жалобы",
            "Conclusion on the complaint",
        ),
        "report": ("Алдын ала тексеру нәтижесі", "Результат предварительной проверки", "Pre-check report"),
        "point": ("Тармақ", "Пункт", "Point"),
        "basis": ("Негізі", "Основание", "Basis"),
        "reviewer": ("Қараған", "Рассмотрел", "Reviewed by"),
        "decision": ("Шағым жасалған шешім", "Обжалуемое решение", "The decision complained of"),
        "grounds-given": ("Келтірілген негіздер", "Указанные основания", "Grounds given"),
        "demanded": ("Талап етілген құжаттар", "Истребованные документы", "Documents demanded"),
    },
}

# A term's length: unit → CLDR plural category → (kk, ru, en) pattern; `other` is always present.
DURATIONS: Final[dict[str, dict[str, tuple[str, str, str]]]] = {
    "calendar-days": {
        "one": ("{n} күнтізбелік күн", "{n} календарный день", "{n} calendar day"),
        "few": ("{n} күнтізбелік күн", "{n} календарных дня", "{n} calendar days"),
        "many": ("{n} күнтізбелік күн", "{n} календарных дней", "{n} calendar days"),
        "other": ("{n} күнтізбелік күн", "{n} календарного дня", "{n} calendar days"),
    },
    "working-days": {
        "one": ("{n} жұмыс күні", "{n} рабочий день", "{n} working day"),
        "few": ("{n} жұмыс күні", "{n} рабочих дня", "{n} working days"),
        "many": ("{n} жұмыс күні", "{n} рабочих дней", "{n} working days"),
        "other": ("{n} жұмыс күні", "{n} рабочего дня", "{n} working days"),
    },
    "months": {
        "one": ("{n} ай", "{n} месяц", "{n} month"),
        "few": ("{n} ай", "{n} месяца", "{n} months"),
        "many": ("{n} ай", "{n} месяцев", "{n} months"),
        "other": ("{n} ай", "{n} месяца", "{n} months"),
    },
    "hours": {
        "one": ("{n} сағат", "{n} час", "{n} hour"),
        "few": ("{n} сағат", "{n} часа", "{n} hours"),
        "many": ("{n} сағат", "{n} часов", "{n} hours"),
        "other": ("{n} сағат", "{n} часа", "{n} hours"),
    },
    "minutes": {
        "one": ("{n} минут", "{n} минута", "{n} minute"),
        "few": ("{n} минут", "{n} минуты", "{n} minutes"),
        "many": ("{n} минут", "{n} минут", "{n} minutes"),
        "other": ("{n} минут", "{n} минуты", "{n} minutes"),
    },
}
