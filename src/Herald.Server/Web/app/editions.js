// The editions side by side: Herald's /api/comparison answer for the same input, as a table.

import { h, sentence, plural, scrollBox } from './dom.js';

function differsBadge() {
  return h('span', { class: 'badge differs-badge' }, 'Differs');
}

function sameBadge() {
  return h('span', { class: 'badge same-badge' }, 'Same');
}

function decisionPointText(dp) {
  if (!dp) return 'not reported';
  return `${dp.label ?? sentence(dp.kind)}${dp.line !== undefined && dp.line !== null ? ` · line ${dp.line}` : ''}`;
}

function cellContent(cell) {
  if (!cell) return [h('span', { class: 'status-word' }, 'Not reported')];
  switch (cell.status) {
    case 'recommended':
      return [
        h('span', { class: 'status-word status-recommended' }, `Recommended · rank ${cell.rank}${cell.tied ? ' (tied)' : ''}`),
        cell.strengthLabel ? h('span', { class: 'cell-detail' }, cell.strengthLabel) : null,
      ];
    case 'excluded':
      return [
        h('span', { class: 'status-word status-excluded' }, 'Excluded for this patient'),
        ...(cell.reasons ?? []).map((r) => h('span', { class: 'cell-detail' }, r)),
      ];
    case 'not-indicated':
      return [
        h('span', { class: 'status-word status-not-indicated' }, 'Not indicated here'),
        ...(cell.reasons ?? []).slice(0, 1).map((r) => h('span', { class: 'cell-detail' }, r)),
      ];
    case 'not-in-edition':
      return [h('span', { class: 'status-word status-absent' }, 'Not in this edition')];
    case 'not-offered':
      return [h('span', { class: 'status-word status-absent' }, 'Not offered')];
    default:
      return [h('span', { class: 'status-word' }, sentence(cell.status))];
  }
}

export function renderComparison(cmp) {
  const editions = cmp.editions ?? [];
  const rows = cmp.rows ?? [];
  const differing = rows.filter((r) => r.differs).length;
  const wrap = h('div', { class: 'comparison' });
  wrap.appendChild(h('p', { class: 'comparison-summary' },
    `Patient ${cmp.patientId}, decided as of ${cmp.asOf} under ${plural(editions.length, 'edition')}. `,
    cmp.decisionPointDiffers ? h('strong', null, 'The decision point differs between editions. ') : 'The decision point is the same in every edition. ',
    differing ? h('strong', null, `${plural(differing, 'regimen')} ${differing === 1 ? 'differs' : 'differ'} between editions.`) : 'No regimen differs between editions.'));

  const head = h('tr', null, h('th', { scope: 'col' }, 'Regimen'),
    editions.map((e) => h('th', { scope: 'col', dataset: { edition: e.edition } }, h('span', { class: 'edition-name' }, e.editionName ?? e.edition), h('span', { class: 'edition-id' }, e.edition))));

  const dpRow = h('tr', { testid: 'comparison-decision-point', class: cmp.decisionPointDiffers ? 'differs' : null, dataset: { differs: cmp.decisionPointDiffers ? 'true' : 'false' } },
    h('th', { scope: 'row' }, 'Decision point ', cmp.decisionPointDiffers ? differsBadge() : sameBadge()),
    editions.map((e) => h('td', null,
      h('span', { class: 'status-word' }, decisionPointText(e.decisionPoint)),
      e.missingDataCount ? h('span', { class: 'cell-detail' }, plural(e.missingDataCount, 'missing-data request')) : null)));

  const body = h('tbody', null, dpRow, rows.map((r) => {
    const byEdition = new Map((r.cells ?? []).map((c) => [c.edition, c]));
    return h('tr', { testid: 'comparison-row', class: r.differs ? 'differs' : null, dataset: { regimenId: r.regimen?.id, differs: r.differs ? 'true' : 'false' } },
      h('th', { scope: 'row' }, h('span', { class: 'regimen-name' }, r.regimen?.name ?? r.regimen?.id), ' ', r.differs ? differsBadge() : null),
      editions.map((e) => h('td', { dataset: { status: byEdition.get(e.edition)?.status } }, cellContent(byEdition.get(e.edition)))));
  }));

  wrap.appendChild(scrollBox('table-scroll', 'Editions side by side',
    h('table', { class: 'data-table comparison-table', testid: 'edition-comparison' },
      h('caption', null, 'What each edition offers this patient. Rows marked “Differs” are not the same in every edition.'),
      h('thead', null, head), body)));
  return wrap;
}
