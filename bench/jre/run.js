// The peer: leaving for permanent residence abroad, encoded for json-rules-engine, run on Node.
// Reads cases (JSONL) from argv[2], writes one summary per line to argv[3], prints {"seconds": s} last.
'use strict';
const fs = require('fs');
const { Engine } = require('json-rules-engine');

const IN_FORCE = ['2011-03-10', '2014-02-13'];
const MCI = [['2009-01-01', '2009-06-30', 1273], ['2009-07-01', '2009-12-31', 1296], ['2010-01-01', '2010-12-31', 1413],
  ['2011-01-01', '2011-12-31', 1512], ['2012-01-01', '2012-12-31', 1618], ['2013-01-01', '2013-12-31', 1731],
  ['2014-01-01', '2014-12-31', 1852], ['2015-01-01', '2015-12-31', 1982]];
const GROUNDS = [['state-secrets', 'holds_secrets_unnotified'], ['suspect-or-accused', 'suspect_or_accused'],
  ['convicted', 'convicted_serving'], ['evades-court-obligations', 'evades_court_obligations'],
  ['conscript-service', 'in_conscript_service'], ['false-information', 'false_information'],
  ['civil-defendant', 'civil_defendant'], ['tax-debt', 'tax_debt']];
const T = (code, subject) => ({ type: code, params: { subject } });
const fact = (name, operator, value) => ({ fact: name, operator, value });

function docRules(id, need, forms) {
  const rules = [{ conditions: { all: [...need, fact(`doc_${id}`, 'equal', null)] }, event: T('document-missing', id) }];
  if (forms) {
    rules.push({ conditions: { all: [...need, fact(`doc_${id}`, 'notEqual', null), fact(`doc_${id}`, 'notIn', forms)] },
      event: T('document-wrong-form', id) });
  }
  return rules;
}

function buildEngine() {
  const engine = new Engine([], { allowUndefinedFacts: true });
  const rules = [
    { conditions: { all: [fact('in_force', 'equal', false)] }, event: T('not-in-force', 'exit-permanent-residence-2011'), priority: 10 },
    { conditions: { any: [fact('citizen', 'equal', false), { all: [fact('submitted_by', 'notEqual', 'legal-representative'),
        fact('age', 'lessThan', 18), { any: [fact('married', 'equal', false), fact('age', 'lessThan', 16)] }] }] },
      event: T('ineligible', 'citizen-of-age') },
    { conditions: { all: [fact('submitted_by', 'notIn', ['applicant', 'legal-representative'])] }, event: T('ineligible', 'no-intermediaries') },
    { conditions: { all: [fact('files_at_residence', 'equal', false)] }, event: T('ineligible', 'place-of-residence') },
    ...docRules('application-questionnaire', []),
    ...docRules('identity-card', []),
    ...docRules('passport', []),
    ...docRules('alimony-no-objection', [fact('alimony_persons_in_kz', 'equal', true)], ['notarised']),
    ...docRules('military-deregistration', [fact('on_military_register', 'equal', true)]),
    ...docRules('guardianship-child-opinion', [fact('child_10_or_older_leaving', 'equal', true)]),
    ...docRules('other-parent-consent', [fact('age', 'lessThan', 18), fact('leaves_with_one_parent', 'equal', true),
      fact('other_parent_in_kz', 'equal', true)], ['notarised']),
    ...docRules('state-duty-receipt-copy', [], ['copy']),
    ...GROUNDS.map(([id, f]) => ({ conditions: { all: [fact(f, 'equal', true)] }, event: T('refusal-ground-applies', id) })),
    { conditions: { all: [fact('duty_due', 'notEqual', null), fact('paid', 'equal', null),
      fact('doc_state-duty-receipt-copy', 'equal', null)] }, event: T('fee-unpaid', 'fee') },
    // A receipt handed in with no payment recorded: its amount is the clerk's to read (needs-data).
    { conditions: { all: [fact('duty_due', 'notEqual', null), fact('paid', 'equal', null),
      fact('doc_state-duty-receipt-copy', 'notEqual', null)] }, event: T('fee-payment-unstated', 'fee') },
    { conditions: { all: [fact('duty_due', 'notEqual', null), fact('paid', 'notEqual', null),
      fact('paid', 'lessThan', { fact: 'duty_due' })] }, event: T('fee-underpaid', 'fee') },
  ];
  rules.forEach((r) => engine.addRule(r));
  return engine;
}

function toFacts(c) {
  const f = { ...c.facts };
  f.in_force = IN_FORCE[0] <= c.submitted_on && c.submitted_on <= IN_FORCE[1];
  const handed = {};
  for (const d of c.documents) handed[d.id] = d.form === undefined ? 'any' : d.form;
  for (const id of ['application-questionnaire', 'identity-card', 'passport', 'alimony-no-objection',
    'military-deregistration', 'guardianship-child-opinion', 'other-parent-consent', 'state-duty-receipt-copy']) {
    f[`doc_${id}`] = id in handed ? handed[id] : null;
  }
  const on = c.payment ? c.payment.date : c.submitted_on;
  const m = MCI.find(([a, b]) => a <= on && on <= b);
  f.duty_due = m ? m[2] : null;
  f.paid = c.payment ? c.payment.amount : null;
  return f;
}

function verdictOf(events) {
  const codes = new Set(events.map((e) => e.type));
  if (codes.has('not-in-force')) return 'not-in-force';
  if (codes.has('ineligible')) return 'ineligible';
  if (codes.has('refusal-ground-applies')) return 'refuse';
  if (['document-missing', 'document-wrong-form', 'fee-unpaid', 'fee-underpaid'].some((c) => codes.has(c))) return 'incomplete';
  if (codes.has('fee-payment-unstated')) return 'needs-data';
  return 'accept';
}

async function main() {
  const lines = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l);
  const engine = buildEngine();
  const out = [];
  const start = process.hrtime.bigint();
  for (const line of lines) {
    const c = JSON.parse(line);
    const { events } = await engine.run(toFacts(c));
    let pairs = events.filter((e) => e.type !== 'fee-payment-unstated').map((e) => [e.type, e.params.subject]);
    if (pairs.some(([code]) => code === 'not-in-force')) pairs = pairs.filter(([code]) => code === 'not-in-force');
    pairs.sort((a, b) => (a[0] + '\u0000' + a[1] < b[0] + '\u0000' + b[1] ? -1 : 1));
    out.push(JSON.stringify([verdictOf(events), pairs]));
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  fs.writeFileSync(process.argv[3], out.join('\n') + '\n');
  console.log(JSON.stringify({ seconds }));
}

main().catch((e) => { console.error(e); process.exit(1); });
