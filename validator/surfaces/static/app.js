/* Ereje — the clerk's page. Vanilla JS, no build step, nothing fetched but this server's API.
 *
 * The page holds no rule logic: it asks the standard's facts (GET /standards/{slug}), sends the
 * case to POST /check (or /review) whenever an input changes, and renders the report it gets back —
 * the checklist the engine lists for those facts, the verdict, the findings with their citations,
 * the terms and the fee. A citation opens the paragraph's Kazakh text (GET .../paragraphs/{unit}).
 */
"use strict";

const LANGS = ["kk", "ru", "en"];
const EVENTS = [
  "submitted", "registered", "forwarded", "received", "decided", "notified", "issued",
  "queue_joined", "service_started", "service_ended", "collection_queue_joined", "collection_service_started",
];

const I18N = {
  en: {
    tagline: "State service standards: check a case, review a decision",
    language: "Language", case: "Case", mode: "Mode", mode_check: "Pre-check (clerk)", mode_review: "Review (complaint)",
    standard: "Standard", choose_standard: "— choose a standard —", channel: "Channel (where handed in)",
    submitted_on: "Submitted on", evaluated_on: "Evaluated on (optional)",
    facts: "Facts", facts_hint: "Leave what is not known unanswered: the report says which facts it needs.",
    applicant_facts: "Stated by the applicant", authority_facts: "Established by the authority", authority: "authority",
    all_no: "Unanswered: no", not_stated: "not stated", clear: "clear", clear_fact: "Clear the answer to",
    events: "Events (date and time)", payment: "Payment", payment_amount: "Amount paid, ₸", payment_date: "Date paid",
    decision: "Decision", outcome: "Outcome", choose: "— choose —", grounds: "Grounds given in the decision",
    no_grounds: "The rules list no grounds.",
    other_grounds: "Other grounds (one per line)", demanded: "Documents demanded (one per line)", demanded_fee: "Fee demanded, ₸",
    documents: "Documents", checklist_hint: "Tick each document as it is handed in.", form: "Form", which: "Which document",
    any_form: "— form —", missing: "missing", handed_in: "handed in", no_checklist: "The checklist appears when the case can be checked.",
    no_documents: "No documents apply to these facts.",
    report: "Report", print: "Print", verdict: "Verdict", findings: "Findings", no_findings: "Nothing to note.",
    terms: "Terms", term: "Term", duration: "Duration", due: "Due", status: "Status", fee: "Fee", free: "free",
    state_duty: "State duty", paid: "paid", not_paid: "not paid", on: "on",
    prompt_standard: "Choose a standard.", prompt_channel: "Choose the channel.",
    prompt_date: "Enter the date the application was handed in.", prompt_outcome: "Choose the decision's outcome.",
    checking: "Checking…", problems: "The case is not valid:", server_error: "The server did not answer.",
    in_force: "In force", close: "Close", open_paragraph: "Open the text of", rules_version: "Rules version",
    print_check: "Result of the document check", print_review: "Result of the review of a decision",
    submitted: "Submitted", citation: "Citation", handed: "Handed in", document: "Document",
    print_note: "Checked with Ereje against the standard's text; each finding cites its paragraph.",
    yes: "yes", no: "no",
  },
  ru: {
    tagline: "Стандарты государственных услуг: проверка дела, рассмотрение решения",
    language: "Язык", case: "Дело", mode: "Режим", mode_check: "Предварительная проверка (сотрудник)", mode_review: "Рассмотрение жалобы",
    standard: "Стандарт", choose_standard: "— выберите стандарт —", channel: "Место подачи",
    submitted_on: "Дата подачи", evaluated_on: "Дата оценки (необязательно)",
    facts: "Обстоятельства", facts_hint: "Неизвестное оставьте без ответа: отчёт скажет, каких данных не хватает.",
    applicant_facts: "Со слов заявителя", authority_facts: "Устанавливает орган", authority: "орган",
    all_no: "Без ответа — нет", not_stated: "не указано", clear: "сбросить", clear_fact: "Сбросить ответ:",
    events: "События (дата и время)", payment: "Оплата", payment_amount: "Уплачено, ₸", payment_date: "Дата оплаты",
    decision: "Решение", outcome: "Результат", choose: "— выберите —", grounds: "Основания, указанные в решении",
    no_grounds: "В правилах нет оснований.",
    other_grounds: "Другие основания (каждое с новой строки)", demanded: "Истребованные документы (каждый с новой строки)",
    demanded_fee: "Истребованная плата, ₸",
    documents: "Документы", checklist_hint: "Отмечайте документы по мере сдачи.", form: "Форма", which: "Какой документ",
    any_form: "— форма —", missing: "нет", handed_in: "сдан", no_checklist: "Перечень появится, когда дело можно будет проверить.",
    no_documents: "При этих обстоятельствах документы не требуются.",
    report: "Отчёт", print: "Печать", verdict: "Вердикт", findings: "Выводы", no_findings: "Замечаний нет.",
    terms: "Сроки", term: "Срок", duration: "Длительность", due: "Крайний срок", status: "Статус", fee: "Плата", free: "бесплатно",
    state_duty: "Государственная пошлина", paid: "уплачено", not_paid: "не уплачено", on: "",
    prompt_standard: "Выберите стандарт.", prompt_channel: "Выберите место подачи.",
    prompt_date: "Укажите дату подачи заявления.", prompt_outcome: "Выберите результат решения.",
    checking: "Проверка…", problems: "Дело заполнено неверно:", server_error: "Сервер не ответил.",
    in_force: "Период действия", close: "Закрыть", open_paragraph: "Открыть текст:", rules_version: "Версия правил",
    print_check: "Результат проверки документов", print_review: "Результат рассмотрения решения",
    submitted: "Подано", citation: "Ссылка", handed: "Сдан", document: "Документ",
    print_note: "Проверено Ereje по тексту стандарта; каждый вывод ссылается на свой пункт.",
    yes: "да", no: "нет",
  },
  kk: {
    tagline: "Мемлекеттік қызмет стандарттары: істі тексеру, шешімді қарау",
    language: "Тіл", case: "Іс", mode: "Режим", mode_check: "Алдын ала тексеру (қызметкер)", mode_review: "Шағымды қарау",
    standard: "Стандарт", choose_standard: "— стандартты таңдаңыз —", channel: "Өтініш берілетін орын",
    submitted_on: "Өтініш берілген күн", evaluated_on: "Бағалау күні (міндетті емес)",
    facts: "Мән-жайлар", facts_hint: "Белгісізін жауапсыз қалдырыңыз: есеп қандай дерек жетіспейтінін айтады.",
    applicant_facts: "Өтініш берушінің айтуынша", authority_facts: "Уәкілетті орган анықтайды", authority: "орган",
    all_no: "Жауапсыздары — жоқ", not_stated: "көрсетілмеген", clear: "тазарту", clear_fact: "Жауапты тазарту:",
    events: "Оқиғалар (күні мен уақыты)", payment: "Төлем", payment_amount: "Төленген сома, ₸", payment_date: "Төлем күні",
    decision: "Шешім", outcome: "Нәтижесі", choose: "— таңдаңыз —", grounds: "Шешімде көрсетілген негіздер",
    no_grounds: "Ережелерде негіздер жоқ.",
    other_grounds: "Басқа негіздер (әрқайсысы жаңа жолдан)", demanded: "Талап етілген құжаттар (әрқайсысы жаңа жолдан)",
    demanded_fee: "Талап етілген төлем, ₸",
    documents: "Құжаттар", checklist_hint: "Құжат тапсырылған сайын белгілеңіз.", form: "Нысаны", which: "Қай құжат",
    any_form: "— нысаны —", missing: "жоқ", handed_in: "тапсырылды", no_checklist: "Істі тексеруге болғанда тізбе шығады.",
    no_documents: "Бұл мән-жайларда құжат талап етілмейді.",
    report: "Есеп", print: "Басып шығару", verdict: "Қорытынды", findings: "Анықталғандар", no_findings: "Ескертулер жоқ.",
    terms: "Мерзімдер", term: "Мерзім", duration: "Ұзақтығы", due: "Соңғы күні", status: "Күйі", fee: "Төлем", free: "тегін",
    state_duty: "Мемлекеттік баж", paid: "төленді", not_paid: "төленбеген", on: "",
    prompt_standard: "Стандартты таңдаңыз.", prompt_channel: "Өтініш берілетін орынды таңдаңыз.",
    prompt_date: "Өтініш берілген күнді енгізіңіз.", prompt_outcome: "Шешімнің нәтижесін таңдаңыз.",
    checking: "Тексерілуде…", problems: "Іс дұрыс толтырылмаған:", server_error: "Сервер жауап бермеді.",
    in_force: "Қолданыста болған кезеңі", close: "Жабу", open_paragraph: "Мәтінін ашу:", rules_version: "Ережелер нұсқасы",
    print_check: "Құжаттарды тексеру нәтижесі", print_review: "Шешімді қарау нәтижесі",
    submitted: "Берілді", citation: "Сілтеме", handed: "Тапсырылды", document: "Құжат",
    print_note: "Ereje стандарт мәтіні бойынша тексерді; әр тұжырым өз тармағына сілтейді.",
    yes: "иә", no: "жоқ",
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
  facts: {}, // fact id → value (absent: not stated)
  docs: {}, // requirement id → {handed, form, as}
  grounds: new Set(),
  report: null,
  problems: null,
  message: "",
  seq: 0,
  checklistKey: "",
  lastFocus: null,
};

const $ = (sel) => document.querySelector(sel);
const t = (key) => (I18N[state.lang] && I18N[state.lang][key]) || I18N.en[key] || key;
const word = (group, key) => {
  const w = WORDS[group] && WORDS[group][key];
  return w ? w[LANGS.indexOf(state.lang)] : key;
};
const tx = (text) => (text ? text[state.lang] || text.en || text.kk || "" : "");

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
  const response = await fetch(path, Object.assign({}, options, { headers }));
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  return { ok: response.ok, status: response.status, body, headers: response.headers };
}

/* --- language ---------------------------------------------------------------------------------- */

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
  if (state.problems) schedule(0); // problem details come in the page's language
}

/* --- the standard and its rules ---------------------------------------------------------------- */

function standardTitle(row) {
  return titleOf(row);
}

function renderStandardOptions() {
  const select = $("#standard");
  select.replaceChildren(el("option", { value: "", text: t("choose_standard") }));
  for (const row of state.standards.filter((r) => r.rules)) {
    select.append(el("option", { value: row.slug, selected: row.slug === state.slug, title: standardTitle(row) }, `${row.slug} — ${standardTitle(row)}`));
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
  const title = titleOf(Object.assign({}, std, { title: state.detail.rules && state.detail.rules.title }));
  meta.textContent = `${title}. ${t("in_force")}: ${std.in_force_from || "?"} – ${std.in_force_to || "?"}.`;
}

async function selectStandard(slug) {
  document.body.dataset.busy = "true";
  state.slug = slug;
  state.detail = null;
  state.facts = {};
  state.docs = {};
  state.grounds = new Set();
  state.report = null;
  state.problems = null;
  state.checklistKey = "";
  if (slug) {
    const res = await api(`/standards/${encodeURIComponent(slug)}`);
    if (res.ok && state.slug === slug) state.detail = res.body;
  }
  try {
    if (slug) history.replaceState(null, "", `#${slug}`);
  } catch (e) {
    /* ignore */
  }
  renderStandardMeta();
  renderChannels();
  renderFacts();
  renderEvents();
  renderDecision();
  for (const id of ["#facts-set", "#events-set", "#payment-set"]) $(id).hidden = !state.detail;
  $("#decision-set").hidden = !state.detail || state.mode !== "review";
  schedule(0);
}

function rules() {
  return state.detail && state.detail.rules;
}

function renderChannels() {
  const select = $("#channel");
  const before = select.value;
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
}

/* --- facts ------------------------------------------------------------------------------------- */

function factRow(fact) {
  const id = `fact-${fact.id}`;
  const value = state.facts[fact.id];
  const label = el("label", { for: id, "data-unknown": t("not_stated") }, tx(fact.label), fact.unit ? ` (${word("factUnit", fact.unit)})` : "");
  const row = el("div", { class: "fact", "data-fact": fact.id, "data-type": fact.type });
  let input;
  if (fact.type === "boolean") {
    input = el("input", { type: "checkbox", id, "data-testid": id });
    input.addEventListener("change", () => setFact(fact.id, input.checked));
    row.append(input, label);
  } else if (fact.type === "enum") {
    input = el("select", { id, "data-testid": id });
    input.append(el("option", { value: "", text: t("not_stated") }));
    for (const v of fact.values || []) input.append(el("option", { value: v }, fact.value_labels && fact.value_labels[v] ? tx(fact.value_labels[v]) : v));
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
  if (fact.established_by === "authority") row.append(el("span", { class: "tag" }, t("authority")));
  row.append(
    el("button", {
      type: "button", class: "link clear", "data-testid": `clear-${fact.id}`, title: t("clear"),
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
  if (value === undefined) delete state.facts[id];
  else state.facts[id] = value;
  const row = document.querySelector(`.fact[data-fact="${CSS.escape(id)}"]`);
  const fact = rules().facts.find((f) => f.id === id);
  if (row && fact) syncFact(row, fact, value, setInput);
  schedule(delay);
}

function renderFacts() {
  const box = $("#facts");
  const r = rules();
  box.replaceChildren();
  if (!r) return;
  const groups = [
    ["applicant_facts", r.facts.filter((f) => f.established_by !== "authority")],
    ["authority_facts", r.facts.filter((f) => f.established_by === "authority")],
  ];
  for (const [key, facts] of groups) {
    if (!facts.length) continue;
    box.append(el("div", { class: "facts-group", "data-group": key }, el("h3", {}, t(key)), facts.map(factRow)));
  }
  $("#facts-all-no").hidden = !r.facts.some((f) => f.type === "boolean");
}

function allUnansweredNo() {
  const r = rules();
  if (!r) return;
  for (const f of r.facts) if (f.type === "boolean" && state.facts[f.id] === undefined) state.facts[f.id] = false;
  renderFacts();
  schedule(0);
}

/* --- events, payment, decision ------------------------------------------------------------------ */

function termEvents() {
  const r = rules();
  const used = new Set(["submitted"]);
  if (r) for (const term of r.terms) {
    used.add(term.from);
    used.add(term.to);
  }
  if (state.mode === "review") used.add("decided");
  return EVENTS.filter((e) => used.has(e));
}

function renderEvents() {
  const box = $("#events");
  const previous = {};
  for (const input of box.querySelectorAll("input")) previous[input.dataset.event] = input.value;
  box.replaceChildren();
  for (const name of termEvents()) {
    const id = `event-${name}`;
    const input = el("input", { type: "datetime-local", id, "data-testid": id, "data-event": name });
    input.value = previous[name] || "";
    input.addEventListener("input", () => schedule(300));
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
    box.append(el("div", { class: "fact" }, input, el("label", { for: id }, `${tx(g.name)} `, el("span", { class: "hint" }, `(${g.cite})`))));
  }
}

function lines(text) {
  return text.split("\n").map((s) => s.trim()).filter(Boolean);
}

/* --- the case ---------------------------------------------------------------------------------- */

function buildCase() {
  const c = {
    standard: state.slug,
    channel: $("#channel").value,
    submitted_on: $("#submitted-on").value,
    facts: Object.assign({}, state.facts),
    documents: [],
    events: {},
  };
  const evaluated = $("#evaluated-on").value;
  if (evaluated) c.evaluated_on = evaluated;
  for (const [id, d] of Object.entries(state.docs)) {
    if (!d.handed) continue;
    const doc = { id: d.as || id };
    if (d.form) doc.form = d.form;
    c.documents.push(doc);
  }
  for (const input of document.querySelectorAll("#events input")) if (input.value) c.events[input.dataset.event] = input.value;
  const amount = $("#payment-amount").value;
  const paidOn = $("#payment-date").value;
  if (amount !== "" && paidOn && Number(amount) >= 0) c.payment = { amount: Number(amount), date: paidOn };
  if (state.mode === "review") {
    const decision = {
      outcome: $("#decision-outcome").value,
      grounds: [...state.grounds, ...lines($("#decision-other-grounds").value)],
      demanded_documents: lines($("#decision-demanded").value),
    };
    const fee = $("#decision-fee").value;
    if (fee !== "" && Number(fee) >= 0) decision.demanded_fee = Number(fee);
    c.decision = decision;
  }
  return c;
}

let timer = null;
/* Ask for a new report after `delay` ms; body[data-busy] is "true" until the newest answer is shown. */
function schedule(delay) {
  clearTimeout(timer);
  state.seq++;
  document.body.dataset.busy = "true";
  timer = setTimeout(requestReport, delay);
}

async function requestReport() {
  const seq = ++state.seq;
  const c = buildCase();
  let prompt = "";
  if (!state.slug || !state.detail) prompt = "prompt_standard";
  else if (!c.channel) prompt = "prompt_channel";
  else if (!c.submitted_on) prompt = "prompt_date";
  else if (state.mode === "review" && !c.decision.outcome) prompt = "prompt_outcome";
  if (prompt) {
    state.report = null;
    state.problems = null;
    state.message = prompt;
    renderAll();
    document.body.dataset.busy = "false";
    return;
  }
  state.message = "checking";
  renderStatus();
  let res;
  try {
    res = await api(`/${state.mode}?lang=all`, { method: "POST", body: JSON.stringify(c), headers: { "Content-Type": "application/json" } });
  } catch (e) {
    res = { ok: false, status: 0, body: null };
  }
  if (seq !== state.seq) return; // a newer request is on its way
  if (res.ok) {
    state.report = res.body;
    state.problems = null;
    state.message = "";
  } else {
    state.report = null;
    state.problems = res.body && res.body.errors ? res.body : { detail: t("server_error"), errors: [] };
    state.message = "";
  }
  renderAll();
  document.body.dataset.busy = "false";
}

/* --- rendering the report ----------------------------------------------------------------------- */

function renderAll() {
  renderStatus();
  renderChecklist();
  renderReport();
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
    el("ul", {}, (state.problems.errors || []).map((p) => el("li", {}, el("code", {}, p.path), " ", p.message))),
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
    const d = state.docs[item.id] || (state.docs[item.id] = { handed: false, form: "", as: "" });
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
      for (const f of item.forms) select.append(el("option", { value: f, selected: d.form === f }, word("form", f)));
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
  return titleOf(row);
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
        el("td", { class: `st-${term.status}` }, word("termStatus", term.status)),
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
    $("#paragraph-standard").textContent = `${p.standard} · ${t("citation")}: ${p.unit}`;
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
    el("p", { class: "meta" }, titleOf(Object.assign({}, std, { title: state.detail.rules && state.detail.rules.title }))),
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
              el("td", {}, formatDue(term.due, term.unit)),
              el("td", {}, word("termStatus", term.status)),
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
  view.append(el("p", { class: "small" }, `${t("print_note")} ${t("rules_version")}: ${$("#rules-version").textContent}. ${report.standard}`));
}

/* --- start ---------------------------------------------------------------------------------------- */

function setMode(mode) {
  state.mode = mode;
  $("#decision-set").hidden = !state.detail || mode !== "review";
  renderEvents();
  schedule(0);
}

async function start() {
  let lang = "en";
  try {
    lang = localStorage.getItem("ereje.lang") || lang;
  } catch (e) {
    /* ignore */
  }
  if (!LANGS.includes(lang)) lang = "en";
  for (const b of document.querySelectorAll(".langs button")) b.addEventListener("click", () => setLanguage(b.dataset.lang));
  for (const r of document.querySelectorAll('input[name="mode"]')) r.addEventListener("change", () => setMode(r.value));
  $("#standard").addEventListener("change", (e) => selectStandard(e.target.value));
  $("#channel").addEventListener("change", () => schedule(0));
  for (const id of ["#submitted-on", "#evaluated-on", "#payment-date"]) $(id).addEventListener("change", () => schedule(0));
  for (const id of ["#payment-amount", "#decision-other-grounds", "#decision-demanded", "#decision-fee"]) {
    $(id).addEventListener("input", () => schedule(300));
  }
  $("#decision-outcome").addEventListener("change", () => schedule(0));
  $("#facts-all-no").addEventListener("click", allUnansweredNo);
  $("#print").addEventListener("click", () => window.print());
  $("#paragraph-close").addEventListener("click", closeParagraph);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !$("#paragraph").hidden) closeParagraph();
  });
  $("#case-form").addEventListener("submit", (e) => e.preventDefault());

  const [health, table] = await Promise.all([api("/health"), api("/standards")]);
  if (health.ok) $("#rules-version").textContent = health.body.rules_version;
  state.standards = table.ok ? table.body : [];
  setLanguage(lang);
  const wanted = decodeURIComponent(location.hash.slice(1));
  const withRules = state.standards.filter((r) => r.rules);
  const initial = withRules.some((r) => r.slug === wanted) ? wanted : withRules.length === 1 ? withRules[0].slug : "";
  if (initial) {
    $("#standard").value = initial;
    await selectStandard(initial);
  } else {
    schedule(0);
  }
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", start);
