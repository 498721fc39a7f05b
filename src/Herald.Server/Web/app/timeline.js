// The treatment timeline: early-disease regimens and metastatic lines as bars over time, drawn from the answer's
// `lines` and `history` exactly as Herald read them. A text table gives the same information.

import { h, s, sentence, words, plural, scrollBox } from './dom.js';

const DAY = 86400000;
const W = 960;
const PAD_L = 16;
const PAD_R = 16;
const ROW = 50;
const CHAR = 6.4; // approximate width of one character of 12px text, for placing labels

let uid = 0;

function parse(date) {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

const RESPONSE = {
  'complete-response': 'complete response', 'partial-response': 'partial response',
  'stable-disease': 'stable disease', 'progressive-disease': 'progressive disease',
  CR: 'complete response', PR: 'partial response', SD: 'stable disease', PD: 'progressive disease',
};
export const responseWords = (r) => RESPONSE[r] ?? words(r);

export function renderTimeline(doc) {
  const lines = Array.isArray(doc.lines) ? doc.lines : [];
  const history = doc.history ?? null;
  const early = Array.isArray(history?.early) ? history.early : [];
  const window = history?.trastuzumabWindow ?? null;
  const asOf = parse(doc.asOf);
  const id = ++uid;

  const figure = h('figure', { class: 'timeline', testid: 'timeline', 'aria-labelledby': `timeline-caption-${id}` });
  figure.appendChild(h('figcaption', { id: `timeline-caption-${id}`, class: 'figure-title' },
    `Treatment timeline to the decision date (${doc.asOf ?? 'not given'}), as Herald read the input`));

  // The time range: everything we draw, with a little room either side.
  const dates = [asOf, parse(history?.initialDiagnosis), parse(history?.metastaticDiagnosis), parse(window?.completed), parse(window?.windowEnds)];
  for (const e of early) dates.push(parse(e.start), parse(e.stop));
  for (const l of lines) dates.push(parse(l.start), parse(l.stop));
  const known = dates.filter((d) => d !== null);
  if (!known.length) {
    figure.appendChild(h('p', null, 'No dates to draw.'));
    figure.appendChild(table(early, lines));
    return figure;
  }
  const anyOngoing = lines.some((l) => l.ongoing);
  let t0 = Math.min(...known) - 75 * DAY;
  let t1 = Math.max(...known) + (anyOngoing ? 150 : 75) * DAY;
  if (t1 - t0 < 400 * DAY) t0 = t1 - 400 * DAY;
  const x = (t) => PAD_L + ((t - t0) / (t1 - t0)) * (W - PAD_L - PAD_R);

  // Marker labels along the top, on up to three levels so that they do not overlap.
  const markers = [];
  if (history?.initialDiagnosis) markers.push({ t: parse(history.initialDiagnosis), text: `Initial diagnosis ${history.initialDiagnosis}`, kind: 'initial' });
  if (history?.metastaticDiagnosis) markers.push({ t: parse(history.metastaticDiagnosis), text: `Metastatic diagnosis ${history.metastaticDiagnosis}`, kind: 'metastatic' });
  if (asOf !== null) markers.push({ t: asOf, text: `Decision date ${doc.asOf}`, kind: 'asof' });
  if (window?.completed && window?.windowEnds) {
    markers.push({ t: parse(window.completed), text: `${window.months} months after trastuzumab`, kind: 'window' });
  }
  const levelEnds = [-Infinity, -Infinity, -Infinity];
  for (const m of markers.filter((m) => m.t !== null).sort((a, b) => a.t - b.t)) {
    const width = m.text.length * CHAR + 8;
    let startX = x(m.t) + 4;
    m.anchor = 'start';
    if (startX + width > W) {
      startX = x(m.t) - 4 - width;
      m.anchor = 'end';
    }
    let level = levelEnds.findIndex((end) => end < startX);
    if (level < 0) level = levelEnds.indexOf(Math.min(...levelEnds));
    levelEnds[level] = startX + width;
    m.y = 14 + level * 16;
  }

  const top = 58;
  const rows = early.length + lines.length;
  const rowsEnd = top + Math.max(rows, 1) * ROW;
  const axisY = rowsEnd + 8;
  const height = axisY + 28;

  const svg = s('svg', {
    viewBox: `0 0 ${W} ${height}`, role: 'img', class: 'timeline-svg', preserveAspectRatio: 'xMinYMin meet',
    'aria-label': `Treatment timeline to ${doc.asOf}: ${plural(early.length, 'early-disease regimen')} and ${plural(lines.length, 'metastatic line')}. The table that follows gives the same information.`,
  });
  const hatchId = `hatch-${id}`;
  svg.appendChild(s('defs', null,
    s('pattern', { id: hatchId, patternUnits: 'userSpaceOnUse', width: 8, height: 8, patternTransform: 'rotate(45)' },
      s('rect', { width: 8, height: 8, fill: '#fff4d6' }),
      s('line', { x1: 0, y1: 0, x2: 0, y2: 8, stroke: '#a86b00', 'stroke-width': 2 }))));

  // Year grid and axis.
  const grid = s('g', { class: 'axis' });
  const firstYear = new Date(t0).getUTCFullYear() + 1;
  const lastYear = new Date(t1).getUTCFullYear();
  const step = lastYear - firstYear > 12 ? 2 : 1;
  for (let year = firstYear; year <= lastYear; year += step) {
    const tx = x(Date.UTC(year, 0, 1));
    grid.appendChild(s('line', { x1: tx, x2: tx, y1: top - 10, y2: axisY, class: 'gridline' }));
    grid.appendChild(s('text', { x: tx, y: axisY + 18, 'text-anchor': 'middle', class: 'tick' }, String(year)));
  }
  grid.appendChild(s('line', { x1: PAD_L, x2: W - PAD_R, y1: axisY, y2: axisY, class: 'axis-line' }));
  svg.appendChild(grid);

  // The 12 months after adjuvant trastuzumab, hatched.
  if (window?.completed && window?.windowEnds) {
    const wx0 = x(parse(window.completed));
    const wx1 = x(parse(window.windowEnds));
    const label = markers.find((m) => m.kind === 'window');
    svg.appendChild(s('g', { testid: 'trastuzumab-window', class: 'window' },
      s('title', null, `The ${window.months} months after trastuzumab for early disease finished: ${window.completed} to ${window.windowEnds}`),
      s('rect', { x: wx0, y: top - 10, width: Math.max(wx1 - wx0, 1), height: axisY - top + 10, fill: `url(#${hatchId})`, class: 'window-band' }),
      s('text', { x: label.anchor === 'start' ? wx0 + 4 : wx0 - 4, y: label.y, 'text-anchor': label.anchor, class: 'marker-label window-label' }, label.text)));
  }

  // Bars.
  let row = 0;
  for (const e of early) {
    const setting = sentence(e.setting || 'early disease');
    const label = `${setting}: ${(e.agents ?? []).join(' + ')}`;
    const note = e.start || e.stop ? `${e.start ?? 'start not given'} to ${e.stop ?? 'stop not given'}` : 'dates not given';
    svg.appendChild(bar({ kind: 'early', row: row++, start: parse(e.start), stop: parse(e.stop), label, note, x, top, t0, t1, ongoing: false, asOf }));
  }
  for (const l of lines) {
    const guideline = l.guidelineLine && l.guidelineLine !== l.number ? ` (guideline line ${l.guidelineLine})` : '';
    const label = `Line ${l.number}${guideline}: ${(l.agents ?? []).join(' + ')}`;
    const response = l.bestResponse ? `best response ${responseWords(l.bestResponse)}` : 'best response not given';
    const stop = l.ongoing ? 'ongoing' : l.stopReason ? `stopped: ${words(l.stopReason)}` : 'stop reason not given';
    // The lighter bar of a line without an anti-HER2 agent is also said in words.
    const note = `${sentence(response)}; ${stop}${l.antiHer2 === false ? '; no anti-HER2 agent' : ''}`;
    svg.appendChild(bar({ kind: 'metastatic', row: row++, start: parse(l.start), stop: parse(l.stop), label, note, x, top, t0, t1, ongoing: Boolean(l.ongoing), asOf, antiHer2: l.antiHer2 }));
  }
  if (!rows) svg.appendChild(s('text', { x: PAD_L, y: top + 24, class: 'bar-note' }, 'No treatment recorded.'));

  // Markers: vertical lines with their labels.
  for (const m of markers) {
    if (m.kind === 'window' || m.t === null) continue;
    const mx = x(m.t);
    const g = s('g', { class: `marker marker-${m.kind}`, testid: m.kind === 'metastatic' ? 'metastatic-diagnosis' : null },
      s('line', { x1: mx, x2: mx, y1: m.y + 4, y2: axisY, class: 'marker-line' }),
      s('text', { x: m.anchor === 'start' ? mx + 4 : mx - 4, y: m.y, 'text-anchor': m.anchor, class: 'marker-label' }, m.text));
    svg.appendChild(g);
  }

  figure.appendChild(scrollBox('svg-wrap', 'Treatment timeline', svg));
  figure.appendChild(legend(window));
  if (window) figure.appendChild(h('p', { class: 'window-text', testid: 'trastuzumab-window-text' }, windowSentence(window, history)));
  if (!history) figure.appendChild(h('p', { class: 'muted' }, 'Herald did not report the early-disease history with this answer; only the metastatic lines are drawn.'));
  figure.appendChild(h('details', { class: 'table-alt' }, h('summary', null, 'Timeline as a table'), table(early, lines)));
  return figure;
}

function bar({ kind, row, start, stop, label, note, x, top, ongoing, asOf, antiHer2 }) {
  const y = top + row * ROW;
  const barY = y + 18;
  const barH = 14;
  const g = s('g', { testid: 'timeline-bar', dataset: { kind }, class: `bar bar-${kind}${antiHer2 === false ? ' bar-no-her2' : ''}` });
  g.appendChild(s('title', null, `${label}. ${note}.`));
  let x0;
  let x1;
  if (start !== null && (stop !== null || (ongoing && asOf !== null))) {
    x0 = x(start);
    x1 = Math.max(x(stop ?? asOf), x0 + 3);
    g.appendChild(s('rect', { x: x0, y: barY, width: x1 - x0, height: barH, rx: 2, class: 'bar-rect' }));
    if (ongoing) {
      // Open end: the bar runs to the decision date and continues as a dashed arrow.
      g.appendChild(s('line', { x1, x2: x1 + 22, y1: barY + barH / 2, y2: barY + barH / 2, class: 'ongoing-line' }));
      g.appendChild(s('path', { d: `M${x1 + 22},${barY + 1} L${x1 + 32},${barY + barH / 2} L${x1 + 22},${barY + barH - 1}`, class: 'ongoing-arrow' }));
      x1 += 32;
    }
  } else {
    // A date is missing: an outlined box at the date that is known, never an invented span.
    const at = start ?? stop;
    x0 = at !== null ? x(at) : PAD_L;
    x1 = x0 + 40;
    g.appendChild(s('rect', { x: x0, y: barY, width: 40, height: barH, rx: 2, class: 'bar-rect bar-unknown' }));
  }
  const labelWidth = Math.max(label.length, note.length) * CHAR;
  const anchorEnd = x0 + labelWidth > W - 8 && x1 - labelWidth > 8;
  const tx = anchorEnd ? x1 : x0;
  const anchor = anchorEnd ? 'end' : 'start';
  g.appendChild(s('text', { x: tx, y: y + 13, 'text-anchor': anchor, class: 'bar-label' }, label));
  g.appendChild(s('text', { x: tx, y: barY + barH + 14, 'text-anchor': anchor, class: 'bar-note' }, note));
  return g;
}

// The window's length comes from the server (knowledge/parameters.yaml), never from this page.
function legend(window) {
  return h('ul', { class: 'legend', 'aria-hidden': 'true' },
    h('li', null, h('span', { class: 'swatch swatch-early' }), 'Early-disease regimen'),
    h('li', null, h('span', { class: 'swatch swatch-metastatic' }), 'Metastatic line'),
    window ? h('li', null, h('span', { class: 'swatch swatch-window' }), `${window.months} months after adjuvant trastuzumab`) : null,
    h('li', null, h('span', { class: 'swatch swatch-ongoing' }), 'Ongoing (open end)'));
}

function windowSentence(window, history) {
  const months = window.months;
  const since = window.monthsToRelapse !== undefined && window.monthsToRelapse !== null
    ? `Metastatic relapse (${history?.metastaticDiagnosis ?? 'date not given'}) came ${window.monthsToRelapse} months after trastuzumab for early disease finished (${window.completed ?? 'date not given'})`
    : `Trastuzumab for early disease finished ${window.completed ?? 'on a date not given'}`;
  let verdict;
  if (window.relapseWithin === 'true') verdict = `: within the ${months}-month window.`;
  else if (window.relapseWithin === 'false') verdict = `: after the ${months}-month window.`;
  else verdict = `; whether the relapse fell within the ${months}-month window is unknown${window.completed ? '' : ' because the date trastuzumab finished is not given'}.`;
  const source = window.source ? ` Source: ${String(window.source).replace(/\.$/, '')}.` : '';
  return since + verdict + source;
}

function table(early, lines) {
  const body = h('tbody');
  for (const e of early) {
    body.appendChild(h('tr', null,
      h('th', { scope: 'row' }, `Early disease, ${words(e.setting)}`),
      h('td', null, (e.agents ?? []).join(', ')),
      h('td', null, e.start ?? 'not given'),
      h('td', null, e.stop ?? 'not given'),
      h('td', null, '—'),
      h('td', null, '—')));
  }
  for (const l of lines) {
    body.appendChild(h('tr', null,
      h('th', { scope: 'row' }, `Line ${l.number}${l.guidelineLine && l.guidelineLine !== l.number ? ` (guideline line ${l.guidelineLine})` : ''}`),
      h('td', null, (l.agents ?? []).join(', '), l.antiHer2 === false ? ' (no anti-HER2 agent)' : null),
      h('td', null, l.start ?? 'not given'),
      h('td', null, l.ongoing ? 'ongoing' : l.stop ?? 'not given'),
      h('td', null, l.bestResponse ? responseWords(l.bestResponse) : 'not given'),
      h('td', null, l.ongoing ? '—' : l.stopReason ? words(l.stopReason) : 'not given')));
  }
  return h('table', { class: 'data-table', testid: 'timeline-table' },
    h('caption', null, 'Treatment history as Herald read it'),
    h('thead', null, h('tr', null,
      ['Treatment', 'Agents', 'Start', 'Stop', 'Best response', 'Stop reason'].map((c) => h('th', { scope: 'col' }, c)))),
    body);
}
