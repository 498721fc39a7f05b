// The answer: everything in Herald's DecisionDocument, rendered as it is. The page decides nothing itself.

import { h, sentence, words, plural } from './dom.js';
import { renderTimeline } from './timeline.js';
import { renderForest } from './forest.js';
import { renderPrintSummary } from './print.js';

// The sources and their years are in the answer's own notice on dated sources (alert dated-sources), not written here.
const DISCLAIMER =
  'Decision support from dated sources (see their notice among the alerts): the treating team decides.';

const STRENGTH_CLASS = new Set(['phase-iii', 'phase-ii', 'exploratory', 'expert-opinion', 'no-data']);
const SEVERITY = { critical: 'Critical', warning: 'Warning', info: 'Information' };
const STATUS = { met: 'Met', 'not-met': 'Not met', unknown: 'Unknown' };

export function strengthBadge(strength, label) {
  const cls = STRENGTH_CLASS.has(strength) ? strength : 'other';
  return h('span', { class: `badge strength strength-${cls}`, title: 'Strength of support' },
    h('span', { class: 'badge-key' }, 'Strength: '), label || sentence(strength));
}

function badge(text, cls) {
  return h('span', { class: `badge ${cls ?? ''}` }, text);
}

function section(title, attrs, ...children) {
  return h('section', { class: 'result-section', ...attrs }, h('h2', null, title), ...children);
}

/**
 * @param doc the DecisionDocument
 * @param ctx { patient: the native JSON sent (or read from FHIR) or null, editionNames: Map id->name, strengthLabels: Map strength->label }
 */
export function renderResult(doc, ctx) {
  const editionName = (id) => ctx.editionNames?.get(id) ?? id;
  const article = h('article', { class: 'result', testid: 'result', 'aria-labelledby': 'result-title' });

  article.appendChild(h('p', { class: 'print-title print-only', testid: 'print-title' },
    `Tumour-board sheet: ${doc.patientId} · as of ${doc.asOf} · ${doc.edition} · KB ${doc.knowledgeBaseVersion}`));
  article.appendChild(renderPrintSummary(ctx.patient, doc));

  const printButton = h('button', { type: 'button', class: 'button secondary', testid: 'print' }, 'Print tumour-board sheet');
  printButton.addEventListener('click', () => window.print());
  article.appendChild(h('header', { class: 'result-head' },
    h('div', null,
      h('h2', { id: 'result-title', tabindex: '-1' }, `Answer for ${doc.patientId}`),
      h('p', { class: 'meta' },
        h('span', null, 'Edition: ', h('strong', null, doc.editionName || doc.edition)),
        h('span', null, 'Decided as of ', h('strong', null, doc.asOf)),
        h('span', null, 'Knowledge base ', doc.knowledgeBaseVersion))),
    h('div', { class: 'result-actions' }, printButton)));
  article.appendChild(h('p', { class: 'disclaimer', role: 'note' }, DISCLAIMER));

  // Alerts first, in the answer's order: most severe first.
  if (doc.alerts?.length) article.appendChild(renderAlerts(doc.alerts));
  article.appendChild(renderDecisionPoint(doc.decisionPoint));
  article.appendChild(renderMissing(doc.missingData ?? []));
  article.appendChild(section('Treatment history', { class: 'result-section history' }, renderTimeline(doc)));
  const strengthLabels = new Map(ctx.strengthLabels ?? []);
  for (const o of doc.recommendations ?? []) if (o.strength && o.strengthLabel) strengthLabels.set(o.strength, o.strengthLabel);
  article.appendChild(renderOptions(doc.recommendations ?? [], { editionName, strengthLabels, printed: new Map() }));
  article.appendChild(section('Evidence as a picture', { class: 'result-section forest-section' }, renderForest(doc)));
  article.appendChild(renderExcluded(doc.excluded ?? []));
  article.appendChild(renderNotIndicated(doc.notIndicated ?? []));
  if (doc.clinicalResistance) article.appendChild(renderResistance(doc.clinicalResistance));
  article.appendChild(renderTrials(doc.trials ?? []));
  if (doc.fhirMapping) article.appendChild(renderFhirMapping(doc.fhirMapping, 'fhir-mapping'));
  article.appendChild(renderSources(doc));
  return article;
}

function renderDecisionPoint(dp) {
  if (!dp) return section('Decision point', { testid: 'decision-point' }, h('p', null, 'Herald did not report a decision point.'));
  const line = dp.line !== undefined && dp.line !== null ? `Line ${dp.line}` : null;
  return section('Decision point', { testid: 'decision-point', class: 'result-section decision-point' },
    h('p', { class: 'dp-label' }, h('strong', null, dp.label ?? sentence(dp.kind)), line ? h('span', { class: 'dp-line' }, ` · ${line} (as the guideline counts it)`) : null),
    dp.rationale?.length ? h('div', null, h('h3', null, 'Why'), h('ol', { class: 'rationale' }, dp.rationale.map((r) => h('li', null, r)))) : null);
}

function renderAlerts(alerts) {
  return section('Alerts', { class: 'result-section alerts', testid: 'alerts' },
    alerts.map((a) => h('div', { class: `alert alert-${a.severity}`, testid: 'alert', dataset: { code: a.code, severity: a.severity } },
      h('p', null, badge(SEVERITY[a.severity] ?? sentence(a.severity), `severity severity-${a.severity}`), ' ', a.text),
      a.source ? h('p', { class: 'source' }, 'Source: ', a.source) : null)));
}

function renderMissing(items) {
  const list = h('ul', { class: 'missing-list' });
  for (const m of items) {
    list.appendChild(h('li', { class: `missing-item${m.blocking ? ' blocking' : ''}`, testid: 'missing-item', dataset: { field: m.field, blocking: m.blocking ? 'true' : 'false' } },
      h('p', null,
        m.blocking ? badge('Blocking: no option is ranked until this is supplied', 'blocking-badge') : badge('Not blocking: options are ranked; supply before starting', 'nonblocking-badge'),
        ' ', h('code', { class: 'path' }, m.field)),
      h('p', null, m.request)));
  }
  const block = section('Missing data', { testid: 'missing-data', class: `result-section missing${items.length ? '' : ' empty'}` },
    items.length ? list : h('p', { class: 'muted' }, 'Nothing Herald needs is missing.'));
  return block;
}

function renderOptions(options, ctx) {
  const list = h('ol', { class: 'options', testid: 'options' });
  for (const o of options) list.appendChild(renderOption(o, ctx));
  return section(`Ranked options (${options.length})`, { class: 'result-section options-section' },
    options.length ? null : h('p', { class: 'muted' }, 'Herald ranks no regimen here: see the alerts, the decision point and the missing data above.'),
    list);
}

function renderOption(o, ctx) {
  const regimen = o.regimen ?? {};
  // Only the regimen's own trials are its evidence; trials a supporting statement only cites are named as that.
  const own = (o.evidence ?? []).filter((e) => e.basis === 'regimen');
  const cited = citedOnly(o.evidence ?? []);
  const statements = [...(o.statements ?? [])].sort((a, b) => (a.id === o.rankedBy ? -1 : b.id === o.rankedBy ? 1 : 0));
  const li = h('li', { class: 'option', testid: 'option', dataset: { regimenId: regimen.id, rank: o.rank } });
  li.appendChild(h('div', { class: 'option-head' },
    h('p', { class: 'rank' }, h('span', { class: 'rank-number', 'aria-hidden': 'true' }, String(o.rank)),
      h('span', { class: 'rank-word' }, `Rank ${o.rank}${o.tied ? ' (tied)' : ''}`)),
    h('div', { class: 'option-title' },
      h('h3', null, regimen.name ?? regimen.id),
      h('p', { class: 'agents' }, 'Agents: ', (regimen.agents ?? []).join(', '),
        // On paper, beside the agents: the regimen's own trials (the others stay on screen and in the JSON, never as its evidence).
        own.length
          ? h('span', { class: 'print-only evidence-summary', testid: 'evidence-summary' },
            ` · ${own.length === 1 ? 'Trial' : 'Trials'} of this regimen: ${own.map((e) => e.trial).join(', ')}.`)
          : null),
      h('p', { class: 'badges' },
        badge(`Preference: ${sentence(o.preference)}`, `preference preference-${o.preference}`),
        strengthBadge(o.strength, o.strengthLabel)))));

  if (o.cautions?.length) {
    li.appendChild(h('div', { class: 'sub cautions' }, h('h4', null, 'Cautions'),
      h('ul', null, o.cautions.map((c) => h('li', { class: `caution${c.weighsAgainst ? ' weighs-against' : ''}`, testid: 'caution', dataset: { ref: c.ref } },
        c.weighsAgainst ? badge('Weighs against this option (lowered its rank)', 'weighs-badge') : null, c.weighsAgainst ? ' ' : null,
        c.text, h('span', { class: 'source' }, ` Source: ${c.source}`))))));
  }

  const [first, ...rest] = statements;
  if (first) {
    const isKey = first.id === o.rankedBy;
    const shownBefore = ctx.printed?.get(first.id);
    if (!shownBefore) ctx.printed?.set(first.id, o.rank);
    li.appendChild(h('div', { class: `sub statements${shownBefore ? ' repeated' : ''}` },
      h('h4', null, isKey ? 'The statement that sets the rank' : 'The statement behind it'),
      renderStatement(first, isKey, ctx),
      shownBefore
        ? h('p', { class: 'print-only repeat-note' }, `Rests on the same statement as the option ranked ${shownBefore} above (${first.source}).`)
        : null,
      rest.length
        ? h('details', { class: 'more-statements' },
          h('summary', null, `${rest.length} more supporting ${rest.length === 1 ? 'statement' : 'statements'}`),
          rest.map((st) => renderStatement(st, st.id === o.rankedBy, ctx)))
        : null));
  }

  if (own.length) {
    li.appendChild(h('details', { class: 'sub evidence-list' },
      h('summary', null, h('span', { class: 'summary-title-small' }, `Trials of this regimen (${plural(own.length, 'trial')})`),
        h('span', { class: 'muted' }, `: ${own.map((e) => e.trial).join(', ')}`)),
      own.map(renderEvidence)));
  }
  if (cited) li.appendChild(h('p', { class: 'sub cited-trials', testid: 'cited-trials' }, cited));

  if (o.monitoring?.length) {
    li.appendChild(h('div', { class: 'sub monitoring' }, h('h4', null, 'Monitoring'),
      h('ul', null, o.monitoring.map((m) => h('li', { testid: 'monitoring', dataset: { ref: m.ref } }, m.text, h('span', { class: 'source' }, ` Source: ${m.source}`))))));
  }

  if (regimen.codes?.length) {
    li.appendChild(h('p', { class: 'codes' }, 'Codes: ',
      regimen.codes.map((c, i) => [i ? '; ' : '', `${c.agent} ${c.system} ${c.code} (${c.confidence} confidence)`])));
  }
  return li;
}

/** "Not trials of this regimen: A, B (cited by statement x); C (cited by statements x, y)." or null. */
function citedOnly(evidence) {
  const groups = new Map();
  for (const e of evidence.filter((x) => x.basis !== 'regimen')) {
    const by = (e.citedBy ?? []).join(', ');
    if (!groups.has(by)) groups.set(by, { by: e.citedBy ?? [], trials: [] });
    groups.get(by).trials.push(e.trial);
  }
  if (!groups.size) return null;
  const citedBy = (ids) => (ids.length === 1 ? `cited by statement ${ids[0]}` : `cited by statements ${ids.join(', ')}`);
  return `Not trials of this regimen: ${[...groups.values()].map((g) => `${g.trials.join(', ')} (${citedBy(g.by)})`).join('; ')}.`;
}

function renderStatement(st, isKey, ctx) {
  const editionName = ctx?.editionName ?? ((id) => id);
  const label = st.strengthLabel ?? ctx?.strengthLabels?.get(st.strength);
  return h('div', { class: `statement${isKey ? ' key-statement' : ''}`, dataset: { statementId: st.id } },
    st.title ? h('p', { class: 'statement-title' }, st.title) : null,
    h('blockquote', { class: 'quote', testid: 'statement-quote' },
      h('p', { class: 'quote-text' }, `“${st.quote}”`),
      h('footer', null,
        h('p', { class: 'quote-source' },
          st.voice ? [h('span', { class: 'voice' }, st.voice), ' — '] : null,
          h('cite', null, st.source),
          st.sourceFile ? h('span', { class: 'file' }, ` (file ${st.sourceFile})`) : null),
        h('p', { class: 'badges' },
          isKey ? badge('Sets the rank', 'key-badge') : null,
          strengthBadge(st.strength, label),
          badge(`Edition: ${editionName(st.edition)}`, 'edition-badge'),
          h('code', { class: 'statement-id' }, st.id)))),
    st.interpretation ? h('p', { class: 'interpretation' }, h('strong', null, 'How Herald reads it: '), st.interpretation) : null,
    st.note ? h('p', { class: 'note' }, h('strong', null, 'Note: '), st.note) : null);
}

function renderEvidence(e) {
  return h('div', { class: 'evidence', testid: 'evidence', dataset: { trial: e.trial } },
    h('p', { class: 'trial-name' }, h('strong', null, e.trial), e.nct ? [' · ', h('span', { class: 'nct', title: 'ClinicalTrials.gov identifier' }, e.nct)] : null,
      e.design ? ` · ${e.design}` : null),
    h('dl', { class: 'trial-facts' },
      e.setting ? [h('dt', null, 'Setting'), h('dd', null, e.setting)] : null,
      e.arms ? [h('dt', null, 'Arms'), h('dd', null, e.arms)] : null,
      e.publication ? [h('dt', null, 'Publication'), h('dd', null, e.publication)] : null),
    e.results?.length ? resultsTable(e.trial, e.results) : null);
}

export function resultsTable(trial, results) {
  return h('table', { class: 'data-table results' },
    h('caption', { class: 'visually-hidden' }, `Results of ${trial}`),
    h('thead', null, h('tr', null, ['Endpoint', 'Analysis', 'Result', 'Figure'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, results.map((r) => h('tr', { class: r.verified ? 'verified' : 'unverified' },
      h('td', null, r.endpoint),
      h('td', null, r.analysis ?? '—'),
      h('td', null, r.text),
      h('td', null, r.verified
        ? badge('✓ Checked against publication', 'verified-badge')
        : badge('As stated in the seed (not checked)', 'unverified-badge'),
      r.source ? h('span', { class: 'source' }, ` ${r.source}`) : null)))));
}

function reasonsList(reasons) {
  return h('ul', { class: 'reasons' }, (reasons ?? []).map((r) => h('li', { dataset: { code: r.code } },
    r.text, h('span', { class: 'source' }, ` Source: ${r.source}${r.code ? ` · ${r.code}` : ''}`))));
}

function renderExcluded(items) {
  const list = h('ul', { class: 'verdicts', testid: 'excluded' },
    items.map((v) => h('li', { class: 'verdict', testid: 'excluded-regimen', dataset: { regimenId: v.regimen?.id } },
      h('p', { class: 'verdict-name' }, badge('Excluded', 'excluded-badge'), ' ', h('strong', null, v.regimen?.name ?? v.regimen?.id)),
      reasonsList(v.reasons))));
  return section(`Excluded for this patient (${items.length})`, { class: 'result-section excluded-section' },
    items.length ? null : h('p', { class: 'muted' }, 'No regimen is excluded for this patient.'),
    list);
}

function renderNotIndicated(items) {
  return h('section', { class: 'result-section not-indicated-section' },
    h('details', { testid: 'not-indicated', class: 'not-indicated' },
      h('summary', null, h('span', { class: 'summary-title' }, `Not indicated here (${plural(items.length, 'regimen')})`),
        h('span', { class: 'muted' }, ' — the sources do not put these forward at this decision point')),
      items.length
        ? h('ul', { class: 'verdicts' }, items.map((v) => h('li', { class: 'verdict', dataset: { regimenId: v.regimen?.id } },
          h('p', { class: 'verdict-name' }, h('strong', null, v.regimen?.name ?? v.regimen?.id)), reasonsList(v.reasons))))
        : h('p', { class: 'muted' }, 'None.')));
}

function renderResistance(cr) {
  const status = cr.status ?? (cr.met ? 'met' : 'not-met');
  return section('Clinical resistance to anti-HER2 therapy (2016 consensus)', { testid: 'resistance', class: 'result-section resistance' },
    h('p', null, badge(`Overall: ${STATUS[status] ?? sentence(status)}`, `status status-${status}`), ' ', cr.consequence ?? ''),
    h('ul', { class: 'criteria' }, (cr.criteria ?? []).map((c) => h('li', { class: 'criterion', testid: 'resistance-criterion', dataset: { criterion: c.id, status: c.status } },
      h('p', null, badge(STATUS[c.status] ?? sentence(c.status), `status status-${c.status}`), ' ', h('strong', null, c.text)),
      c.evidence ? h('p', { class: 'criterion-evidence' }, c.evidence) : null))));
}

function renderTrials(trials) {
  return section('Trials the sources name for this situation', { testid: 'trials', class: 'result-section trials' },
    trials.length
      ? h('ul', { class: 'trial-list' }, trials.map((t) => h('li', { testid: 'trial-suggestion', dataset: { trial: t.id } },
        h('p', null, h('strong', null, t.name), t.nct ? [' · ', h('span', { class: 'nct' }, t.nct)] : null, t.setting ? ` · ${t.setting}` : null),
        t.statusInSeeds ? h('p', null, `Status as the dated sources gave it: ${t.statusInSeeds}. Check the registry for the current status.`) : null,
        t.why ? h('p', null, t.why) : null,
        h('p', { class: 'source' }, `Source: ${t.source}`))))
      : h('p', { class: 'muted' }, 'The sources name no trial for this situation.'));
}

export function renderFhirMapping(m, testid) {
  const lines = m.lines ?? [];
  return section('What Herald read from the FHIR input', { testid, class: 'result-section fhir' },
    h('h3', null, `Derived lines of therapy (${lines.length})`),
    lines.length
      ? h('ol', { class: 'fhir-lines' }, lines.map((l) => h('li', null,
        h('p', null, h('strong', null, `Line ${l.number}: ${(l.agents ?? []).join(', ')}`),
          ` · ${l.start ?? '?'} to ${l.stop ?? 'ongoing'}`, l.stopReason ? ` · stopped: ${words(l.stopReason)}` : null,
          l.bestResponse ? ` · best response: ${words(l.bestResponse)}` : null),
        l.rules?.length ? h('ul', { class: 'rules' }, l.rules.map((r) => h('li', null, r))) : null,
        l.sources?.length ? h('p', { class: 'source' }, 'From: ', l.sources.join(', ')) : null)))
      : h('p', { class: 'muted' }, 'No lines derived.'),
    h('h3', null, `Unmapped codes (${(m.unmapped ?? []).length})`),
    (m.unmapped ?? []).length
      ? h('ul', null, m.unmapped.map((u) => h('li', null, typeof u === 'string' ? u : describe(u))))
      : h('p', { class: 'muted' }, 'Every code was mapped.'),
    (m.notes ?? []).length ? [h('h3', null, 'Notes'), h('ul', null, m.notes.map((n) => h('li', null,
      n.field ? [h('code', { class: 'path' }, n.field), ' '] : null, n.text, n.source ? h('span', { class: 'source' }, ` (${n.source})`) : null)))] : null,
    (m.problems ?? []).length ? [h('h3', null, 'Problems'), h('ul', null, m.problems.map((p) => h('li', null, typeof p === 'string' ? p : describe(p))))] : null);
}

function describe(obj) {
  return Object.entries(obj ?? {}).filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : v}`).join('; ');
}

/** Every source the answer cites, once each, grouped by document: "2021 expert panel (seed 001)" -> its sections and files. */
function collectSources(doc) {
  const groups = new Map();
  const add = (text, file) => {
    if (!text) return;
    const comma = text.indexOf(', ');
    const documentName = comma > 0 ? text.slice(0, comma) : text;
    const part = comma > 0 ? text.slice(comma + 2) : null;
    if (!groups.has(documentName)) groups.set(documentName, { parts: new Set(), files: new Set() });
    const g = groups.get(documentName);
    if (part) g.parts.add(part);
    if (file) g.files.add(file);
  };
  for (const o of doc.recommendations ?? []) {
    for (const st of o.statements ?? []) add(st.source, st.sourceFile);
    for (const c of o.cautions ?? []) add(c.source);
    for (const m of o.monitoring ?? []) add(m.source);
    for (const e of o.evidence ?? []) for (const r of e.results ?? []) add(r.source);
  }
  for (const v of doc.excluded ?? []) for (const r of v.reasons ?? []) add(r.source);
  for (const a of doc.alerts ?? []) add(a.source);
  return [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0]))
    .map(([name, g]) => ({ name, parts: [...g.parts].sort(), files: [...g.files].sort() }));
}

function renderSources(doc) {
  const sources = collectSources(doc);
  return section(`Sources cited (${sources.length})`, { class: 'result-section sources', testid: 'sources' },
    h('ul', { class: 'source-list' }, sources.map((src) => h('li', null,
      h('strong', null, src.name),
      src.parts.length ? `: ${src.parts.join('; ')}` : null,
      src.files.length ? h('span', { class: 'muted' }, ` (file ${src.files.join(', ')})`) : null))));
}
