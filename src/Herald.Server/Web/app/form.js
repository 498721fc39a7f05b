// The patient form: built from a description of the native patient model (docs/patient-input.md), serialised to
// native JSON (empty fields left out, never null) and filled back from native JSON. fill(serialise()) is stable.
// The form checks nothing clinical: Herald's server validates and its errors are shown next to their fields.

import { h, clear, idFromPath } from './dom.js';

const AGENT_HINT = 'Separate agents with commas, e.g. pertuzumab, trastuzumab, docetaxel.';
const DATE_HINT = 'Year, month and day.';

const opt = (value, label) => [value, label ?? value];

const SITES = [
  opt('liver', 'Liver'), opt('lung', 'Lung'), opt('pleura', 'Pleura'), opt('peritoneum', 'Peritoneum'),
  opt('adrenal', 'Adrenal'), opt('other-visceral', 'Other visceral'), opt('bone', 'Bone'),
  opt('soft-tissue', 'Soft tissue'), opt('lymph-nodes', 'Lymph nodes'), opt('skin', 'Skin'), opt('chest-wall', 'Chest wall'),
];

// kind: text | int | number | date | select | bool | checks | agents | lines | object | repeat
const SPEC = [
  {
    kind: 'object', key: '', legend: 'Patient', fields: [
      { kind: 'text', key: 'id', label: 'Patient or case identifier', required: true, hint: 'A pseudonym; it is echoed in the answer.' },
      { kind: 'date', key: 'assessmentDate', label: 'Assessment date', hint: 'The date the decision is made for. Defaults to today.' },
      { kind: 'int', key: 'age', label: 'Age (years)' },
      { kind: 'select', key: 'sex', label: 'Sex', options: [opt('female', 'Female'), opt('male', 'Male'), opt('other', 'Other')] },
      {
        kind: 'select', key: 'menopausalStatus', label: 'Menopausal status',
        options: [opt('premenopausal', 'Premenopausal'), opt('perimenopausal', 'Perimenopausal'), opt('postmenopausal', 'Postmenopausal')],
      },
    ],
  },
  {
    kind: 'object', key: 'receptors', legend: 'Receptors', fields: [
      {
        kind: 'object', key: 'her2', legend: 'HER2', fields: [
          { kind: 'select', key: 'ihc', label: 'HER2 IHC score', options: [opt('0'), opt('1+'), opt('2+'), opt('3+')] },
          {
            kind: 'select', key: 'ish', label: 'HER2 ISH',
            options: [opt('amplified', 'Amplified'), opt('not-amplified', 'Not amplified'), opt('equivocal', 'Equivocal')],
          },
          { kind: 'number', key: 'ishRatio', label: 'HER2/CEP17 ratio' },
          { kind: 'number', key: 'ishCopyNumber', label: 'HER2 copy number per cell' },
          {
            kind: 'select', key: 'status', label: 'HER2 status as reported',
            options: [opt('positive', 'Positive'), opt('negative', 'Negative'), opt('equivocal', 'Equivocal')],
            hint: 'For a report without IHC/ISH detail.',
          },
          { kind: 'select', key: 'specimen', label: 'Specimen tested', options: [opt('primary', 'Primary tumour'), opt('metastasis', 'Metastasis')] },
          { kind: 'date', key: 'date', label: 'HER2 test date' },
        ],
      },
      { kind: 'select', key: 'er', label: 'Oestrogen receptor (ER)', options: [opt('positive', 'Positive'), opt('negative', 'Negative')] },
      { kind: 'select', key: 'pr', label: 'Progesterone receptor (PR)', options: [opt('positive', 'Positive'), opt('negative', 'Negative')] },
    ],
  },
  {
    kind: 'object', key: 'presentation', legend: 'Presentation', fields: [
      {
        kind: 'select', key: 'type', label: 'Presentation',
        options: [opt('recurrence', 'Recurrence after early disease'), opt('de-novo', 'De novo (metastatic at diagnosis)'), opt('not-metastatic', 'No distant metastases')],
        hint: 'Leave empty when not known: Herald asks for it only where it changes the decision.',
      },
      { kind: 'date', key: 'initialDiagnosisDate', label: 'Initial diagnosis date' },
      { kind: 'date', key: 'metastaticDiagnosisDate', label: 'Metastatic diagnosis date' },
    ],
  },
  {
    kind: 'object', key: 'disease', legend: 'Metastatic disease now', fields: [
      { kind: 'checks', key: 'sites', label: 'Sites outside the brain', options: SITES, hint: 'Liver to other visceral are visceral sites.' },
      {
        kind: 'object', key: 'brain', legend: 'Brain metastases', hint: 'Leave empty when none are known.', fields: [
          {
            kind: 'select', key: 'status', label: 'Brain metastases status',
            options: [opt('new', 'New'), opt('progressing', 'Progressing'), opt('stable', 'Stable')],
          },
          { kind: 'int', key: 'lesionCount', label: 'Number of brain lesions' },
          { kind: 'int', key: 'largestLesionMm', label: 'Largest brain lesion (mm)' },
          { kind: 'bool', key: 'symptomatic', label: 'Brain metastases symptomatic' },
          { kind: 'bool', key: 'treatedLocally', label: 'Treated locally (surgery or radiotherapy)' },
        ],
      },
      { kind: 'bool', key: 'leptomeningeal', label: 'Leptomeningeal disease' },
      { kind: 'select', key: 'burden', label: 'Disease burden', options: [opt('low', 'Low'), opt('moderate', 'Moderate'), opt('high', 'High')] },
      { kind: 'bool', key: 'symptomatic', label: 'Metastatic disease symptomatic' },
      {
        kind: 'select', key: 'extracranialStatus', label: 'Disease outside the brain',
        options: [opt('responding', 'Responding'), opt('stable', 'Stable'), opt('progressing', 'Progressing'),
          opt('no-extracranial-disease', 'No extracranial disease')],
        hint: 'On the current regimen, or now if none.',
      },
    ],
  },
  {
    kind: 'object', key: '', legend: 'Performance status and heart', fields: [
      {
        kind: 'select', key: 'ecog', label: 'ECOG performance status', numeric: true,
        options: [opt('0', '0 — fully active'), opt('1', '1 — restricted in strenuous activity'),
          opt('2', '2 — ambulatory, self-care, up more than half the day'), opt('3', '3 — limited self-care'),
          opt('4', '4 — completely disabled')],
      },
      {
        kind: 'object', key: 'lvef', legend: 'Left ventricular ejection fraction (most recent)', fields: [
          { kind: 'int', key: 'percent', label: 'LVEF (%)', id: 'lvef-percent' },
          { kind: 'date', key: 'date', label: 'LVEF date' },
          { kind: 'int', key: 'baselinePercent', label: 'Baseline LVEF (%)', hint: 'Before HER2-targeted therapy.' },
          { kind: 'date', key: 'baselineDate', label: 'Baseline LVEF date' },
        ],
      },
    ],
  },
  {
    kind: 'object', key: '', legend: 'Comorbidities, symptoms and oral drugs', fields: [
      {
        kind: 'checks', key: 'comorbidities', label: 'Comorbidities',
        options: [opt('heart-failure', 'Heart failure'), opt('coronary-disease', 'Coronary disease'),
          opt('other-cardiovascular-disease', 'Other cardiovascular disease'), opt('diabetes', 'Diabetes'),
          opt('interstitial-lung-disease', 'Interstitial lung disease'), opt('pneumonitis', 'Pneumonitis')],
      },
      { kind: 'lines', key: 'otherComorbidities', label: 'Other comorbidities', hint: 'One per line; shown in the answer, never interpreted. Record pregnancy and symptoms in their own fields.' },
      { kind: 'bool', key: 'canTakeOralDrugs', label: 'Can take oral drugs' },
      {
        kind: 'select', key: 'pregnancy', label: 'Pregnancy status',
        options: [opt('pregnant', 'Pregnant'), opt('not-pregnant', 'Not pregnant'), opt('unknown', 'Unknown')],
        hint: 'HER2 antibodies and conjugates carry boxed warnings of embryo-fetal toxicity.',
      },
      { kind: 'bool', key: 'breastfeeding', label: 'Breastfeeding' },
    ],
  },
  {
    // A symptom without an onset is sent as the plain word, so a plain list read from a file comes back unchanged.
    kind: 'repeat', key: 'symptoms', legend: 'Current symptoms', item: 'Symptom', plain: 'symptom',
    hint: 'With the date each began, so a symptom new since the current regimen started is told from one present before it.', fields: [
      { kind: 'select', key: 'symptom', label: 'Symptom', required: true, options: [opt('persistent-cough', 'Persistent cough'), opt('cough', 'Cough'), opt('dyspnoea', 'Dyspnoea'), opt('fever', 'Fever')] },
      { kind: 'date', key: 'onset', label: 'Began on' },
    ],
  },
  {
    kind: 'repeat', key: 'allergies', legend: 'Allergies', item: 'Allergy', fields: [
      { kind: 'text', key: 'substance', label: 'Substance', required: true, list: 'agent-names', hint: 'An agent or a group, e.g. taxane.' },
      { kind: 'text', key: 'reaction', label: 'Reaction' },
    ],
  },
  {
    kind: 'repeat', key: 'contraindications', legend: 'Contraindications', item: 'Contraindication', fields: [
      { kind: 'text', key: 'substance', label: 'Substance', required: true, list: 'agent-names', hint: 'An agent or a group, e.g. taxane, chemotherapy.' },
      { kind: 'text', key: 'reason', label: 'Reason' },
    ],
  },
  {
    kind: 'object', key: 'earlyDisease', legend: 'Treatment of early disease', hint: 'Only for a recurrence.', fields: [
      {
        kind: 'repeat', key: 'regimens', legend: 'Early-disease regimens', item: 'Early regimen', fields: [
          { kind: 'select', key: 'setting', label: 'Setting', required: true, options: [opt('neoadjuvant', 'Neoadjuvant'), opt('adjuvant', 'Adjuvant')] },
          { kind: 'agents', key: 'agents', label: 'Agents', required: true },
          { kind: 'date', key: 'start', label: 'Start' },
          { kind: 'date', key: 'stop', label: 'Stop' },
        ],
      },
      {
        kind: 'select', key: 'pathologicResponse', label: 'Pathologic response to neoadjuvant therapy',
        options: [opt('complete-response', 'Complete response (pCR)'), opt('residual-disease', 'Residual disease')],
      },
      {
        kind: 'date', key: 'trastuzumabCompleted', label: 'Adjuvant trastuzumab completed',
        hint: 'For the 12-month rule; when empty, the latest stop of an early regimen with trastuzumab is used.',
      },
    ],
  },
  {
    kind: 'repeat', key: 'metastaticRegimens', legend: 'Metastatic regimens', item: 'Metastatic regimen',
    hint: 'Every regimen given for metastatic disease, in any order: Herald numbers the lines by start date.', fields: [
      { kind: 'agents', key: 'agents', label: 'Agents', required: true },
      { kind: 'date', key: 'start', label: 'Start', required: true },
      { kind: 'date', key: 'stop', label: 'Stop', hint: 'Empty while ongoing.' },
      {
        kind: 'select', key: 'bestResponse', label: 'Best response',
        options: [opt('complete-response', 'Complete response (CR)'), opt('partial-response', 'Partial response (PR)'),
          opt('stable-disease', 'Stable disease (SD)'), opt('progressive-disease', 'Progressive disease (PD)')],
      },
      {
        kind: 'select', key: 'stopReason', label: 'Stop reason', hint: 'Required with a stop date.',
        options: [opt('progression', 'Progression'), opt('toxicity', 'Toxicity'), opt('completed', 'Completed'),
          opt('patient-decision', 'Patient decision'), opt('other', 'Other')],
      },
      { kind: 'bool', key: 'progressionAtFirstAssessment', label: 'Progressed at first tumour assessment' },
      { kind: 'date', key: 'taxaneStopped', label: 'Taxane stopped (maintenance)', hint: 'When the taxane stopped and anti-HER2 therapy went on.' },
      { kind: 'agents', key: 'causativeAgents', label: 'Agents held responsible for toxicity', hint: 'Only with stop reason toxicity. ' + AGENT_HINT },
      {
        kind: 'select', key: 'toxicity', label: 'Toxicity', hint: 'Only with stop reason toxicity.',
        options: [opt('cardiac', 'Cardiac'), opt('infusion-reaction', 'Infusion reaction or hypersensitivity'), opt('other', 'Other')],
      },
    ],
  },
  {
    kind: 'object', key: 'preferences', legend: 'Preferences', fields: [
      {
        kind: 'checks', key: 'avoid', label: 'The patient would rather avoid',
        options: [opt('intravenous-therapy', 'Intravenous therapy'), opt('oral-therapy', 'Oral therapy'), opt('alopecia', 'Alopecia')],
        hint: 'Ranks matching options lower; never excludes them.',
      },
      { kind: 'agents', key: 'declines', label: 'Agents the patient declines' },
    ],
  },
  {
    kind: 'object', key: '', legend: 'Availability', fields: [
      { kind: 'agents', key: 'unavailableDrugs', label: 'Agents not available to this patient', hint: 'Not approved, not reimbursed or out of stock. ' + AGENT_HINT },
    ],
  },
];

const join = (base, key) => (!key ? base : base ? `${base}.${key}` : key);
const sel = (attr, value) => `[${attr}="${CSS.escape(value)}"]`;

// ---------------------------------------------------------------- building

export class PatientForm {
  /** @param {HTMLFormElement} form @param {HTMLElement} fieldsHost */
  constructor(form, fieldsHost) {
    this.form = form;
    this.host = fieldsHost;
    this.errorCount = 0;
    clear(fieldsHost);
    for (const section of SPEC) fieldsHost.appendChild(this.buildSection(section, ''));
  }

  buildSection(field, base) {
    if (field.kind === 'repeat') return this.buildRepeat(field, base);
    const path = join(base, field.key);
    const fieldset = h('fieldset', { class: base ? 'subgroup' : 'section', dataset: path ? { group: path } : null, id: path ? idFromPath(path) + '-group' : null },
      h('legend', null, field.legend),
      field.hint ? h('p', { class: 'hint' }, field.hint) : null);
    // Fields in the model's order: runs of simple fields share a grid; nested groups sit between them.
    let grid = null;
    for (const f of field.fields) {
      if (f.kind === 'object' || f.kind === 'repeat') {
        fieldset.appendChild(this.buildSection(f, path));
        grid = null;
      } else {
        if (!grid) grid = fieldset.appendChild(h('div', { class: 'field-grid' }));
        grid.appendChild(this.buildField(f, path));
      }
    }
    return fieldset;
  }

  buildRepeat(field, base) {
    const path = join(base, field.key);
    const items = h('div', { class: 'repeat-items', dataset: { repeat: path } });
    const add = h('button', { type: 'button', class: 'button secondary add' }, `Add ${field.item.toLowerCase()}`);
    const fieldset = h('fieldset', { class: base ? 'subgroup repeat' : 'section repeat', dataset: { group: path }, id: idFromPath(path) + '-group' },
      h('legend', null, field.legend),
      field.hint ? h('p', { class: 'hint' }, field.hint) : null,
      items,
      add);
    add.addEventListener('click', () => {
      const item = this.addItem(field, path, items);
      const first = item.querySelector('input, select, textarea');
      if (first) first.focus();
    });
    return fieldset;
  }

  addItem(field, path, items) {
    const index = items.children.length;
    const itemPath = `${path}[${index}]`;
    const grid = h('div', { class: 'field-grid' });
    for (const f of field.fields) grid.appendChild(this.buildField(f, itemPath));
    const label = `${field.item} ${index + 1}`;
    const remove = h('button', { type: 'button', class: 'button link remove', 'aria-label': `Remove ${label.toLowerCase()}` }, 'Remove');
    const item = h('fieldset', { class: 'repeat-item', dataset: { group: itemPath }, id: idFromPath(itemPath) + '-group' },
      h('legend', null, label), grid, h('div', { class: 'item-actions' }, remove));
    remove.addEventListener('click', () => this.removeItem(field, path, items, index));
    items.appendChild(item);
    return item;
  }

  removeItem(field, path, items, index) {
    // Keep what was typed in the other items exactly, then rebuild with indexes that match the JSON again.
    const raws = [...items.children].map((item, i) => readRaw(item, `${path}[${i}]`));
    raws.splice(index, 1);
    this.clearErrors();
    clear(items);
    raws.forEach((raw, i) => writeRaw(this.addItem(field, path, items), `${path}[${i}]`, raw));
    const next = items.children[Math.min(index, items.children.length - 1)];
    const focus = next ? next.querySelector('input, select, textarea') : items.parentElement.querySelector('button.add');
    if (focus) focus.focus();
  }

  buildField(f, base) {
    const path = join(base, f.key);
    const id = f.id ?? idFromPath(path);
    const hintId = f.hint || f.kind === 'agents' ? `${id}-hint` : null;
    const hintText = f.kind === 'agents' && !f.hint ? AGENT_HINT : f.hint;
    const hint = hintId ? h('p', { class: 'hint', id: hintId }, hintText) : null;
    const required = f.required ? h('span', { class: 'required' }, ' (required)') : null;

    if (f.kind === 'checks') {
      const boxes = f.options.map(([value, text]) => checkbox(path, value, text));
      return h('fieldset', { class: 'field checks', dataset: { group: path }, id: `${id}-group`, 'aria-describedby': hintId },
        h('legend', null, f.label, required), hint, h('div', { class: 'check-list' }, boxes));
    }

    let control;
    const common = { id, name: path, dataset: { path }, 'aria-describedby': hintId };
    switch (f.kind) {
      case 'select':
      case 'bool': {
        const options = f.kind === 'bool' ? [opt('true', 'Yes'), opt('false', 'No')] : f.options;
        control = h('select', common,
          h('option', { value: '' }, 'Not given'),
          options.map(([value, text]) => h('option', { value }, text)));
        if (f.numeric) control.dataset.numeric = 'true';
        if (f.kind === 'bool') control.dataset.bool = 'true';
        break;
      }
      case 'date':
        control = h('input', { ...common, type: 'date', class: 'date' });
        break;
      case 'int':
        control = h('input', { ...common, type: 'text', inputmode: 'numeric', autocomplete: 'off', class: 'short', dataset: { path, numeric: 'true' } });
        break;
      case 'number':
        control = h('input', { ...common, type: 'text', inputmode: 'decimal', autocomplete: 'off', class: 'short', dataset: { path, numeric: 'true' } });
        break;
      case 'agents':
        control = h('input', { ...common, type: 'text', autocomplete: 'off', spellcheck: 'false', list: 'agent-names', dataset: { path, list: 'agents' } });
        break;
      case 'lines':
        control = h('textarea', { ...common, rows: 2, dataset: { path, list: 'lines' } });
        break;
      default:
        control = h('input', { ...common, type: 'text', autocomplete: 'off', spellcheck: f.key === 'id' ? 'false' : null, list: f.list ?? null });
    }
    if (f.required) control.setAttribute('aria-required', 'true');
    const wide = f.kind === 'agents' || f.kind === 'lines' || (f.hint && f.hint.length > 60);
    return h('div', { class: wide ? 'field wide' : 'field' },
      h('label', { for: id }, f.label, required), hint, control);
  }

  // ------------------------------------------------------------ serialise / fill

  /** The native patient JSON: empty fields are left out, never null. */
  serialise() {
    return readFields(SPEC, '', this.host) ?? {};
  }

  /** Fills the form from native patient JSON (resets everything first). */
  fill(patient) {
    this.clearErrors();
    this.reset();
    writeFields(SPEC, '', patient && typeof patient === 'object' ? patient : {}, this);
  }

  reset() {
    for (const items of this.host.querySelectorAll('[data-repeat]')) clear(items);
    for (const el of this.host.querySelectorAll('[data-path]')) {
      if (el.type === 'checkbox') {
        el.checked = false;
        delete el.dataset.order;
        if (el.dataset.extra) el.closest('.check')?.remove();
      } else if (el.tagName === 'SELECT') {
        for (const o of [...el.options]) if (o.dataset.extra) o.remove();
        el.value = '';
      } else {
        if (el.dataset.dateFallback) el.type = 'date';
        delete el.dataset.dateFallback;
        el.value = '';
      }
    }
  }

  /** Removes repeat items the user added and left empty, so indexes in errors match what is shown. */
  pruneEmptyItems() {
    for (const items of this.host.querySelectorAll('[data-repeat]')) {
      const path = items.dataset.repeat;
      const spec = findSpec(path);
      const raws = [...items.children].map((item, i) => readRaw(item, `${path}[${i}]`));
      const kept = raws.filter((raw) => Object.values(raw).some((v) => v !== '' && v !== false));
      if (kept.length === raws.length) continue;
      clear(items);
      kept.forEach((raw, i) => writeRaw(this.addItem(spec, path, items), `${path}[${i}]`, raw));
    }
  }

  /** Dates the browser could not read (typed half-way): these are not sent silently as empty. */
  incompleteDates() {
    return [...this.form.querySelectorAll('input[type="date"]')]
      .filter((el) => el.validity && el.validity.badInput)
      .map((el) => ({ path: el.dataset.path, message: 'is not a complete date (year, month and day).' }));
  }

  // ------------------------------------------------------------ errors

  clearErrors() {
    for (const el of this.form.querySelectorAll('[data-testid="field-error"]')) el.remove();
    for (const el of this.form.querySelectorAll('[aria-invalid="true"]')) {
      el.removeAttribute('aria-invalid');
      const original = el.dataset.describedby;
      if (original) el.setAttribute('aria-describedby', original);
      else el.removeAttribute('aria-describedby');
      delete el.dataset.describedby;
    }
    this.form.querySelector('[data-testid="error-summary"]')?.remove();
    this.errorCount = 0;
  }

  /**
   * Shows every error at once: inline after the field whose data-path is the error's path (or the nearest
   * enclosing group), and in a summary at the top of the form whose links focus the fields.
   */
  showErrors(errors, heading) {
    this.clearErrors();
    const items = [];
    errors.forEach((error, n) => {
      const path = String(error.path ?? '$');
      const message = String(error.message ?? '');
      const found = this.targetFor(path);
      // An error no field holds (the document itself, an unknown property): shown under the form's heading.
      const target = found ?? this.form.querySelector('.form-title') ?? this.form;
      const label = found ? labelOf(found) : path === '$' || path === '' ? 'The document' : path;
      const text = /^[a-z]/.test(message) ? `${label} ${message}` : `${label}: ${message}`;
      const errorId = `field-error-${n + 1}`;
      const inline = h('p', { class: 'field-error', id: errorId, testid: 'field-error', dataset: { errorFor: path } },
        h('span', { class: 'error-prefix' }, 'Error: '), text);
      let anchor = target;
      while (anchor.nextElementSibling && anchor.nextElementSibling.classList.contains('field-error')) anchor = anchor.nextElementSibling;
      anchor.after(inline);
      if (found) {
        if (!found.hasAttribute('aria-invalid')) {
          const original = found.getAttribute('aria-describedby');
          if (original) found.dataset.describedby = original;
        }
        found.setAttribute('aria-invalid', 'true');
        found.setAttribute('aria-describedby', [found.getAttribute('aria-describedby'), errorId].filter(Boolean).join(' '));
      }
      if (!target.id) target.id = `${idFromPath(path) || 'document'}-target`;
      const link = h('a', { href: `#${target.id}` }, text);
      link.addEventListener('click', (event) => {
        event.preventDefault();
        focusField(target);
      });
      items.push(h('li', null, link, ' ', h('code', { class: 'path' }, path)));
    });
    const summary = h('div', { class: 'error-summary', testid: 'error-summary', role: 'alert', tabindex: '-1' },
      h('h3', null, heading ?? (errors.length === 1 ? 'There is 1 problem with the input' : `There are ${errors.length} problems with the input`)),
      h('p', null, 'Herald gives no recommendation until every problem is corrected.'),
      h('ul', null, items));
    this.form.prepend(summary);
    this.errorCount = errors.length;
    summary.focus();
    return summary;
  }

  targetFor(path) {
    let p = path;
    while (p && p !== '$') {
      const fields = this.form.querySelectorAll(sel('data-path', p));
      const group = this.form.querySelector(sel('data-group', p));
      if (fields.length === 1) return fields[0];
      if (fields.length > 1 || group) return group ?? fields[0];
      p = parentPath(p);
    }
    return null;
  }
}

function checkbox(path, value, text, extra) {
  const id = idFromPath(`${path}-${value}`);
  return h('div', { class: 'check' },
    h('input', { type: 'checkbox', id, name: path, value, dataset: { path, extra: extra ? 'true' : null } }),
    h('label', { for: id }, text));
}

function parentPath(path) {
  const stripped = path.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
  return stripped === path ? '' : stripped;
}

function labelOf(target) {
  if (target.tagName === 'FIELDSET') return target.querySelector('legend')?.textContent.replace(' (required)', '') ?? '';
  const label = target.id ? document.querySelector(`label[for="${CSS.escape(target.id)}"]`) : null;
  return label ? label.textContent.replace(' (required)', '') : target.dataset.path ?? '';
}

function focusField(target) {
  const focusable = target.matches('input, select, textarea') ? target
    : target.matches('fieldset') ? target.querySelector('input, select, textarea, button') : null;
  if (!focusable && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  (focusable ?? target).focus();
  (focusable ?? target).scrollIntoView({ block: 'center' });
}

function findSpec(path) {
  // 'metastaticRegimens' or 'earlyDisease.regimens' -> the repeat's description.
  const walk = (fields, base) => {
    for (const f of fields) {
      const p = join(base, f.key);
      if (f.kind === 'repeat' && p === path) return f;
      if (f.kind === 'object') {
        const found = walk(f.fields, p);
        if (found) return found;
      }
    }
    return null;
  };
  return walk(SPEC, '');
}

// ---------------------------------------------------------------- reading and writing values

function readFields(fields, base, scope) {
  const out = {};
  for (const f of fields) {
    if (f.kind === 'object' && !f.key) {
      Object.assign(out, readFields(f.fields, base, scope) ?? {});
      continue;
    }
    const value = readField(f, join(base, f.key), scope);
    if (value !== undefined) out[f.key] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

function readField(f, path, scope) {
  switch (f.kind) {
    case 'object':
      return readFields(f.fields, path, scope);
    case 'repeat': {
      const items = scope.querySelector(sel('data-repeat', path));
      if (!items || !items.children.length) return undefined;
      return [...items.children].map((_, i) => {
        const item = readFields(f.fields, `${path}[${i}]`, scope) ?? {};
        const keys = Object.keys(item);
        return f.plain && keys.length === 1 && keys[0] === f.plain ? item[f.plain] : item;
      });
    }
    case 'checks': {
      // In the order they were given when filled, then in the form's order.
      const order = (el) => (el.dataset.order === undefined ? Infinity : Number(el.dataset.order));
      const values = [...scope.querySelectorAll(sel('data-path', path))].filter((el) => el.checked)
        .sort((a, b) => (order(a) === order(b) ? 0 : order(a) < order(b) ? -1 : 1)).map((el) => el.value);
      return values.length ? values : undefined;
    }
    default: {
      const el = scope.querySelector(sel('data-path', path));
      return el ? readValue(el) : undefined;
    }
  }
}

function readValue(el) {
  const raw = el.value.trim();
  if (raw === '') return undefined;
  if (el.dataset.bool) return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (el.dataset.numeric) return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  if (el.dataset.list === 'agents') {
    const list = raw.split(',').map((a) => a.trim()).filter(Boolean);
    return list.length ? list : undefined;
  }
  if (el.dataset.list === 'lines') {
    const list = el.value.split('\n').map((a) => a.trim()).filter(Boolean);
    return list.length ? list : undefined;
  }
  return raw;
}

function writeFields(fields, base, value, form) {
  for (const f of fields) {
    if (f.kind === 'object' && !f.key) {
      writeFields(f.fields, base, value, form);
      continue;
    }
    const v = value ? value[f.key] : undefined;
    writeField(f, join(base, f.key), v, form);
  }
}

function writeField(f, path, v, form) {
  const scope = form.host;
  switch (f.kind) {
    case 'object':
      writeFields(f.fields, path, v && typeof v === 'object' && !Array.isArray(v) ? v : undefined, form);
      return;
    case 'repeat': {
      const items = scope.querySelector(sel('data-repeat', path));
      const list = Array.isArray(v) ? v : [];
      list.forEach(() => form.addItem(f, path, items));
      const asObject = (item) => (item && typeof item === 'object' ? item : f.plain && item !== undefined && item !== null ? { [f.plain]: item } : {});
      list.forEach((item, i) => writeFields(f.fields, `${path}[${i}]`, asObject(item), form));
      return;
    }
    case 'checks': {
      const values = Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)];
      for (const [index, value] of values.entries()) {
        let box = [...scope.querySelectorAll(sel('data-path', path))].find((el) => el.value === value);
        if (!box) {
          // A value the form does not offer: keep it, so it is sent back and the server can name it.
          const group = scope.querySelector(sel('data-group', path))?.querySelector('.check-list');
          const added = checkbox(path, value, `${value} (as given)`, true);
          group?.appendChild(added);
          box = added.querySelector('input');
        }
        box.checked = true;
        box.dataset.order = String(index);
      }
      return;
    }
    default: {
      const el = scope.querySelector(sel('data-path', path));
      if (!el || v === undefined || v === null) return;
      setValue(el, v);
    }
  }
}

function setValue(el, v) {
  let text;
  if (Array.isArray(v)) text = v.map(String).join(el.dataset.list === 'lines' ? '\n' : ', ');
  else if (typeof v === 'object') text = JSON.stringify(v);
  else text = String(v);
  if (el.tagName === 'SELECT') {
    if (![...el.options].some((o) => o.value === text)) {
      const extra = h('option', { value: text, dataset: { extra: 'true' } }, `${text} (as given)`);
      el.appendChild(extra);
    }
    el.value = text;
    return;
  }
  if (el.type === 'date' && !isCalendarDate(text)) {
    // Not a date the browser can show (e.g. 2020-02-30): keep the text as given so the server can name the problem.
    el.type = 'text';
    el.dataset.dateFallback = 'true';
  }
  el.value = text;
}

function isCalendarDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.getUTCFullYear() === Number(m[1]) && date.getUTCMonth() === Number(m[2]) - 1 && date.getUTCDate() === Number(m[3]);
}

function readRaw(item, prefix) {
  const raw = {};
  for (const el of item.querySelectorAll('[data-path]')) {
    const key = el.dataset.path.slice(prefix.length);
    if (el.type === 'checkbox') raw[`${key}=${el.value}`] = el.checked;
    else raw[key] = el.value;
  }
  return raw;
}

function writeRaw(item, prefix, raw) {
  for (const el of item.querySelectorAll('[data-path]')) {
    const key = el.dataset.path.slice(prefix.length);
    if (el.type === 'checkbox') el.checked = Boolean(raw[`${key}=${el.value}`]);
    else if (raw[key] !== undefined && raw[key] !== '') setValue(el, raw[key]);
  }
}
