// The patient summary of the printed tumour-board sheet (after its title and the alerts), built from the input the
// page sent (or, for a FHIR Bundle, the native patient Herald read from it). Shown only in print.

import { h, words } from './dom.js';
import { responseWords } from './timeline.js';

const given = (v, fallback = 'not given') => (v === undefined || v === null || v === '' ? fallback : v);

function her2Text(her2) {
  if (!her2) return 'HER2 not given';
  const parts = [];
  if (her2.status) parts.push(`status ${her2.status}`);
  if (her2.ihc) parts.push(`IHC ${her2.ihc}`);
  if (her2.ish) parts.push(`ISH ${words(her2.ish)}${her2.ishRatio ? ` (ratio ${her2.ishRatio})` : ''}`);
  else if (her2.ishRatio) parts.push(`ratio ${her2.ishRatio}`);
  if (her2.specimen) parts.push(`on ${her2.specimen === 'metastasis' ? 'a metastasis' : 'the primary'}`);
  if (her2.date) parts.push(her2.date);
  return `HER2 ${parts.join(', ') || 'not given'}`;
}

function brainText(brain) {
  if (!brain) return null;
  const parts = [`brain metastases ${given(brain.status, 'status not given')}`];
  if (brain.lesionCount) parts.push(`${brain.lesionCount} lesion(s)`);
  if (brain.largestLesionMm) parts.push(`largest ${brain.largestLesionMm} mm`);
  if (brain.symptomatic !== undefined) parts.push(brain.symptomatic ? 'symptomatic' : 'asymptomatic');
  if (brain.treatedLocally !== undefined) parts.push(brain.treatedLocally ? 'treated locally' : 'not treated locally');
  return parts.join(', ');
}

function row(label, value) {
  return [h('dt', null, label), h('dd', null, value)];
}

export function renderPrintSummary(patient, doc) {
  const box = h('section', { class: 'print-summary print-only', testid: 'print-summary', 'aria-label': 'Tumour-board sheet: patient summary' });
  if (!patient) {
    box.appendChild(h('p', null, 'The patient was sent as a FHIR Bundle and Herald did not return the native reading; the lines below are those Herald derived.'));
    box.appendChild(linesList((doc.lines ?? []).map((l) => ({ ...l, agents: l.agents }))));
    return box;
  }
  const p = patient;
  const receptors = p.receptors ?? {};
  const disease = p.disease ?? {};
  const sites = [...(disease.sites ?? []).map(words)];
  const brain = brainText(disease.brain);
  if (brain) sites.push(brain);
  if (disease.leptomeningeal) sites.push('leptomeningeal disease');
  const diseaseFacts = [];
  if (disease.burden) diseaseFacts.push(`burden ${disease.burden}`);
  if (disease.symptomatic !== undefined) diseaseFacts.push(disease.symptomatic ? 'symptomatic' : 'asymptomatic');
  if (disease.extracranialStatus) diseaseFacts.push(`outside the brain: ${words(disease.extracranialStatus)}`);
  const lvef = p.lvef
    ? `${given(p.lvef.percent)}% on ${given(p.lvef.date)}${p.lvef.baselinePercent ? ` (baseline ${p.lvef.baselinePercent}%${p.lvef.baselineDate ? ` on ${p.lvef.baselineDate}` : ''})` : ''}`
    : 'not recorded';
  const presentation = p.presentation
    ? `${p.presentation.type === 'de-novo' ? 'De novo' : p.presentation.type === 'recurrence' ? 'Recurrence' : given(p.presentation.type)}; ` +
      `${p.presentation.initialDiagnosisDate ? `first diagnosis ${p.presentation.initialDiagnosisDate}; ` : ''}metastatic diagnosis ${given(p.presentation.metastaticDiagnosisDate)}`
    : 'not given';
  const other = [];
  for (const c of p.comorbidities ?? []) other.push(words(c));
  for (const c of p.otherComorbidities ?? []) other.push(c);
  // A symptom is a word, or { symptom, onset } with the date it began.
  const symptoms = (p.symptoms ?? []).map((s) => (typeof s === 'string' ? words(s) : `${words(s.symptom)}${s.onset ? ` since ${s.onset}` : ''}`));
  if (p.pregnancy) other.push(`pregnancy: ${words(p.pregnancy)}`);
  if (p.breastfeeding !== undefined) other.push(p.breastfeeding ? 'breastfeeding' : 'not breastfeeding');
  const allergies = (p.allergies ?? []).map((a) => `${a.substance}${a.reaction ? ` (${a.reaction})` : ''}`);
  const contra = (p.contraindications ?? []).map((a) => `${a.substance}${a.reason ? ` (${a.reason})` : ''}`);
  const early = (p.earlyDisease?.regimens ?? []).map((r) => `${words(r.setting)}: ${(r.agents ?? []).join(', ')} (${given(r.start, '?')} to ${given(r.stop, '?')})`);
  if (p.earlyDisease?.pathologicResponse) early.push(`pathologic response: ${words(p.earlyDisease.pathologicResponse)}`);
  if (p.earlyDisease?.trastuzumabCompleted) early.push(`trastuzumab completed ${p.earlyDisease.trastuzumabCompleted}`);

  box.appendChild(h('dl', { class: 'summary-grid' },
    row('Patient', `${given(p.id)}${p.age !== undefined ? `, ${p.age} years` : ''}${p.sex ? `, ${p.sex}` : ''}${p.menopausalStatus ? `, ${p.menopausalStatus}` : ''}`),
    row('Receptors', `${her2Text(receptors.her2)}; ER ${given(receptors.er)}; PR ${given(receptors.pr)}`),
    row('Presentation', presentation),
    row('Sites', `${sites.length ? sites.join(', ') : 'not given'}${diseaseFacts.length ? `; ${diseaseFacts.join(', ')}` : ''}`),
    row('ECOG', String(given(p.ecog))),
    row('LVEF', lvef),
    other.length || symptoms.length ? row('Comorbidities, symptoms', [...other, ...symptoms].join(', ')) : null,
    allergies.length || contra.length ? row('Allergies, contraindications', [...allergies, ...contra].join('; ')) : null,
    p.canTakeOralDrugs !== undefined ? row('Oral drugs', p.canTakeOralDrugs ? 'can take' : 'cannot take') : null,
    early.length ? row('Early disease', early.join('; ')) : null));

  const regimens = [...(p.metastaticRegimens ?? [])].sort((a, b) => String(a.start).localeCompare(String(b.start)));
  box.appendChild(h('p', { class: 'summary-subhead' }, `Metastatic regimens (${regimens.length})`));
  box.appendChild(linesList(regimens.map((r, i) => ({ number: i + 1, ...r, ongoing: !r.stop }))));
  return box;
}

function linesList(lines) {
  if (!lines.length) return h('p', null, 'None.');
  return h('ol', { class: 'summary-lines' }, lines.map((l) => h('li', null,
    `${(l.agents ?? []).join(', ')}: ${given(l.start, '?')} to ${l.ongoing ? 'ongoing' : given(l.stop, '?')}`,
    l.bestResponse ? `; best response ${responseWords(l.bestResponse)}` : '',
    !l.ongoing && l.stopReason ? `; stopped: ${words(l.stopReason)}` : '')));
}
