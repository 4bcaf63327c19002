/* Ereje — the clerk's page. Vanilla JS, no build step, nothing fetched but this server's API.
 *
 * The page holds no rule logic: it reads the standard's facts (GET /standards/{slug}), sends the case
 * to POST /check (or /review) and POST /interview whenever an input changes (debounced), and renders
 * what comes back: the questions the decision needs now (only those rows are shown; answers of hidden
 * ones stay in the case), the checklist the engine lists, the verdict, the missing documents and the
 * due dates with the days off they skipped, the findings with their citations, the terms and the fee.
 * A citation opens the paragraph's Kazakh text (GET .../paragraphs/{unit}). A case file is opened and
 * saved through POST /case-file, which reads it with the project's one case loader. The address bar
 * keeps the standard, the channel and the language (?standard=…&channel=…&lang=…).
 */
"use strict";

const LANGS = ["kk", "ru", "en"];
const EVENTS = [
  "submitted", "registered", "forwarded", "received", "decided", "notified", "issued",
  "queue_joined", "service_started", "service_ended", "collection_queue_joined", "collection_service_started",
];
// What the form itself writes into a case; anything else an opened file holds is carried along unchanged.
const FORM_KEYS = new Set(["standard", "channel", "submitted_on", "evaluated_on", "facts", "documents", "events", "payment", "decision", "paper"]);
// The lines a paper carries that the case does not otherwise hold: field of the case's `paper` block → input.
const PAPER_FIELDS = {
  number: "#paper-number", officer: "#paper-officer", applicant: "#paper-applicant",
  representative: "#paper-representative", phones: "#paper-phones", result_place: "#paper-place", accepted_at: "#paper-time",
};
const CLOCK_UNITS = new Set(["hours", "minutes"]);
// Checklist states that leave a document not in order (the summary lists them as missing).
const NOT_IN_ORDER = new Set(["missing", "wrong-form", "short", "expired", "underpaid", "form-unstated", "count-unstated", "date-unstated"]);

const I18N = {
  en: {
    skip: "Skip to the result",
    tagline: "State service standards: check a case, review a decision",
    language: "Language", case: "Case", mode: "Mode", mode_check: "Pre-check (clerk)", mode_review: "Review (complaint)",
    standard: "Standard", choose_standard: "— choose a standard —", channel: "Channel (where handed in)",
    submitted_on: "Submitted on", evaluated_on: "Evaluated on (optional)",
    facts: "Facts", facts_hint: "Only the questions the decision needs now are shown; leave what is not known unanswered.",
    applicant_facts: "Stated by the applicant", authority_fold: "Established by the authority (for reviewers)",
    all_no: "Unanswered: no", not_stated: "not stated", clear: "clear", clear_fact: "Clear the answer to",
    no_questions: "No question is needed now.", kept_answers: "Answers not needed now, kept in the case: {n}.",
    events: "Events (date and time)", payment: "Payment", payment_amount: "Amount paid, ₸", payment_date: "Date paid",
    decision: "Decision", outcome: "Outcome", choose: "— choose —", grounds: "Grounds given in the decision",
    no_grounds: "The rules list no grounds.",
    other_grounds: "Other grounds (one per line)", demanded: "Documents demanded (one per line)", demanded_fee: "Fee demanded, ₸",
    documents: "Documents", checklist_hint: "Tick each document as it is handed in.", form: "Form", which: "Which document",
    any_form: "— form —", missing: "missing", handed_in: "handed in", no_checklist: "The checklist appears when the case can be checked.",
    no_documents: "No documents apply to these facts.",
    result: "Result", missing_documents: "Missing documents", none_missing: "Nothing is missing.",
    due_dates: "Due dates", no_due: "No term runs yet.", no_due_refused: "The documents are not accepted: no term of the service starts.",
    latest: "at the latest", counted_from: "counted from {date}",
    skipped_working: "Days off not counted:", moved_end: "The last day, {date}, is a day off; moved past:",
    observed: "day off: {holiday} fell on a weekend", transferred: "day off transferred from {date}",
    worked_day: "{date}: a working day (a day off was moved)", holiday_generic: "public holiday",
    report: "Report", print: "Print", verdict: "Verdict", findings: "Findings", no_findings: "Nothing to note.",
    terms: "Terms", term: "Term", duration: "Duration", due: "Due", status: "Status", fee: "Fee", free: "free",
    state_duty: "State duty", paid: "paid", not_paid: "not paid", on: "on",
    prompt_standard: "Choose a standard.", prompt_channel: "Choose the channel.",
    prompt_date: "Enter the date the application was handed in.", prompt_outcome: "Choose the decision's outcome.",
    checking: "Checking…", problems: "The case is not valid:", server_error: "The server did not answer.",
    in_force: "In force", close: "Close", open_paragraph: "Open the text of", rules_version: "Rules version",
    api_docs: "API documentation",
    open_case: "Open a case file…", case_file: "Case file (YAML or JSON)", save_case: "Save as YAML",
    opened: "Opened {name}.", saved: "Saved {name}.", file_problems: "{name} cannot be opened:",
    save_problems: "The case cannot be saved:", line: "line {n}",
    print_check: "Result of the document check", print_review: "Result of the review of a decision",
    submitted: "Submitted", citation: "Citation", handed: "Handed in", document: "Document",
    print_note: "Checked with Ereje against the standard's text; each finding cites its paragraph.",
    yes: "yes", no: "no",
    paper_details: "For the papers (optional: what is left empty is a blank line to fill in by hand)",
    paper_number: "Talon or receipt number", paper_officer: "Officer (surname, name, patronymic)",
    paper_applicant: "Applicant (surname, name, patronymic)", paper_representative: "Representative (surname, name, patronymic)",
    paper_phones: "Contact phones", paper_place: "Where the result is handed over", paper_time: "Time of acceptance (if the date has none)",
    papers: "Papers to hand over", print_paper: "Print: {name}", print_conclusion: "Print the conclusion",
    paper_failed: "The paper could not be printed:",
  },
  ru: {
    skip: "Перейти к итогу",
    tagline: "Стандарты государственных услуг: проверка дела, рассмотрение решения",
    language: "Язык", case: "Дело", mode: "Режим", mode_check: "Предварительная проверка (сотрудник)", mode_review: "Рассмотрение жалобы",
    standard: "Стандарт", choose_standard: "— выберите стандарт —", channel: "Место подачи",
    submitted_on: "Дата подачи", evaluated_on: "Дата оценки (необязательно)",
    facts: "Обстоятельства", facts_hint: "Показаны только вопросы, нужные для решения сейчас; неизвестное оставьте без ответа.",
    applicant_facts: "Со слов заявителя", authority_fold: "Устанавливает орган (для рассмотрения жалоб)",
    all_no: "Без ответа — нет", not_stated: "не указано", clear: "сбросить", clear_fact: "Сбросить ответ:",
    no_questions: "Сейчас вопросов нет.", kept_answers: "Ответы, не нужные сейчас, сохранены в деле: {n}.",
    events: "События (дата и время)", payment: "Оплата", payment_amount: "Уплачено, ₸", payment_date: "Дата оплаты",
    decision: "Решение", outcome: "Результат", choose: "— выберите —", grounds: "Основания, указанные в решении",
    no_grounds: "В правилах нет оснований.",
    other_grounds: "Другие основания (каждое с новой строки)", demanded: "Истребованные документы (каждый с новой строки)",
    demanded_fee: "Истребованная плата, ₸",
    documents: "Документы", checklist_hint: "Отмечайте документы по мере сдачи.", form: "Форма", which: "Какой документ",
    any_form: "— форма —", missing: "нет", handed_in: "сдан", no_checklist: "Перечень появится, когда дело можно будет проверить.",
    no_documents: "При этих обстоятельствах документы не требуются.",
    result: "Итог", missing_documents: "Недостающие документы", none_missing: "Все документы в порядке.",
    due_dates: "Сроки", no_due: "Срок ещё не начался.", no_due_refused: "Документы не принимаются: срок оказания услуги не начинается.",
    latest: "не позднее", counted_from: "считая с {date}",
    skipped_working: "Не засчитаны выходные и праздники:", moved_end: "Последний день, {date}, — выходной; срок перенесён через:",
    observed: "выходной: {holiday} пришёлся на выходной день", transferred: "выходной, перенесённый с {date}",
    worked_day: "{date}: рабочий день (перенос выходного)", holiday_generic: "праздничный день",
    report: "Отчёт", print: "Печать", verdict: "Вердикт", findings: "Выводы", no_findings: "Замечаний нет.",
    terms: "Сроки", term: "Срок", duration: "Длительность", due: "Крайний срок", status: "Статус", fee: "Плата", free: "бесплатно",
    state_duty: "Государственная пошлина", paid: "уплачено", not_paid: "не уплачено", on: "",
    prompt_standard: "Выберите стандарт.", prompt_channel: "Выберите место подачи.",
    prompt_date: "Укажите дату подачи заявления.", prompt_outcome: "Выберите результат решения.",
    checking: "Проверка…", problems: "Дело заполнено неверно:", server_error: "Сервер не ответил.",
    in_force: "Период действия", close: "Закрыть", open_paragraph: "Открыть текст:", rules_version: "Версия правил",
    api_docs: "Документация API",
    open_case: "Открыть файл дела…", case_file: "Файл дела (YAML или JSON)", save_case: "Сохранить в YAML",
    opened: "Открыт файл {name}.", saved: "Сохранён файл {name}.", file_problems: "Файл {name} не открывается:",
    save_problems: "Дело нельзя сохранить:", line: "строка {n}",
    print_check: "Результат проверки документов", print_review: "Результат рассмотрения решения",
    submitted: "Подано", citation: "Ссылка", handed: "Сдан", document: "Документ",
    print_note: "Проверено Ereje по тексту стандарта; каждый вывод ссылается на свой пункт.",
    yes: "да", no: "нет",
    paper_details: "Для выдаваемых документов (необязательно: пустое поле остаётся строкой для заполнения от руки)",
    paper_number: "Номер талона или расписки", paper_officer: "Работник (фамилия, имя, отчество)",
    paper_applicant: "Получатель услуги (фамилия, имя, отчество)", paper_representative: "Представитель (фамилия, имя, отчество)",
    paper_phones: "Контактные телефоны", paper_place: "Место выдачи результата", paper_time: "Время приёма (если у даты его нет)",
    papers: "Выдаётся на руки", print_paper: "Печать: {name}", print_conclusion: "Печать заключения",
    paper_failed: "Документ не удалось напечатать:",
  },
  kk: {
    skip: "Нәтижеге өту",
    tagline: "Мемлекеттік қызмет стандарттары: істі тексеру, шешімді қарау",
    language: "Тіл", case: "Іс", mode: "Режим", mode_check: "Алдын ала тексеру (қызметкер)", mode_review: "Шағымды қарау",
    standard: "Стандарт", choose_standard: "— стандартты таңдаңыз —", channel: "Өтініш берілетін орын",
    submitted_on: "Өтініш берілген күн", evaluated_on: "Бағалау күні (міндетті емес)",
    facts: "Мән-жайлар", facts_hint: "Шешімге қазір қажет сұрақтар ғана көрсетіледі; белгісізін жауапсыз қалдырыңыз.",
    applicant_facts: "Өтініш берушінің айтуынша", authority_fold: "Уәкілетті орган анықтайды (шағымды қарау үшін)",
    all_no: "Жауапсыздары — жоқ", not_stated: "көрсетілмеген", clear: "тазарту", clear_fact: "Жауапты тазарту:",
    no_questions: "Қазір сұрақ жоқ.", kept_answers: "Қазір қажет емес жауаптар істе сақталды: {n}.",
    events: "Оқиғалар (күні мен уақыты)", payment: "Төлем", payment_amount: "Төленген сома, ₸", payment_date: "Төлем күні",
    decision: "Шешім", outcome: "Нәтижесі", choose: "— таңдаңыз —", grounds: "Шешімде көрсетілген негіздер",
    no_grounds: "Ережелерде негіздер жоқ.",
    other_grounds: "Басқа негіздер (әрқайсысы жаңа жолдан)", demanded: "Талап етілген құжаттар (әрқайсысы жаңа жолдан)",
    demanded_fee: "Талап етілген төлем, ₸",
    documents: "Құжаттар", checklist_hint: "Құжат тапсырылған сайын белгілеңіз.", form: "Нысаны", which: "Қай құжат",
    any_form: "— нысаны —", missing: "жоқ", handed_in: "тапсырылды", no_checklist: "Істі тексеруге болғанда тізбе шығады.",
    no_documents: "Бұл мән-жайларда құжат талап етілмейді.",
    result: "Нәтиже", missing_documents: "Жетіспейтін құжаттар", none_missing: "Құжаттардың бәрі тәртіппен.",
    due_dates: "Мерзімдер", no_due: "Мерзім әлі басталған жоқ.", no_due_refused: "Құжаттар қабылданбайды: қызмет көрсету мерзімі басталмайды.",
    latest: "кешіктірмей", counted_from: "{date} бастап",
    skipped_working: "Есепке алынбаған демалыс және мереке күндері:", moved_end: "Соңғы күні, {date}, — демалыс күні; мерзім ауыстырылды:",
    observed: "демалыс күні: {holiday} демалыс күніне сәйкес келді", transferred: "{date} күнінен ауыстырылған демалыс күні",
    worked_day: "{date}: жұмыс күні (демалыс күні ауыстырылған)", holiday_generic: "мереке күні",
    report: "Есеп", print: "Басып шығару", verdict: "Қорытынды", findings: "Анықталғандар", no_findings: "Ескертулер жоқ.",
    terms: "Мерзімдер", term: "Мерзім", duration: "Ұзақтығы", due: "Соңғы күні", status: "Күйі", fee: "Төлем", free: "тегін",
    state_duty: "Мемлекеттік баж", paid: "төленді", not_paid: "төленбеген", on: "",
    prompt_standard: "Стандартты таңдаңыз.", prompt_channel: "Өтініш берілетін орынды таңдаңыз.",
    prompt_date: "Өтініш берілген күнді енгізіңіз.", prompt_outcome: "Шешімнің нәтижесін таңдаңыз.",
    checking: "Тексерілуде…", problems: "Іс дұрыс толтырылмаған:", server_error: "Сервер жауап бермеді.",
    in_force: "Қолданыста болған кезеңі", close: "Жабу", open_paragraph: "Мәтінін ашу:", rules_version: "Ережелер нұсқасы",
    api_docs: "API құжаттамасы",
    open_case: "Іс файлын ашу…", case_file: "Іс файлы (YAML немесе JSON)", save_case: "YAML ретінде сақтау",
    opened: "{name} файлы ашылды.", saved: "{name} файлы сақталды.", file_problems: "{name} файлын ашу мүмкін емес:",
    save_problems: "Істі сақтау мүмкін емес:", line: "{n}-жол",
    print_check: "Құжаттарды тексеру нәтижесі", print_review: "Шешімді қарау нәтижесі",
    submitted: "Берілді", citation: "Сілтеме", handed: "Тапсырылды", document: "Құжат",
    print_note: "Ereje стандарт мәтіні бойынша тексерді; әр тұжырым өз тармағына сілтейді.",
    yes: "иә", no: "жоқ",
    paper_details: "Қолына берілетін құжаттар үшін (міндетті емес: бос қалған жол қолмен толтырылады)",
    paper_number: "Талонның не қолхаттың нөмірі", paper_officer: "Қызметкер (тегі, аты, әкесінің аты)",
    paper_applicant: "Мемлекеттік қызмет алушы (тегі, аты, әкесінің аты)", paper_representative: "Өкіл (тегі, аты, әкесінің аты)",
    paper_phones: "Байланыс телефондары", paper_place: "Нәтижені беру орны", paper_time: "Қабылдау уақыты (күнінде уақыт жоқ болса)",
    papers: "Қолына берілетін құжаттар", print_paper: "Басып шығару: {name}", print_conclusion: "Қорытындыны басып шығару",
    paper_failed: "Құжат басып шығарылмады:",
  },
};
const WORDS = {
  verdict: {
    accept: ["қабылдауға болады", "можно принять", "accept"],
    incomplete: ["құжаттар толық емес", "документы неполные", "incomplete"],
    ineligible: ["алушы талапқа сай емес", "заявитель не соответствует", "ineligible"],
    refuse: ["бас тарту негізі бар", "есть основание для отказа", "refuse"],
    "not-in-force": ["стандарт қолданыста емес", "стандарт не действовал", "not in force"],
    "needs-data": ["деректер жетіспейді", "недостаточно данных", "needs data"],
    lawful: ["заңды", "законно", "lawful"],
    unlawful: ["заңсыз", "незаконно", "unlawful"],
  },
  severity: { error: ["қате", "ошибка", "error"], warning: ["ескерту", "предупреждение", "warning"], info: ["ақпарат", "сведения", "info"] },
  unit: {
    "calendar-days": ["күнтізбелік күн", "календарных дней", "calendar days"],
    "working-days": ["жұмыс күні", "рабочих дней", "working days"],
    hours: ["сағат", "часов", "hours"],
    minutes: ["минут", "минут", "minutes"],
  },
  termStatus: {
    kept: ["сақталды", "соблюдён", "kept"], breached: ["бұзылды", "нарушен", "breached"], running: ["жүріп жатыр", "идёт", "running"],
    overdue: ["өтіп кетті", "истёк", "overdue"], "not-started": ["басталмаған", "не начат", "not started"],
  },
  form: {
    original: ["түпнұсқа", "оригинал", "original"], copy: ["көшірме", "копия", "copy"],
    "original-and-copy": ["түпнұсқа мен көшірме", "оригинал и копия", "original and copy"],
    "notarised-copy": ["нотариат куәландырған көшірме", "нотариально заверенная копия", "notarised copy"],
    notarised: ["нотариат куәландырған", "нотариально удостоверенный", "notarised"],
    electronic: ["электрондық", "электронный", "electronic"],
  },
  event: {
    submitted: ["Өтініш берілді", "Подано", "Submitted"], registered: ["Тіркелді", "Зарегистрировано", "Registered"],
    forwarded: ["Жолданды", "Направлено", "Forwarded"], received: ["Алынды", "Получено", "Received"],
    decided: ["Шешім қабылданды", "Принято решение", "Decided"], notified: ["Хабарланды", "Уведомлено", "Notified"],
    issued: ["Берілді", "Выдано", "Issued"], queue_joined: ["Кезекке тұрды", "Встал в очередь", "Joined the queue"],
    service_started: ["Қызмет көрсету басталды", "Начало обслуживания", "Service started"],
    service_ended: ["Қызмет көрсету аяқталды", "Конец обслуживания", "Service ended"],
    collection_queue_joined: ["Нәтижені алуға кезекке тұрды", "Встал в очередь за результатом", "Joined the queue to collect"],
    collection_service_started: [
      "Нәтижені беру кезінде қызмет көрсету басталды", "Начало обслуживания при выдаче результата", "Service started at collection",
    ],
  },
  factUnit: {
    years: ["жыл", "лет", "years"], months: ["ай", "месяцев", "months"], days: ["күн", "дней", "days"],
    tenge: ["теңге", "тенге", "tenge"], kzt: ["теңге", "тенге", "tenge"], persons: ["адам", "человек", "persons"],
  },
  outcome: {
    issued: ["қызмет көрсетілді", "услуга оказана", "issued (granted)"], refused: ["бас тартылды", "отказано", "refused"],
    suspended: ["тоқтатыла тұрды", "приостановлено", "suspended"],
    "refused-acceptance": ["құжаттарды қабылдаудан бас тартылды", "отказано в приёме документов", "refused to accept the documents"],
    terminated: ["тоқтатылды", "прекращено", "terminated"],
  },
  // Kazakhstan's public holidays (Law «Қазақстан Республикасындағы мерекелер туралы»), by the ids of
  // validator/decision/due_dates.py.
  holiday: {
    "new-year": ["Жаңа жыл", "Новый год", "New Year"],
    "orthodox-christmas": ["Православиелік Рождество", "Православное Рождество", "Orthodox Christmas"],
    "womens-day": ["Халықаралық әйелдер күні", "Международный женский день", "International Women's Day"],
    nauryz: ["Наурыз мейрамы", "Праздник Наурыз", "Nauryz"],
    "unity-day": ["Қазақстан халқының бірлігі мерекесі", "Праздник единства народа Казахстана", "Kazakhstan People's Unity Day"],
    "defender-day": ["Отан қорғаушы күні", "День защитника Отечества", "Defender of the Fatherland Day"],
    "victory-day": ["Жеңіс күні", "День Победы", "Victory Day"],
    "capital-day": ["Астана күні", "День Столицы", "Capital Day"],
    "constitution-day": ["Конституция күні", "День Конституции", "Constitution Day"],
    "kurban-ait": ["Құрбан айт", "Курбан айт", "Kurban Ait"],
    "first-president-day": ["Тұңғыш Президент күні", "День Первого Президента", "First President's Day"],
    "independence-day": ["Тәуелсіздік күні", "День Независимости", "Independence Day"],
  },
  weekday: {
    0: ["жексенбі", "воскресенье", "Sunday"], 1: ["дүйсенбі", "понедельник", "Monday"], 2: ["сейсенбі", "вторник", "Tuesday"],
    3: ["сәрсенбі", "среда", "Wednesday"], 4: ["бейсенбі", "четверг", "Thursday"], 5: ["жұма", "пятница", "Friday"],
    6: ["сенбі", "суббота", "Saturday"],
  },
};


const GOOD = new Set(["accept", "lawful"]);
const WARN = new Set(["needs-data", "not-in-force"]);

const state = {
  lang: "en",
  mode: "check",
  standards: [],
  slug: "",
  detail: null, // GET /standards/{slug}
  facts: {}, // fact id → value (absent: not stated); kept whether or not its question is shown
  docs: {}, // requirement id → {handed, form, as, extra}
  carriedDocs: [], // entries of an opened file the checklist does not hold (a second form, a former id), kept
  carried: {}, // fields of an opened file the form does not show (id, description, expect, …), kept
  events: {}, // event → date or date and time, as the inputs give them
  grounds: new Set(),
  questions: null, // fact id → {established_by, answered} from POST /interview; null: not known yet (all shown)
  dueDates: {}, // term id → the days off its due date skipped (POST /interview)
  authorityOpen: false,
  report: null,
  problems: null,
  message: "",
  seq: 0,
  checklistKey: "",
  lastFocus: null,
};

const $ = (sel) => document.querySelector(sel);
const t = (key) => (I18N[state.lang] && I18N[state.lang][key]) || I18N.en[key] || key;
/* A word of the page's tables in the page's language; an id the table lacks is shown as words, not as an id. */
const word = (group, key) => {
  const w = WORDS[group] && WORDS[group][key];
  return w ? w[LANGS.indexOf(state.lang)] : String(key).replace(/[-_]+/g, " ");
};
const tx = (text) => (text ? text[state.lang] || text.en || text.kk || "" : "");
/* A message with {name} fields filled in. */
const fmt = (template, fields) => template.replace(/\{(\w+)\}/g, (m, k) => (k in fields ? String(fields[k]) : m));

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, "");
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

async function api(path, options = {}) {
  const headers = Object.assign({ "Accept-Language": state.lang, Accept: "application/json" }, options.headers || {});
  let response;
  try {
    response = await fetch(path, Object.assign({}, options, { headers }));
  } catch (e) {
    return { ok: false, status: 0, body: null, headers: new Headers() };
  }
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  return { ok: response.ok, status: response.status, body, headers: response.headers };
}

function postJson(path, data) {
  return api(path, { method: "POST", body: JSON.stringify(data), headers: { "Content-Type": "application/json" } });
}

/* --- language and the address bar --------------------------------------------------------------- */

function setLanguage(lang) {
  if (!LANGS.includes(lang)) return;
  state.lang = lang;
  try {
    localStorage.setItem("ereje.lang", lang);
  } catch (e) {
    /* private mode: keep it for this page only */
  }
  document.documentElement.lang = lang;
  for (const b of document.querySelectorAll(".langs button")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-aria]")) node.setAttribute("aria-label", t(node.dataset.i18nAria));
  renderStandardOptions();
  renderStandardMeta();
  renderChannels();
  renderFacts();
  renderEvents();
  renderDecision();
  state.checklistKey = "";
  renderAll();
  writeAddress();
  if (state.problems) schedule(0); // problem details come in the page's language
}

/* The standard, channel and language as the address bar gives them (?standard=…&channel=…&lang=…), or
   the standard of an older link's #slug. */
function readAddress() {
  const query = new URLSearchParams(location.search);
  return {
    standard: query.get("standard") || decodeURIComponent(location.hash.slice(1)),
    channel: query.get("channel") || "",
    lang: query.get("lang") || "",
  };
}

/* Keep the standard, channel and language in the address bar, so a link opens the same form. */
function writeAddress() {
  const query = new URLSearchParams();
  if (state.slug) query.set("standard", state.slug);
  const channel = $("#channel").value;
  if (state.slug && channel) query.set("channel", channel);
  query.set("lang", state.lang);
  try {
    history.replaceState(null, "", `${location.pathname}?${query.toString()}`);
  } catch (e) {
    /* a page opened from a file: no address to keep */
  }
}

/* --- the standard and its rules ---------------------------------------------------------------- */

function renderStandardOptions() {
  const select = $("#standard");
  select.replaceChildren(el("option", { value: "", text: t("choose_standard") }));
  for (const row of state.standards.filter((r) => r.rules)) {
    select.append(el("option", { value: row.slug, selected: row.slug === state.slug }, titleOf(row)));
  }
  select.value = state.slug;
}

function renderStandardMeta() {
  const meta = $("#standard-meta");
  const std = state.detail && state.detail.standard;
  if (!std) {
    meta.textContent = "";
    return;
  }
  const from = std.in_force_from ? formatDay(std.in_force_from) : "?";
  const to = std.in_force_to ? formatDay(std.in_force_to) : "?";
  meta.textContent = `${detailTitle()}. ${t("in_force")}: ${from} – ${to}.`;
}

function detailTitle() {
  const std = state.detail.standard;
  return titleOf(Object.assign({}, std, { title: state.detail.rules && state.detail.rules.title }));
}

/* Forget the case's answers (a new standard, or a file about to be opened). */
function clearCase() {
  state.facts = {};
  state.docs = {};
  state.carriedDocs = [];
  state.carried = {};
  state.events = {};
  state.grounds = new Set();
  state.questions = null;
  state.dueDates = {};
  state.report = null;
  state.problems = null;
  state.checklistKey = "";
}

/* Load a standard's rules and start a new case on it; the one already loaded is kept (a browser may send
   "change" for the same choice), unless `fresh` asks for a new case (a file about to be opened). */
async function selectStandard(slug, fresh = false) {
  if (!fresh && slug === state.slug && state.detail) return;
  document.body.dataset.busy = "true";
  state.slug = slug;
  state.detail = null;
  clearCase();
  renderFacts(); // no answer can go to the rules being replaced
  if (slug) {
    const res = await api(`/standards/${encodeURIComponent(slug)}`);
    if (res.ok && state.slug === slug) state.detail = res.body;
  }
  renderStandardMeta();
  renderChannels();
  renderFacts();
  renderEvents();
  renderDecision();
  for (const id of ["#facts-set", "#events-set", "#payment-set"]) $(id).hidden = !state.detail;
  $("#decision-set").hidden = !state.detail || state.mode !== "review";
  writeAddress();
  schedule(0);
}

function rules() {
  return state.detail && state.detail.rules;
}

function renderChannels(wanted = null) {
  const select = $("#channel");
  const before = wanted === null ? select.value : wanted;
  const r = rules();
  select.replaceChildren();
  if (!r) {
    select.append(el("option", { value: "", text: "—" }));
    return;
  }
  if (r.channels.length > 1) select.append(el("option", { value: "", text: t("choose") }));
  for (const ch of r.channels) select.append(el("option", { value: ch.id }, tx(ch.name)));
  if (r.channels.some((c) => c.id === before)) select.value = before;
  else if (r.channels.length === 1) select.value = r.channels[0].id;
  else select.value = "";
}

/* --- facts: only the questions the decision needs now ---------------------------------------------- */

/* An enum value in the page's language: the rule file's label, else the label in another language, else
   the value itself written as words. */
function valueLabel(fact, value) {
  const labels = fact.value_labels && fact.value_labels[value];
  return labels ? tx(labels) : word("value", value);
}

function factRow(fact) {
  const id = `fact-${fact.id}`;
  const value = state.facts[fact.id];
  const label = el("label", { for: id, "data-unknown": t("not_stated") }, tx(fact.label), fact.unit ? ` (${word("factUnit", fact.unit)})` : "");
  const row = el("div", { class: "fact", "data-fact": fact.id, "data-type": fact.type, "data-testid": `row-${fact.id}` });
  let input;
  if (fact.type === "boolean") {
    input = el("input", { type: "checkbox", id, "data-testid": id });
    input.addEventListener("change", () => setFact(fact.id, input.checked));
    row.append(input, label);
  } else if (fact.type === "enum") {
    input = el("select", { id, "data-testid": id });
    input.append(el("option", { value: "", text: t("not_stated") }));
    for (const v of fact.values || []) input.append(el("option", { value: v }, valueLabel(fact, v)));
    input.addEventListener("change", () => setFact(fact.id, input.value === "" ? undefined : input.value));
    row.append(label, input);
  } else if (fact.type === "integer" || fact.type === "number") {
    input = el("input", { type: "number", id, "data-testid": id, step: fact.type === "integer" ? "1" : "any", inputmode: "decimal" });
    input.addEventListener("input", () => {
      const raw = input.value.trim();
      const n = fact.type === "integer" ? Number.parseInt(raw, 10) : Number.parseFloat(raw);
      setFact(fact.id, raw === "" || Number.isNaN(n) ? undefined : n, 300, false);
    });
    row.append(label, input);
  } else {
    input = el("input", { type: fact.type === "date" ? "date" : "text", id, "data-testid": id });
    input.addEventListener("input", () => setFact(fact.id, input.value === "" ? undefined : input.value, 300, false));
    row.append(label, input);
  }
  row.append(
    el("button", {
      type: "button", class: "link clear", "data-testid": `clear-${fact.id}`, title: `${t("clear_fact")} ${tx(fact.label)}`,
      "aria-label": `${t("clear_fact")} ${tx(fact.label)}`,
      onclick: () => {
        setFact(fact.id, undefined);
        input.focus();
      },
    }, "×"),
  );
  syncFact(row, fact, value);
  return row;
}

/* Show a fact's state in its row: the input's value, "not stated", and the clear button. */
function syncFact(row, fact, value, setInput = true) {
  const known = value !== undefined;
  const input = row.querySelector("input, select");
  row.classList.toggle("unknown", !known);
  row.querySelector("button.clear").hidden = !known;
  if (fact.type === "boolean") {
    input.checked = value === true;
    input.indeterminate = !known;
    input.setAttribute("aria-checked", known ? String(value) : "mixed");
  } else if (setInput) {
    input.value = known ? String(value) : "";
  }
}

function setFact(id, value, delay = 0, setInput = true) {
  const r = rules();
  if (!r) return;
  if (value === undefined) delete state.facts[id];
  else state.facts[id] = value;
  const row = document.querySelector(`.fact[data-fact="${CSS.escape(id)}"]`);
  const fact = r.facts.find((f) => f.id === id);
  if (row && fact) syncFact(row, fact, value, setInput);
  applyQuestions();
  schedule(delay);
}

/* Every fact's row, the applicant's first and the authority's folded beneath for reviewers; which rows
   show is the interview's answer (`applyQuestions`). */
function renderFacts() {
  const box = $("#facts");
  const r = rules();
  box.replaceChildren();
  if (!r) return;
  const applicant = r.facts.filter((f) => f.established_by !== "authority");
  const authority = r.facts.filter((f) => f.established_by === "authority");
  if (applicant.length) {
    box.append(el("div", { class: "facts-group", "data-group": "applicant" }, el("h3", {}, t("applicant_facts")), applicant.map(factRow)));
  }
  if (authority.length) {
    const details = el(
      "details",
      { class: "facts-group", id: "authority-facts", "data-group": "authority", "data-testid": "authority-facts" },
      el("summary", { "data-testid": "authority-summary" }, t("authority_fold"), " ", el("span", { class: "count" })),
      authority.map(factRow),
    );
    details.open = state.authorityOpen;
    details.addEventListener("toggle", () => {
      state.authorityOpen = details.open;
    });
    box.append(details);
  }
  applyQuestions();
}

/* Whether a fact's question is shown: every one until the interview has answered for this case. */
function asked(id) {
  return !state.questions || state.questions.has(id);
}

/* Show the rows of the questions the decision needs now; the answers of the others stay in the case. */
function applyQuestions() {
  const r = rules();
  if (!r) return;
  let shown = 0;
  let kept = 0;
  for (const fact of r.facts) {
    const row = document.querySelector(`.fact[data-fact="${CSS.escape(fact.id)}"]`);
    if (!row) continue;
    row.hidden = !asked(fact.id);
    if (!row.hidden) shown += 1;
    else if (state.facts[fact.id] !== undefined) kept += 1;
  }
  for (const group of document.querySelectorAll("#facts .facts-group")) {
    const visible = group.querySelectorAll(".fact:not([hidden])").length;
    group.hidden = visible === 0;
    const count = group.querySelector("summary .count");
    if (count) count.textContent = `(${visible})`;
  }
  $("#facts-none").hidden = shown > 0 || !state.questions;
  const note = $("#facts-kept");
  note.hidden = kept === 0;
  note.textContent = kept ? fmt(t("kept_answers"), { n: kept }) : "";
  $("#facts-all-no").hidden = !r.facts.some((f) => f.type === "boolean" && asked(f.id) && state.facts[f.id] === undefined);
}

/* Answer "no" to every question shown and not yet answered (the hidden ones stay unanswered). */
function allUnansweredNo() {
  const r = rules();
  if (!r) return;
  for (const f of r.facts) if (f.type === "boolean" && asked(f.id) && state.facts[f.id] === undefined) state.facts[f.id] = false;
  renderFacts();
  schedule(0);
}

/* --- events, payment, decision ------------------------------------------------------------------ */

function termEvents() {
  const r = rules();
  const used = new Set(["submitted", ...Object.keys(state.events)]);
  if (r) for (const term of r.terms) {
    used.add(term.from);
    used.add(term.to);
  }
  if (state.mode === "review") used.add("decided");
  return EVENTS.filter((e) => used.has(e));
}

/* One input an event: a date and time, or a date alone where the case gives only the day. */
function renderEvents() {
  const box = $("#events");
  box.replaceChildren();
  for (const name of termEvents()) {
    const id = `event-${name}`;
    const value = state.events[name] || "";
    const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const input = el("input", { type: dayOnly ? "date" : "datetime-local", id, "data-testid": id, "data-event": name });
    input.value = value;
    input.addEventListener("input", () => {
      if (input.value) state.events[name] = input.value;
      else delete state.events[name];
      schedule(300);
    });
    box.append(el("div", { class: "field" }, el("label", { for: id }, word("event", name)), input));
  }
}

function renderDecision() {
  const outcome = $("#decision-outcome");
  const before = outcome.value;
  outcome.replaceChildren(el("option", { value: "", text: t("choose") }));
  for (const o of Object.keys(WORDS.outcome)) outcome.append(el("option", { value: o }, word("outcome", o)));
  outcome.value = before;
  const box = $("#grounds");
  box.replaceChildren();
  const r = rules();
  const grounds = r ? r.refusals.grounds : [];
  if (!grounds.length) box.append(el("p", { class: "hint" }, t("no_grounds")));
  for (const g of grounds) {
    const id = `ground-${g.id}`;
    const input = el("input", { type: "checkbox", id, "data-testid": id, value: g.id });
    input.checked = state.grounds.has(g.id);
    input.addEventListener("change", () => {
      if (input.checked) state.grounds.add(g.id);
      else state.grounds.delete(g.id);
      schedule(0);
    });
    box.append(el("div", { class: "fact" }, input, el("label", { for: id }, `${tx(g.name)} `, el("span", { class: "hint" }, `(§ ${g.cite})`))));
  }
}

function lines(text) {
  return text.split("\n").map((s) => s.trim()).filter(Boolean);
}

/* --- the case ---------------------------------------------------------------------------------- */

/* The case as the form holds it, with what an opened file carried that the form does not show. The
   decision is the case's wherever an outcome is chosen (a check ignores it; a saved file keeps it). */
function buildCase() {
  const c = Object.assign({}, state.carried, {
    standard: state.slug,
    channel: $("#channel").value,
    submitted_on: $("#submitted-on").value,
    facts: Object.assign({}, state.facts),
    documents: [],
    events: Object.assign({}, state.events),
  });
  const evaluated = $("#evaluated-on").value;
  if (evaluated) c.evaluated_on = evaluated;
  for (const [id, d] of Object.entries(state.docs)) {
    if (!d.handed) continue;
    const doc = Object.assign({ id: d.as || id }, d.extra || {});
    if (d.form) doc.form = d.form;
    c.documents.push(doc);
  }
  c.documents.push(...state.carriedDocs);
  const amount = $("#payment-amount").value;
  const paidOn = $("#payment-date").value;
  if (amount !== "" && paidOn && Number(amount) >= 0) c.payment = { amount: Number(amount), date: paidOn };
  const outcome = $("#decision-outcome").value;
  if (state.mode === "review" || outcome) {
    const decision = {
      outcome,
      grounds: [...state.grounds, ...lines($("#decision-other-grounds").value)],
      demanded_documents: lines($("#decision-demanded").value),
    };
    const fee = $("#decision-fee").value;
    if (fee !== "" && Number(fee) >= 0) decision.demanded_fee = Number(fee);
    c.decision = decision;
  }
  const paper = paperBlock();
  if (paper) c.paper = paper;
  return c;
}

/* The case's `paper` block from its inputs (trimmed; empty ones left out), or null where all are empty. */
function paperBlock() {
  const block = {};
  for (const [key, sel] of Object.entries(PAPER_FIELDS)) {
    const value = $(sel).value.trim();
    if (value) block[key] = value;
  }
  return Object.keys(block).length ? block : null;
}

let timer = null;
/* Ask for a new report after `delay` ms; body[data-busy] is "true" until the newest answer is shown. */
function schedule(delay) {
  clearTimeout(timer);
  state.seq++;
  document.body.dataset.busy = "true";
  timer = setTimeout(requestReport, delay);
}

/* The interview's mode and case: a review's once its outcome is chosen, else a check's. */
function interviewRequest(c) {
  if (state.mode === "review" && c.decision && c.decision.outcome) return ["review", c];
  const plain = Object.assign({}, c);
  delete plain.decision;
  return ["check", plain];
}

async function requestReport() {
  const seq = ++state.seq;
  const c = buildCase();
  let prompt = "";
  if (!state.slug || !state.detail) prompt = "prompt_standard";
  else if (!c.channel) prompt = "prompt_channel";
  else if (!c.submitted_on) prompt = "prompt_date";
  else if (state.mode === "review" && !c.decision.outcome) prompt = "prompt_outcome";
  const decidable = Boolean(state.detail && c.channel && c.submitted_on);
  const [mode, asked] = interviewRequest(c);
  if (!prompt) {
    state.message = "checking";
    renderStatus();
  }
  const [res, interview] = await Promise.all([
    prompt ? null : postJson(`/${state.mode}?lang=all`, c),
    decidable ? postJson(`/interview?mode=${mode}`, asked) : null,
  ]);
  if (seq !== state.seq) return; // a newer request is on its way
  takeInterview(decidable, interview);
  if (prompt) {
    state.report = null;
    state.problems = null;
    state.message = prompt;
  } else if (res.ok) {
    state.report = res.body;
    state.problems = null;
    state.message = "";
  } else {
    state.report = null;
    state.problems = res.body && res.body.errors ? res.body : { detail: t("server_error"), errors: [] };
    state.message = "";
  }
  renderAll();
  applyQuestions();
  document.body.dataset.busy = "false";
}

/* The questions and due dates of the interview; where the case cannot be read, the questions shown stay. */
function takeInterview(decidable, interview) {
  if (!decidable) {
    state.questions = null;
    state.dueDates = {};
  } else if (interview && interview.ok) {
    state.questions = new Map(interview.body.questions.map((q) => [q.fact, q]));
    state.dueDates = Object.fromEntries(interview.body.due_dates.map((d) => [d.term, d]));
  } else {
    state.dueDates = {};
  }
}

/* --- case files: save as YAML, open YAML or JSON ---------------------------------------------------- */

function showFileStatus(kind, message, problem = null) {
  const box = $("#file-status");
  box.hidden = false;
  box.className = `file-status${kind === "bad" ? " bad" : ""}`;
  const errors = problem && problem.errors ? problem.errors : [];
  box.replaceChildren(
    el("strong", {}, message),
    problem && problem.detail ? ` ${problem.detail}` : "",
    errors.length
      ? el(
          "ul",
          {},
          errors.map((p) =>
            el(
              "li",
              { "data-line": p.line === null ? "" : p.line },
              p.line !== null && p.line !== undefined ? `${fmt(t("line"), { n: p.line })}: ` : "",
              el("code", {}, p.path),
              " ",
              el("span", { lang: "en" }, p.message),
            ),
          ),
        )
      : null,
  );
}

/* The file's name as the server gives it: in UTF-8 (filename*=), else in ASCII. */
function fileName(headers, fallback) {
  const disposition = headers.get("content-disposition") || "";
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (utf8) {
    try {
      return decodeURIComponent(utf8[1]);
    } catch (e) {
      /* a malformed name: the ASCII one */
    }
  }
  const plain = /filename="([^"]+)"/.exec(disposition);
  return plain ? plain[1] : fallback;
}

/* The case as the project's YAML case file, written by the server (the one writer the loader reads back). */
async function saveCase() {
  let response;
  try {
    response = await fetch("/case-file?format=yaml", {
      method: "POST",
      body: JSON.stringify(buildCase()),
      headers: { "Content-Type": "application/json", "Accept-Language": state.lang },
    });
  } catch (e) {
    showFileStatus("bad", t("server_error"));
    return;
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => null);
    showFileStatus("bad", t("save_problems"), problem);
    return;
  }
  const name = fileName(response.headers, `${state.slug || "case"}.yaml`);
  const url = URL.createObjectURL(await response.blob());
  const link = el("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  showFileStatus("ok", fmt(t("saved"), { name }));
}

/* A case file read by the server's case loader (its bytes as they are: the loader refuses what is not UTF-8)
   and put into the form; its problems are shown with their lines. */
async function openCaseFile() {
  const input = $("#case-file");
  const file = input.files && input.files[0];
  if (!file) return;
  const type = /\.json$/i.test(file.name) ? "application/json" : "application/yaml";
  const res = await api("/case-file?format=json", { method: "POST", body: await file.arrayBuffer(), headers: { "Content-Type": type } });
  input.value = "";
  if (!res.ok) {
    showFileStatus("bad", fmt(t("file_problems"), { name: file.name }), res.body || { detail: t("server_error") });
    return;
  }
  await applyCase(res.body);
  showFileStatus("ok", fmt(t("opened"), { name: file.name }));
}

/* A requirement of the rules by the id a document entry uses: itself, or one of its alternatives. */
function requirementOf(id) {
  for (const d of rules().documents) {
    if (d.id === id) return [d.id, ""];
    for (const a of d.alternatives || []) if (a.id === id) return [d.id, a.id];
  }
  return null;
}

/* Fill the form with a case the server read: every field set or cleared, the rest carried along. */
async function applyCase(c) {
  $("#standard").value = c.standard;
  await selectStandard(c.standard, true);
  renderChannels(c.channel);
  $("#submitted-on").value = c.submitted_on || "";
  $("#evaluated-on").value = c.evaluated_on || "";
  state.facts = Object.assign({}, c.facts || {});
  for (const doc of c.documents || []) {
    const found = requirementOf(doc.id);
    if (!found || state.docs[found[0]]) {
      state.carriedDocs.push(doc);
      continue;
    }
    const { id, form, ...extra } = doc;
    state.docs[found[0]] = { handed: true, form: form || "", as: found[1], extra };
  }
  state.events = Object.assign({}, c.events || {});
  $("#payment-amount").value = c.payment ? String(c.payment.amount) : "";
  $("#payment-date").value = c.payment ? c.payment.date : "";
  applyDecision(c.decision);
  for (const [key, sel] of Object.entries(PAPER_FIELDS)) $(sel).value = (c.paper && c.paper[key]) || "";
  state.carried = Object.fromEntries(Object.entries(c).filter(([k]) => !FORM_KEYS.has(k)));
  renderFacts();
  renderEvents();
  renderDecision();
  writeAddress();
  schedule(0);
}

/* A decision in a file makes the form a review's; none leaves the mode as it is and clears its fields. */
function applyDecision(decision) {
  const grounds = new Set((rules().refusals.grounds || []).map((g) => g.id));
  const given = decision ? decision.grounds || [] : [];
  state.grounds = new Set(given.filter((g) => grounds.has(g)));
  $("#decision-outcome").value = decision ? decision.outcome : "";
  $("#decision-other-grounds").value = given.filter((g) => !grounds.has(g)).join("\n");
  $("#decision-demanded").value = decision ? (decision.demanded_documents || []).join("\n") : "";
  $("#decision-fee").value = decision && decision.demanded_fee !== undefined ? String(decision.demanded_fee) : "";
  if (decision) {
    $("#mode-review").checked = true;
    setMode("review", false);
  }
}

/* --- rendering the report ----------------------------------------------------------------------- */

function renderAll() {
  renderStatus();
  renderSummary();
  renderChecklist();
  renderReport();
  renderPapers();
  renderPrintView();
}

function renderStatus() {
  $("#status").textContent = state.message ? t(state.message) : "";
  const box = $("#problems");
  if (!state.problems) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  box.replaceChildren(
    el("strong", {}, state.problems.detail || t("problems")),
    el("ul", {}, (state.problems.errors || []).map((p) => el("li", {}, el("code", {}, p.path), " ", el("span", { lang: "en" }, p.message)))),
  );
}

function docRule(id) {
  const r = rules();
  return r ? r.documents.find((d) => d.id === id) : null;
}

function renderChecklist() {
  const list = $("#checklist");
  const report = state.report;
  if (!report) {
    state.checklistKey = "";
    list.replaceChildren(el("li", { class: "empty" }, state.problems ? t("problems") : t("no_checklist")));
    return;
  }
  const key = `${state.lang}|${report.checklist.map((i) => `${i.id}:${(i.forms || []).join(",")}`).join(";")}`;
  if (key === state.checklistKey) {
    // same documents: update the marks in place (the focus stays where the clerk is)
    for (const item of report.checklist) {
      const li = list.querySelector(`li[data-doc="${CSS.escape(item.id)}"]`);
      if (li) li.classList.toggle("missing", !item.handed_in);
    }
    return;
  }
  state.checklistKey = key;
  const focused = document.activeElement && list.contains(document.activeElement) ? document.activeElement.id : null;
  list.replaceChildren();
  if (!report.checklist.length) list.append(el("li", { class: "empty" }, t("no_documents")));
  for (const item of report.checklist) {
    const d = state.docs[item.id] || (state.docs[item.id] = { handed: false, form: "", as: "", extra: {} });
    const id = `doc-${item.id}`;
    const box = el("input", { type: "checkbox", id, "data-testid": id });
    box.checked = d.handed;
    box.addEventListener("change", () => {
      d.handed = box.checked;
      schedule(0);
    });
    const extra = el("div", { class: "doc-extra" });
    const rule = docRule(item.id);
    if (rule && rule.alternatives && rule.alternatives.length) {
      const sid = `as-${item.id}`;
      const select = el("select", { id: sid, "data-testid": sid });
      select.append(el("option", { value: "" }, tx(item.name)));
      for (const a of rule.alternatives) select.append(el("option", { value: a.id, selected: d.as === a.id }, tx(a.name)));
      select.value = d.as;
      select.addEventListener("change", () => {
        d.as = select.value;
        schedule(0);
      });
      extra.append(el("label", { for: sid }, t("which")), select);
    }
    if (item.forms && item.forms.length) {
      const fid = `form-${item.id}`;
      const select = el("select", { id: fid, "data-testid": fid });
      select.append(el("option", { value: "" }, t("any_form")));
      const forms = d.form && !item.forms.includes(d.form) ? [...item.forms, d.form] : item.forms;
      for (const f of forms) select.append(el("option", { value: f, selected: d.form === f }, word("form", f)));
      select.value = d.form;
      select.addEventListener("change", () => {
        d.form = select.value;
        schedule(0);
      });
      extra.append(el("label", { for: fid }, t("form")), select);
    }
    const li = el(
      "li",
      { "data-doc": item.id, class: item.handed_in ? "" : "missing" },
      box,
      el("label", { for: id, class: "doc-name", "data-missing": t("missing") }, tx(item.name)),
      citeButton(item.cite, item.cite_label ? tx(item.cite_label) : item.cite),
      extra.childNodes.length ? extra : null,
    );
    list.append(li);
  }
  if (focused) {
    const again = document.getElementById(focused);
    if (again) again.focus();
  }
}

function citeButton(unit, label, quote = "") {
  return el(
    "button",
    {
      type: "button", class: "cite", "data-unit": unit, "data-testid": `cite-${unit}`,
      "aria-label": `${t("open_paragraph")} ${label}`,
      onclick: (ev) => openParagraph(unit, ev.currentTarget, quote),
    },
    label,
  );
}

/* A date as documents in Kazakhstan write it (06.05.2013), from the report's ISO value. */
function formatDay(value) {
  if (!value) return "";
  const [y, m, d] = value.slice(0, 10).split("-");
  return `${d}.${m}.${y}`;
}

function formatDue(value, unit) {
  if (!value) return "—";
  return unit === "hours" || unit === "minutes" ? `${formatDay(value)} ${value.slice(11, 16)}` : formatDay(value);
}

/* A standard's title in the page's language: the rule file's title (kk, ru, en) where there is one. */
function titleOf(row) {
  if (row.title && row.title[state.lang]) return row.title[state.lang];
  return (row.title && (row.title.kk || row.title.en)) || row.title_kk || row.title_en || row.slug;
}

function money(x) {
  if (x === null || x === undefined) return "—";
  return `${Number(x).toLocaleString(state.lang === "en" ? "en-US" : "ru-RU", { maximumFractionDigits: 2 })} ₸`;
}

function renderReport() {
  const report = state.report;
  const verdict = $("#verdict");
  const findings = $("#findings");
  $("#findings-heading").hidden = !report;
  $("#terms-block").hidden = !(report && report.terms.length);
  $("#fee-block").hidden = !(report && report.fee);
  if (!report) {
    verdict.hidden = true;
    findings.replaceChildren();
    return;
  }
  verdict.hidden = false;
  verdict.className = `verdict ${GOOD.has(report.verdict) ? "good" : WARN.has(report.verdict) ? "warn" : "bad"}`;
  verdict.dataset.verdict = report.verdict;
  verdict.replaceChildren(el("small", {}, t("verdict")), word("verdict", report.verdict));

  findings.replaceChildren();
  if (!report.findings.length) findings.append(el("li", { class: "empty" }, t("no_findings")));
  for (const f of report.findings) {
    findings.append(
      el(
        "li",
        { class: `finding sev-row-${f.severity}`, "data-code": f.code, "data-severity": f.severity, "data-subject": f.subject.id },
        el("span", { class: `sev sev-${f.severity}` }, word("severity", f.severity)),
        el("span", { class: "message" }, tx(f.message)),
        f.citations.length
          ? el("span", { class: "cite-row" }, f.citations.map((c) => citeButton(c.unit, tx(c.label), c.quote)))
          : null,
      ),
    );
  }

  const tbody = $("#terms tbody");
  tbody.replaceChildren();
  for (const term of report.terms) {
    tbody.append(
      el(
        "tr",
        { "data-term": term.id, "data-status": term.status },
        el("td", {}, tx(term.name), " ", citeButton(term.citation.unit, tx(term.citation.label))),
        el("td", {}, tx(term.duration_label)),
        el("td", { "data-testid": `due-${term.id}` }, formatDue(term.due, term.unit)),
        el("td", { class: `st-${term.status}` }, term.status_label ? tx(term.status_label) : word("termStatus", term.status)),
      ),
    );
  }

  const fee = $("#fee");
  fee.replaceChildren();
  if (report.fee) {
    const f = report.fee;
    if (f.kind === "free") {
      fee.append(`${t("free")} `, citeButton(f.citation.unit, tx(f.citation.label)));
    } else {
      fee.append(
        `${t("state_duty")}: ${money(f.due_amount)}`,
        f.mci_percent !== null ? ` (${f.mci_percent}% × ${money(f.mci_value)})` : "",
        " · ",
        f.paid_amount !== null ? `${t("paid")} ${money(f.paid_amount)} ${formatDay(f.paid_on)}` : t("not_paid"),
        " ",
        citeButton(f.citation.unit, tx(f.citation.label)),
      );
    }
  }
}

/* --- the paragraph drawer ------------------------------------------------------------------------ */

/* The text, with the finding's quote marked where it occurs as written (case and spacing aside). */
function markedText(text, quote) {
  const norm = (s) => s.toLowerCase().replace(/\s+/g, " ");
  const q = quote ? norm(quote.trim()) : "";
  if (!q) return [text];
  // map positions of the normalised text back to the original
  let flat = "";
  const pos = [];
  for (let i = 0; i < text.length; i++) {
    const ch = /\s/.test(text[i]) ? " " : text[i].toLowerCase();
    if (ch === " " && flat.endsWith(" ")) continue;
    flat += ch;
    pos.push(i);
  }
  const at = flat.indexOf(q);
  if (at < 0) return [text];
  const start = pos[at];
  const end = pos[at + q.length - 1] + 1;
  return [text.slice(0, start), el("mark", {}, text.slice(start, end)), text.slice(end)];
}

async function openParagraph(unit, opener, quote = "") {
  state.lastFocus = opener || null;
  const panel = $("#paragraph");
  const res = await api(`/standards/${encodeURIComponent(state.slug)}/paragraphs/${encodeURIComponent(unit)}`);
  if (!res.ok) {
    $("#paragraph-title").textContent = unit;
    $("#paragraph-standard").textContent = res.body && res.body.detail ? res.body.detail : t("server_error");
    $("#paragraph-text").textContent = "";
  } else {
    const p = res.body;
    $("#paragraph-title").textContent = `${p.label_kk} (${p.unit})`;
    $("#paragraph-standard").textContent = `${state.detail ? detailTitle() : p.standard} · ${t("citation")}: § ${p.unit}`;
    $("#paragraph-text").replaceChildren(...markedText(p.text, quote));
    panel.dataset.unit = p.unit;
  }
  panel.hidden = false;
  document.body.classList.add("drawer-open");
  $("#paragraph-close").focus();
}

function closeParagraph() {
  $("#paragraph").hidden = true;
  document.body.classList.remove("drawer-open");
  if (state.lastFocus && document.body.contains(state.lastFocus)) state.lastFocus.focus();
}

/* --- the papers the standard prescribes (talon, receipt, a review's conclusion) ----------------------- */

/* One button a paper the report says is due (the papers of acceptance print together), and a review's
   conclusion; each asks the service for the paper in the page's language and prints it. */
function renderPapers() {
  const box = $("#papers");
  box.replaceChildren();
  const report = state.report;
  if (!report) {
    box.hidden = true;
    return;
  }
  const buttons = [];
  const seen = new Set();
  // A channel on which the standard gives no written confirmation: said, with its paragraph, not printed.
  for (const paper of (report.papers || []).filter((p) => p.kind === "none")) {
    buttons.push(el("p", { class: "hint", "data-testid": "paper-none" }, `${tx(paper.name)} (${tx(paper.citation.label)})`));
  }
  for (const paper of (report.papers || []).filter((p) => p.kind !== "none")) {
    const choice = paper.purpose === "acceptance" ? "acceptance" : "refusal";
    if (seen.has(choice)) continue;
    seen.add(choice);
    const names = report.papers.filter((p) => p.purpose === paper.purpose && p.kind !== "none").map((p) => tx(p.name));
    buttons.push(paperButton(choice, fmt(t("print_paper"), { name: names.join(" + ") })));
  }
  if (report.kind === "review") buttons.push(paperButton("conclusion", t("print_conclusion")));
  box.hidden = buttons.length === 0;
  if (buttons.length) box.append(el("h3", { id: "papers-heading" }, t("papers")), ...buttons);
}

function paperButton(choice, label) {
  return el("button", { type: "button", class: "secondary", "data-testid": `paper-${choice}`, onclick: () => printPaper(choice) }, label);
}

async function printPaper(choice) {
  const c = buildCase();
  let response;
  try {
    response = await fetch(`/${state.mode}?paper=${choice}&lang=${state.lang}`, {
      method: "POST",
      body: JSON.stringify(c),
      headers: { "Content-Type": "application/json", "Accept-Language": state.lang },
    });
  } catch (e) {
    showFileStatus("bad", t("paper_failed"), { detail: t("server_error") });
    return;
  }
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = { detail: t("server_error") };
    }
    showFileStatus("bad", t("paper_failed"), body);
    return;
  }
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const article = page.querySelector("article.ereje-paper");
  const view = $("#paper-view");
  view.replaceChildren(document.importNode(article, true));
  view.dataset.paper = choice;
  document.body.dataset.printing = "paper";
  window.print();
}

/* --- the printable view ------------------------------------------------------------------------- */

function renderPrintView() {
  const view = $("#print-view");
  view.replaceChildren();
  const report = state.report;
  if (!report || !state.detail) return;
  const std = state.detail.standard;
  const channel = rules().channels.find((c) => c.id === report.channel);
  view.append(
    el("h1", {}, report.kind === "review" ? t("print_review") : t("print_check")),
    el("p", { class: "meta" }, detailTitle()),
    el("p", { class: "meta" }, `${t("channel")}: ${channel ? tx(channel.name) : report.channel} · ${t("submitted_on")}: ${formatDay(report.submitted_on)}`),
    el("div", { class: "pv-verdict" }, `${t("verdict")}: ${word("verdict", report.verdict)}`),
  );
  if (report.checklist.length) {
    view.append(
      el("h2", {}, t("documents")),
      el(
        "table",
        {},
        el("thead", {}, el("tr", {}, el("th", {}, t("handed")), el("th", {}, t("document")), el("th", {}, t("form")), el("th", {}, t("citation")))),
        el(
          "tbody",
          {},
          report.checklist.map((item) => {
            const d = state.docs[item.id] || {};
            return el(
              "tr",
              {},
              el("td", { class: "box" }, item.handed_in ? "☑" : "☐"),
              el("td", {}, tx(item.name)),
              el("td", {}, d.form ? word("form", d.form) : item.forms ? `(${item.forms.map((f) => word("form", f)).join(" / ")})` : ""),
              el("td", {}, item.cite_label ? tx(item.cite_label) : item.cite),
            );
          }),
        ),
      ),
    );
  }
  const shown = report.findings.filter((f) => f.severity !== "info" || f.code === "fee-due");
  if (shown.length) {
    view.append(
      el("h2", {}, t("findings")),
      el(
        "ol",
        {},
        shown.map((f) =>
          el(
            "li",
            {},
            tx(f.message),
            f.citations.map((c) => el("div", { class: "quote" }, `${tx(c.label)}: «${c.quote}»`)),
          ),
        ),
      ),
    );
  }
  if (report.terms.length) {
    view.append(
      el("h2", {}, t("terms")),
      el(
        "table",
        {},
        el("thead", {}, el("tr", {}, el("th", {}, t("term")), el("th", {}, t("duration")), el("th", {}, t("due")), el("th", {}, t("status")))),
        el(
          "tbody",
          {},
          report.terms.map((term) =>
            el(
              "tr",
              {},
              el("td", {}, `${tx(term.name)} (${tx(term.citation.label)})`),
              el("td", {}, tx(term.duration_label)),
              el("td", {}, formatDue(term.due, term.unit), skippedText(term.id)),
              el("td", {}, term.status_label ? tx(term.status_label) : word("termStatus", term.status)),
            ),
          ),
        ),
      ),
    );
  }
  if (report.fee) {
    const f = report.fee;
    view.append(
      el("h2", {}, t("fee")),
      el(
        "p",
        {},
        f.kind === "free"
          ? `${t("free")} (${tx(f.citation.label)})`
          : `${t("state_duty")}: ${money(f.due_amount)} (${f.mci_percent}% × ${money(f.mci_value)}), ${tx(f.citation.label)}; ` +
              (f.paid_amount !== null ? `${t("paid")}: ${money(f.paid_amount)} ${formatDay(f.paid_on)}` : t("not_paid")),
      ),
    );
  }
  view.append(el("p", { class: "small" }, `${t("print_note")} ${t("rules_version")}: ${$("#rules-version").textContent}.`));
}

/* --- the result at a glance: verdict, missing documents, due dates with the days off they skipped ------- */

function renderSummary() {
  const report = state.report;
  $("#summary-body").hidden = !report;
  if (!report) return;
  const missing = $("#summary-missing-list");
  const lacking = report.checklist.filter((item) => NOT_IN_ORDER.has(item.status));
  missing.replaceChildren(
    ...lacking.map((item) =>
      el(
        "li",
        { "data-doc": item.id, "data-status": item.status },
        tx(item.name),
        item.status === "missing" ? null : el("span", { class: "missing-status" }, `(${tx(item.status_label)})`),
      ),
    ),
  );
  if (!lacking.length) missing.append(el("li", { class: "none" }, report.checklist.length ? t("none_missing") : t("no_documents")));
  const due = $("#summary-due-list");
  const dated = report.terms.filter((term) => !CLOCK_UNITS.has(term.unit) && term.due);
  due.replaceChildren(...dated.map(dueLine));
  if (!dated.length) {
    const refused = report.findings.some((f) => f.code === "terms-not-running");
    due.append(el("p", { class: "due-line" }, refused ? t("no_due_refused") : t("no_due")));
  }
}

/* A term's due date, what it is counted from, its latest date where the authority may extend it, and
   the days off it stepped over. */
function dueLine(term) {
  const info = state.dueDates[term.id];
  const counted = info ? `, ${fmt(t("counted_from"), { date: formatDay(info.start) })}` : "";
  return el(
    "div",
    { class: "due-line", "data-term": term.id, "data-testid": `summary-due-${term.id}` },
    el("span", { class: "due-name" }, `${tx(term.name)}: `),
    el("strong", { class: "due-date", "data-testid": `summary-due-date-${term.id}` }, formatDue(term.due, term.unit)),
    " ",
    el("span", { class: "hint" }, `(${tx(term.duration_label)}${counted})`),
    term.latest_due ? el("span", { class: "due-latest" }, `${t("latest")}: ${formatDue(term.latest_due, term.unit)}`) : null,
    info ? skippedBlock(info) : null,
  );
}

function skippedItems(info) {
  return [
    ...info.skipped.map((s) => el("li", { "data-day": s.day, "data-kind": s.kind }, `${formatDay(s.day)} — ${dayOffText(s)}`)),
    ...info.worked.map((d) => el("li", { "data-day": d, "data-kind": "worked" }, fmt(t("worked_day"), { date: formatDay(d) }))),
  ];
}

function skippedBlock(info) {
  const items = skippedItems(info);
  if (!items.length) return null;
  const head = info.nominal ? fmt(t("moved_end"), { date: formatDay(info.nominal) }) : t("skipped_working");
  return el(
    "div",
    { class: "skipped-block", "data-testid": `skipped-${info.term}` },
    el("span", { class: "skipped-head" }, head),
    el("ul", { class: "skipped" }, items),
  );
}

/* The same days as one line of text, for the terms table and the printout. */
function skippedText(termId) {
  const info = state.dueDates[termId];
  if (!info) return null;
  const items = skippedItems(info).map((li) => li.textContent);
  if (!items.length) return null;
  const head = info.nominal ? fmt(t("moved_end"), { date: formatDay(info.nominal) }) : t("skipped_working");
  return el("span", { class: "skipped-head" }, `${head} ${items.join("; ")}`);
}

function holidayName(id) {
  return id && WORDS.holiday[id] ? word("holiday", id) : t("holiday_generic");
}

/* What kind of day off a skipped day is, in the page's language. */
function dayOffText(s) {
  if (s.kind === "holiday") return holidayName(s.holiday);
  if (s.kind === "observed") return fmt(t("observed"), { holiday: holidayName(s.holiday) });
  if (s.kind === "transferred") return fmt(t("transferred"), { date: formatDay(s.worked_on) });
  return word("weekday", new Date(`${s.day}T00:00:00Z`).getUTCDay());
}

/* --- start ---------------------------------------------------------------------------------------- */

function setMode(mode, ask = true) {
  state.mode = mode;
  $("#decision-set").hidden = !state.detail || mode !== "review";
  if (mode === "review") state.authorityOpen = true; // a reviewer weighs what the authority established
  const details = $("#authority-facts");
  if (details && mode === "review") details.open = true;
  renderEvents();
  if (ask) schedule(0);
}

function wireInputs() {
  for (const b of document.querySelectorAll(".langs button")) b.addEventListener("click", () => setLanguage(b.dataset.lang));
  for (const r of document.querySelectorAll('input[name="mode"]')) r.addEventListener("change", () => setMode(r.value));
  $("#standard").addEventListener("change", (e) => selectStandard(e.target.value));
  $("#channel").addEventListener("change", () => {
    writeAddress();
    schedule(0);
  });
  for (const id of ["#submitted-on", "#evaluated-on", "#payment-date"]) $(id).addEventListener("change", () => schedule(0));
  for (const id of ["#payment-amount", "#decision-other-grounds", "#decision-demanded", "#decision-fee"]) {
    $(id).addEventListener("input", () => schedule(300));
  }
  $("#decision-outcome").addEventListener("change", () => schedule(0));
  $("#facts-all-no").addEventListener("click", allUnansweredNo);
  $("#print").addEventListener("click", () => window.print());
  window.addEventListener("afterprint", () => delete document.body.dataset.printing);
  $("#save-case").addEventListener("click", saveCase);
  $("#open-case").addEventListener("click", () => $("#case-file").click());
  $("#case-file").addEventListener("change", openCaseFile);
  $("#paragraph-close").addEventListener("click", closeParagraph);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !$("#paragraph").hidden) closeParagraph();
  });
  $("#case-form").addEventListener("submit", (e) => e.preventDefault());
}

/* The language: the address bar's, else the one chosen last time, else English. */
function startLanguage(address) {
  let lang = address.lang;
  if (!LANGS.includes(lang)) {
    try {
      lang = localStorage.getItem("ereje.lang") || "en";
    } catch (e) {
      lang = "en";
    }
  }
  return LANGS.includes(lang) ? lang : "en";
}

async function start() {
  const address = readAddress();
  wireInputs();
  const [health, table] = await Promise.all([api("/health"), api("/standards")]);
  if (health.ok) $("#rules-version").textContent = health.body.rules_version;
  state.standards = table.ok ? table.body : [];
  setLanguage(startLanguage(address));
  const withRules = state.standards.filter((r) => r.rules);
  const wanted = address.standard;
  const initial = withRules.some((r) => r.slug === wanted) ? wanted : withRules.length === 1 ? withRules[0].slug : "";
  if (initial) {
    $("#standard").value = initial;
    await selectStandard(initial);
    if (address.channel) {
      renderChannels(address.channel);
      writeAddress();
      schedule(0);
    }
  } else {
    schedule(0);
  }
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", start);
