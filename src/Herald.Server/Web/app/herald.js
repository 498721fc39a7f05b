// Herald's clinician page: wiring of tabs, the patient form, the answer, the editions, the knowledge base and the
// audit log. Herald's server decides; this page sends the input and shows the answer as it is.

import { h, clear, plural } from './dom.js';
import { request, getToken, setToken } from './api.js';
import { PatientForm } from './form.js';
import { renderResult, renderFhirMapping } from './answer.js';
import { renderComparison } from './editions.js';
import { renderKnowledge } from './knowledge.js';
import { loadAudit } from './audit.js';

const $ = (id) => document.getElementById(id);

const state = {
  form: null,
  knowledge: null,
  knowledgeError: '',
  knowledgeRendered: false,
  editionNames: new Map(),
  strengthLabels: new Map(),
  seq: 0,
  last: null,
};

// ---------------------------------------------------------------- tabs (roving tabindex, manual activation)

const TABS = ['patient', 'answer', 'editions', 'knowledge', 'audit'];

function tabButton(name) {
  return $(`tab-${name}`);
}

function selectTab(name, { focusTab = false } = {}) {
  for (const t of TABS) {
    const selected = t === name;
    const button = tabButton(t);
    button.setAttribute('aria-selected', selected ? 'true' : 'false');
    button.tabIndex = selected ? 0 : -1;
    $(`panel-${t}`).hidden = !selected;
  }
  if (focusTab) tabButton(name).focus();
  if (name === 'knowledge') showKnowledge();
  if (name === 'audit') loadAudit($('audit-host'));
}

function setupTabs() {
  const list = document.querySelector('[role="tablist"]');
  for (const t of TABS) tabButton(t).addEventListener('click', () => selectTab(t));
  list.addEventListener('keydown', (event) => {
    const buttons = TABS.map(tabButton);
    const index = buttons.indexOf(document.activeElement);
    if (index < 0) return;
    let next = null;
    if (event.key === 'ArrowRight') next = (index + 1) % buttons.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + buttons.length) % buttons.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = buttons.length - 1;
    if (next === null) return;
    event.preventDefault();
    buttons[next].focus();
  });
}

// ---------------------------------------------------------------- settings and health

function showTokenState() {
  $('token-state').textContent = getToken()
    ? 'A token is set for this browser tab and is sent with decisions, comparisons and the audit log.'
    : 'No token is set.';
}

function setupSettings() {
  const form = document.querySelector('[data-testid="token-form"]');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $('bearer-token');
    const token = input.value.trim().replace(/^Bearer\s+/i, '');
    if (!setToken(token)) $('token-state').textContent = 'This browser refused to keep the token (session storage is unavailable).';
    else showTokenState();
    input.value = '';
  });
  document.querySelector('[data-testid="token-clear"]').addEventListener('click', () => {
    setToken('');
    $('bearer-token').value = '';
    showTokenState();
  });
  showTokenState();
}

async function loadHealth() {
  const target = document.querySelector('[data-testid="auth-mode"]');
  const result = await request('GET', '/health');
  if (!result.ok) {
    target.textContent = `Could not read the server's health: ${result.message}`;
    return;
  }
  const health = result.data ?? {};
  const mode = health.authentication ?? health.auth ?? health.authenticationMode;
  const modeText = typeof mode === 'string' ? mode : mode && typeof mode === 'object' ? mode.mode ?? JSON.stringify(mode) : null;
  let advice = '';
  if (modeText === 'local-development') advice = ' Calls from this machine need no token.';
  else if (modeText && /jwt/i.test(modeText)) advice = ' Paste a bearer token below to decide and to read the audit log.';
  target.textContent = modeText
    ? `Server authentication mode: ${modeText}.${advice}`
    : 'The server did not report its authentication mode.';
  if (health.knowledgeBaseVersion) $('kb-version').textContent = health.knowledgeBaseVersion;
  // In JWT mode without a token nothing can be decided: show where the token goes.
  if (modeText && /jwt/i.test(modeText) && !getToken()) document.querySelector('[data-testid="settings"]').open = true;
}

// ---------------------------------------------------------------- knowledge base (editions, agent names, browsing)

async function loadKnowledge() {
  const result = await request('GET', '/api/knowledge');
  if (!result.ok || !result.data || typeof result.data !== 'object') {
    state.knowledgeError = result.ok ? 'Herald returned no knowledge base.' : result.message;
    const host = $('knowledge-host');
    clear(host).appendChild(h('p', { class: 'error-message', testid: 'kb-error' }, `The knowledge base could not be loaded. ${state.knowledgeError}`));
    return;
  }
  const kb = result.data;
  state.knowledge = kb;
  state.editionNames = new Map((kb.editions ?? []).map((e) => [e.id, e.name]));
  for (const st of kb.statements ?? []) if (st.strength && st.strengthLabel) state.strengthLabels.set(st.strength, st.strengthLabel);

  const select = $('edition');
  const chosen = select.value;
  clear(select);
  for (const e of kb.editions ?? []) {
    select.appendChild(h('option', { value: e.id }, `${e.name}${e.isDefault ? ' (default)' : ''}`));
  }
  const fallback = (kb.editions ?? []).find((e) => e.isDefault)?.id ?? kb.editions?.[0]?.id ?? '';
  select.value = chosen && state.editionNames.has(chosen) ? chosen : fallback;

  const agents = new Set();
  for (const r of kb.regimens ?? []) for (const a of r.agents ?? []) agents.add(a);
  const datalist = $('agent-names');
  clear(datalist);
  for (const a of [...agents].sort()) datalist.appendChild(h('option', { value: a }));
  if (kb.version) $('kb-version').textContent = kb.version;
  if (!$('panel-knowledge').hidden) showKnowledge();
}

function showKnowledge() {
  if (state.knowledgeRendered || !state.knowledge) return;
  renderKnowledge($('knowledge-host'), state.knowledge);
  state.knowledgeRendered = true;
}

// ---------------------------------------------------------------- examples and files

async function loadExamples() {
  const list = $('examples');
  const status = $('examples-status');
  status.textContent = 'Loading the examples…';
  const result = await request('GET', '/api/examples');
  if (!result.ok) {
    status.textContent = `The examples could not be loaded. ${result.message}`;
    return;
  }
  const examples = result.data?.examples ?? [];
  status.textContent = examples.length ? '' : 'Herald ships no examples.';
  clear(list);
  for (const ex of examples) {
    const button = h('button', { type: 'button', class: 'example', testid: `open-example-${ex.id}`, dataset: { exampleId: ex.id } },
      h('span', { class: 'example-title' }, ex.title || ex.id, ex.seed ? h('span', { class: 'badge seed-badge' }, 'Seed case') : null),
      ex.description ? h('span', { class: 'example-desc' }, ex.description) : null);
    button.addEventListener('click', () => openExample(ex.id));
    list.appendChild(h('li', null, button));
  }
}

async function openExample(id) {
  const seq = ++state.seq;
  setStatus(`Opening example ${id}…`);
  clearRequestError();
  const result = await request('GET', `/api/examples/${encodeURIComponent(id)}`);
  if (seq !== state.seq) return;
  if (!result.ok || !result.data || typeof result.data !== 'object') {
    setStatus('');
    showRequestError(result.ok ? `Example ${id} is not a patient.` : result.message);
    return;
  }
  state.form.fill(result.data);
  await decide({ body: JSON.stringify(result.data), contentType: 'application/json', patient: result.data, origin: `example ${id}` });
}

async function loadFile(input) {
  const file = input.files && input.files[0];
  if (!file) return;
  let text;
  try {
    text = await file.text();
  } catch (error) {
    showRequestError(`The file ${file.name} could not be read: ${error && error.message ? error.message : error}`);
    return;
  }
  input.value = '';
  let parsed = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null; // Herald names the problem (line and position) in its answer.
  }
  if (parsed && typeof parsed === 'object' && parsed.resourceType === 'Bundle') {
    await decide({ body: text, contentType: 'application/fhir+json', patient: null, origin: `FHIR Bundle ${file.name}` });
    return;
  }
  // The form shows the file: its fields, or nothing when the file holds no patient object (Herald names the problem).
  state.form.fill(parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {});
  await decide({ body: text, contentType: 'application/json', patient: parsed && typeof parsed === 'object' ? parsed : null, origin: `file ${file.name}` });
}

// ---------------------------------------------------------------- deciding

function setStatus(text) {
  $('request-status').textContent = text;
}

function clearRequestError() {
  clear($('request-error'));
}

function showRequestError(message) {
  const host = $('request-error');
  clear(host).appendChild(h('div', { class: 'error-message', role: 'alert', testid: 'request-error-message' }, message));
}

function query({ withEdition }) {
  const params = new URLSearchParams();
  const edition = $('edition').value;
  const asOf = $('as-of').value;
  if (withEdition && edition) params.set('edition', edition);
  if (asOf) params.set('asOf', asOf);
  const q = params.toString();
  return q ? `?${q}` : '';
}

function showNoResult(message, testid) {
  const host = $('answer-host');
  clear(host).appendChild(h('p', { class: 'empty-state error-message', testid }, message));
  const editions = $('editions-host');
  clear(editions).appendChild(h('p', { class: 'empty-state' }, 'No comparison: there is no answer for the current input.'));
}

async function decide(req) {
  const seq = ++state.seq;
  state.last = req;
  clearRequestError();
  clear($('fhir-problems'));
  setStatus(`Deciding (${req.origin})…`);
  // Never leave the previous patient's answer on screen while another is being decided.
  clear($('answer-host')).appendChild(h('p', { class: 'empty-state', role: 'status', testid: 'answer-pending' }, `Deciding (${req.origin})…`));
  clear($('editions-host')).appendChild(h('p', { class: 'empty-state' }, 'Waiting for the decision…'));
  const q = query({ withEdition: true });
  const result = await request('POST', `/api/recommendations${q}`, { body: req.body, contentType: req.contentType, auth: true });
  if (seq !== state.seq) return;
  setStatus('');

  if (result.ok && result.data && typeof result.data === 'object') {
    const doc = result.data;
    let patient = req.patient;
    if (req.contentType === 'application/fhir+json') {
      patient = doc.fhirMapping?.patient ?? null;
      if (patient) state.form.fill(patient);
    }
    state.form.clearErrors();
    const article = renderResult(doc, { patient, editionNames: state.editionNames, strengthLabels: state.strengthLabels });
    const host = $('answer-host');
    clear(host).appendChild(article);
    selectTab('answer');
    window.scrollTo(0, 0);
    article.querySelector('#result-title')?.focus({ preventScroll: true });
    setStatus(`Answer for ${doc.patientId}: ${doc.decisionPoint?.label ?? ''}; ${plural((doc.recommendations ?? []).length, 'option')} ranked. See the Answer tab.`);
    compare(req, seq);
    return;
  }

  const problem = result.problem;
  if ((result.status === 400 || result.status === 422) && problem && Array.isArray(problem.errors) && problem.errors.length) {
    if (problem.fhirMapping?.patient) state.form.fill(problem.fhirMapping.patient);
    showNoResult(`No answer: Herald found ${plural(problem.errors.length, 'problem')} in the input. They are listed on the Patient tab, next to each field.`, 'answer-invalid');
    selectTab('patient');
    state.form.showErrors(problem.errors, problem.errors.length === 1 ? 'There is 1 problem with the input' : `There are ${problem.errors.length} problems with the input`);
    if (problem.fhirMapping) $('fhir-problems').appendChild(renderFhirMapping(problem.fhirMapping, 'fhir-mapping-problems'));
    return;
  }

  const message = result.ok ? 'Herald answered, but not with a decision document.' : result.message;
  showNoResult(`No answer. ${message}`, 'answer-error');
  state.form.clearErrors();
  showRequestError(message);
}

async function compare(req, seq) {
  const host = $('editions-host');
  clear(host).appendChild(h('p', { class: 'muted', role: 'status' }, 'Comparing the editions…'));
  const result = await request('POST', `/api/comparison${query({ withEdition: false })}`, { body: req.body, contentType: req.contentType, auth: true });
  if (seq !== state.seq) return;
  clear(host);
  if (!result.ok || !result.data || typeof result.data !== 'object') {
    host.appendChild(h('p', { class: 'error-message', testid: 'comparison-error' }, `The editions could not be compared. ${result.ok ? 'Herald returned no comparison.' : result.message}`));
    return;
  }
  host.appendChild(renderComparison(result.data));
}

function decideFromForm(event) {
  event.preventDefault();
  const form = state.form;
  form.pruneEmptyItems();
  const incomplete = form.incompleteDates();
  if (incomplete.length) {
    showNoResult(`No answer: ${plural(incomplete.length, 'date is', 'dates are')} incomplete. They are marked on the Patient tab.`, 'answer-invalid');
    form.showErrors(incomplete);
    return;
  }
  const patient = form.serialise();
  decide({ body: JSON.stringify(patient), contentType: 'application/json', patient, origin: 'the form' });
}

function saveJson() {
  const patient = state.form.serialise();
  const blob = new Blob([JSON.stringify(patient, null, 2) + '\n'], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: `${String(patient.id || 'patient').replace(/[^A-Za-z0-9._-]+/g, '-')}.json` });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ---------------------------------------------------------------- start

function start() {
  setupTabs();
  setupSettings();
  state.form = new PatientForm($('patient-form'), $('form-fields'));
  $('patient-form').addEventListener('submit', decideFromForm);
  $('load-file').addEventListener('change', (event) => loadFile(event.target));
  $('save-json').addEventListener('click', saveJson);
  $('clear-form').addEventListener('click', () => {
    state.form.fill({});
    clearRequestError();
    clear($('fhir-problems'));
  });
  $('audit-refresh').addEventListener('click', () => loadAudit($('audit-host')));
  loadHealth();
  loadKnowledge();
  loadExamples();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
