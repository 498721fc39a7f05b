// The forest plot: the hazard ratios (with their 95% CIs) of the trials of the offered regimens themselves, in rank
// order, on a log scale with a reference line at 1. Trials a supporting statement merely cites (evidence.basis
// "statement") may test another regimen, so they are listed under the option but not plotted as its effect. Each
// trial gives one row per endpoint: its first-listed result (the knowledge base lists the primary or final analysis
// first); later analyses stay in the evidence list as text.

import { h, s, scrollBox } from './dom.js';

const W = 1000;
const LABEL_X = 8;
const PLOT_X0 = 450;
const PLOT_X1 = 800;
const TEXT_X = 816;
const ROW = 36;
const HEAD = 28;

function truncate(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The rows the DOM contract counts: per option in rank order, its own trials, the first result per endpoint with a hazard ratio. */
function forestRows(doc) {
  const rows = [];
  for (const option of doc.recommendations ?? []) {
    for (const evidence of option.evidence ?? []) {
      if (evidence.basis !== 'regimen') continue;
      const endpoints = new Set();
      for (const result of evidence.results ?? []) {
        const hr = result.hazardRatio;
        if (!hr || !(hr.value > 0) || !(hr.lower > 0) || !(hr.upper > 0)) continue;
        if (endpoints.has(result.endpoint)) continue;
        endpoints.add(result.endpoint);
        rows.push({ option, evidence, result, hr });
      }
    }
  }
  return rows;
}

export function renderForest(doc) {
  const rows = forestRows(doc);
  const figure = h('figure', { class: 'forest', testid: 'forest-plot', 'aria-labelledby': 'forest-caption' },
    h('figcaption', { id: 'forest-caption', class: 'figure-title' }, 'Hazard ratios behind the offered regimens'));
  if (!rows.length) {
    figure.appendChild(h('p', { class: 'muted' }, (doc.recommendations ?? []).length
      ? 'None of the trials of the offered regimens states a hazard ratio with a confidence interval, so there is nothing to plot.'
      : 'No regimen is offered, so there is no evidence to plot.'));
    return figure;
  }

  const lows = rows.map((r) => r.hr.lower);
  const highs = rows.map((r) => r.hr.upper);
  const lo = Math.min(0.25, ...lows) / 1.15;
  const hi = Math.max(2, ...highs) * 1.15;
  const x = (v) => PLOT_X0 + ((Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * (PLOT_X1 - PLOT_X0);
  const ticks = [0.1, 0.25, 0.5, 1, 2, 4, 8].filter((t) => t >= lo && t <= hi);

  // Layout: a heading per regimen, then its rows.
  const layout = [];
  let y = 56;
  let current = null;
  for (const row of rows) {
    if (row.option !== current) {
      current = row.option;
      layout.push({ head: row.option, y: y + 18 });
      y += HEAD;
    }
    layout.push({ row, y });
    y += ROW;
  }
  const plotTop = 48;
  const plotBottom = y + 4;
  const height = plotBottom + 46;

  const svg = s('svg', {
    viewBox: `0 0 ${W} ${height}`, role: 'img', class: 'forest-svg', preserveAspectRatio: 'xMinYMin meet',
    'aria-label': `Forest plot of ${rows.length} hazard ratios with 95% confidence intervals, log scale, reference line at 1. The table that follows (Forest plot as a table) gives the same figures.`,
  });

  // Column headings.
  svg.appendChild(s('text', { x: LABEL_X, y: 20, class: 'col-head' }, 'Regimen — trial, endpoint (analysis)'));
  svg.appendChild(s('text', { x: (PLOT_X0 + PLOT_X1) / 2, y: 20, 'text-anchor': 'middle', class: 'col-head' }, 'Hazard ratio (95% CI), log scale'));
  svg.appendChild(s('text', { x: TEXT_X, y: 20, class: 'col-head' }, 'HR (95% CI)'));

  // Grid, ticks and the reference line at 1.
  const axis = s('g', { class: 'axis' });
  for (const t of ticks) {
    axis.appendChild(s('line', { x1: x(t), x2: x(t), y1: plotTop, y2: plotBottom, class: t === 1 ? 'reference-line' : 'gridline' }));
    axis.appendChild(s('text', { x: x(t), y: plotBottom + 16, 'text-anchor': 'middle', class: 'tick' }, String(t)));
    axis.appendChild(s('text', { x: x(t), y: plotTop - 6, 'text-anchor': 'middle', class: 'tick' }, String(t)));
  }
  axis.appendChild(s('line', { x1: PLOT_X0, x2: PLOT_X1, y1: plotBottom, y2: plotBottom, class: 'axis-line' }));
  axis.appendChild(s('text', { x: x(1) - 6, y: plotBottom + 34, 'text-anchor': 'end', class: 'favours' }, '← favours the regimen (first-named arm)'));
  axis.appendChild(s('text', { x: x(1) + 6, y: plotBottom + 34, 'text-anchor': 'start', class: 'favours' }, 'favours comparator →'));
  svg.appendChild(axis);

  for (const item of layout) {
    if (item.head) {
      svg.appendChild(s('text', { x: LABEL_X, y: item.y, class: 'group-head' },
        truncate(`${item.head.rank}. ${item.head.regimen?.name ?? item.head.regimen?.id}`, 80)));
      continue;
    }
    const { row } = item;
    const { option, evidence, result, hr } = row;
    const analysis = result.analysis ? ` (${result.analysis})` : '';
    const full = `${option.regimen?.name ?? option.regimen?.id} — ${evidence.trial} ${result.endpoint}${analysis}`;
    const figures = `${fmt(hr.value)} (${fmt(hr.lower)}–${fmt(hr.upper)})`;
    const checked = result.verified ? 'checked against publication' : 'as stated in the seed, not checked';
    const cy = item.y + 12;
    const g = s('g', { testid: 'forest-row', class: `forest-row${result.verified ? '' : ' unverified'}`, dataset: { regimenId: option.regimen?.id, trial: evidence.trial } },
      s('title', null, `${full}: HR ${figures}; ${checked}.`),
      s('text', { x: LABEL_X + 14, y: item.y + 9, class: 'row-label' }, truncate(`${evidence.trial} — ${result.endpoint}`, 68)),
      s('text', { x: LABEL_X + 14, y: item.y + 24, class: 'row-sub' }, truncate(result.analysis ? `(${result.analysis})` : '', 72)),
      s('line', { x1: x(hr.lower), x2: x(hr.upper), y1: cy, y2: cy, class: 'ci' }),
      s('line', { x1: x(hr.lower), x2: x(hr.lower), y1: cy - 5, y2: cy + 5, class: 'ci' }),
      s('line', { x1: x(hr.upper), x2: x(hr.upper), y1: cy - 5, y2: cy + 5, class: 'ci' }),
      result.verified
        ? s('rect', { x: x(hr.value) - 5, y: cy - 5, width: 10, height: 10, class: 'point' })
        : s('path', { d: `M${x(hr.value)},${cy - 6} L${x(hr.value) + 6},${cy} L${x(hr.value)},${cy + 6} L${x(hr.value) - 6},${cy} Z`, class: 'point point-open' }),
      s('text', { x: TEXT_X, y: item.y + 9, class: 'hr-text' }, `HR ${figures}`),
      s('text', { x: TEXT_X, y: item.y + 24, class: 'row-sub' }, result.verified ? '✓ checked against publication' : '◇ as stated in the seed'));
    svg.appendChild(g);
  }

  figure.appendChild(scrollBox('svg-wrap', 'Forest plot', svg));
  figure.appendChild(h('p', { class: 'figure-note' },
    'Each hazard ratio compares the first-named arm of its trial with the comparator (the arms are listed under the option\'s evidence); ',
    'a trial may test a different regimen from the option it supports. Filled squares: figures checked against the publication; ',
    'open diamonds: figures as stated in the seed, not checked. Analyses differ (primary, updated, subgroup, exploratory): read each row\'s label.'));
  // The same figures as text: for screen readers (the drawing is one image to them) and for the labels the plot
  // shortens, whose full text would otherwise be only in a tooltip.
  figure.appendChild(h('details', { class: 'table-alt' }, h('summary', null, 'Forest plot as a table'), table(rows)));
  return figure;
}

function table(rows) {
  return scrollBox('table-scroll', 'Forest plot as a table', h('table', { class: 'data-table' },
    h('caption', null, 'Hazard ratios behind the offered regimens, in rank order'),
    h('thead', null, h('tr', null,
      ['Rank', 'Regimen', 'Trial', 'Endpoint', 'Analysis', 'HR (95% CI)', 'Figures'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, rows.map(({ option, evidence, result, hr }) => h('tr', null,
      h('td', null, String(option.rank)),
      h('th', { scope: 'row' }, option.regimen?.name ?? option.regimen?.id),
      h('td', null, evidence.trial),
      h('td', null, result.endpoint),
      h('td', null, result.analysis ?? '—'),
      h('td', { class: 'num nowrap' }, `${fmt(hr.value)} (${fmt(hr.lower)}–${fmt(hr.upper)})`),
      h('td', null, result.verified ? 'Checked against publication' : 'As stated in the seed, not checked'))))));
}

function fmt(v) {
  return Number(v).toFixed(2);
}
