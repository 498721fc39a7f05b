// The knowledge base for browsing: statements (searchable, filterable by edition), regimens and trials.

import { h, clear, plural } from './dom.js';
import { strengthBadge, resultsTable } from './answer.js';

export function renderKnowledge(host, kb) {
  clear(host);
  const editions = kb.editions ?? [];
  const names = new Map(editions.map((e) => [e.id, e.name]));
  const statements = kb.statements ?? [];
  const regimens = kb.regimens ?? [];
  const trials = kb.trials ?? [];

  host.appendChild(h('p', { class: 'muted' },
    `Knowledge base ${kb.version ?? ''}: ${plural(statements.length, 'statement')}, ${plural(regimens.length, 'regimen')}, ${plural(trials.length, 'trial')}. `,
    'Quotes are the sources’ own words; “…” marks an omission.'));
  host.appendChild(h('nav', { class: 'kb-nav', 'aria-label': 'Knowledge base sections' },
    h('a', { href: '#kb-statements' }, 'Statements'), h('a', { href: '#kb-regimens' }, 'Regimens'), h('a', { href: '#kb-trials' }, 'Trials')));

  // Statements, with a search box and an edition filter.
  const search = h('input', { type: 'search', id: 'kb-search', testid: 'kb-search', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'kb-search-hint' });
  const editionFilter = h('select', { id: 'kb-edition' },
    h('option', { value: '' }, 'All editions'),
    editions.filter((e) => statements.some((s) => s.edition === e.id)).map((e) => h('option', { value: e.id }, e.name)));
  const count = h('p', { class: 'kb-count', testid: 'kb-count', role: 'status', 'aria-live': 'polite' });

  const groups = [];
  const items = [];
  const byEdition = new Map();
  for (const st of statements) {
    if (!byEdition.has(st.edition)) byEdition.set(st.edition, []);
    byEdition.get(st.edition).push(st);
  }
  const groupHost = h('div', { class: 'kb-groups' });
  for (const [edition, list] of byEdition) {
    const ul = h('ul', { class: 'kb-statements' });
    const group = h('section', { class: 'kb-group', dataset: { edition } },
      h('h3', null, names.get(edition) ?? edition, h('span', { class: 'muted' }, ` (${edition})`)), ul);
    for (const st of list) {
      const haystack = [st.id, st.title, st.quote, st.source, st.sourceFile, st.edition, names.get(st.edition), st.strength, st.strengthLabel, st.voice, st.kind]
        .filter(Boolean).join(' ').toLowerCase();
      const li = h('li', { class: 'kb-statement', testid: 'kb-statement', dataset: { statementId: st.id, edition: st.edition } },
        h('p', { class: 'statement-head' }, h('strong', null, st.title ?? st.id)),
        h('blockquote', { class: 'quote' },
          h('p', { class: 'quote-text' }, `“${st.quote}”`),
          h('footer', null,
            h('p', { class: 'quote-source' }, st.voice ? [h('span', { class: 'voice' }, st.voice), ' — '] : null, h('cite', null, st.source),
              st.sourceFile ? h('span', { class: 'file' }, ` (file ${st.sourceFile})`) : null),
            h('p', { class: 'badges' }, strengthBadge(st.strength, st.strengthLabel), ' ',
              h('span', { class: 'badge edition-badge' }, `Edition: ${names.get(st.edition) ?? st.edition}`), ' ',
              st.kind ? h('span', { class: 'badge kind-badge' }, st.kind) : null, ' ',
              h('code', { class: 'statement-id' }, st.id)))),
        st.interpretation ? h('p', { class: 'interpretation' }, h('strong', null, 'How Herald reads it: '), st.interpretation) : null,
        st.note ? h('p', { class: 'note' }, h('strong', null, 'Note: '), st.note) : null,
        st.trials?.length ? h('p', { class: 'muted' }, 'Trials cited: ', st.trials.join(', ')) : null);
      items.push({ li, haystack, edition: st.edition, group });
      ul.appendChild(li);
    }
    groups.push(group);
    groupHost.appendChild(group);
  }

  const apply = () => {
    const terms = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const edition = editionFilter.value;
    let shown = 0;
    const visibleGroups = new Set();
    for (const item of items) {
      const visible = (!edition || item.edition === edition) && terms.every((t) => item.haystack.includes(t));
      item.li.hidden = !visible;
      if (visible) {
        shown += 1;
        visibleGroups.add(item.group);
      }
    }
    for (const g of groups) g.hidden = !visibleGroups.has(g);
    count.textContent = shown === items.length ? `Showing all ${items.length} statements.` : `Showing ${shown} of ${items.length} statements.`;
  };
  search.addEventListener('input', apply);
  editionFilter.addEventListener('change', apply);

  host.appendChild(h('section', { id: 'kb-statements', class: 'kb-section', 'aria-labelledby': 'kb-statements-title' },
    h('h2', { id: 'kb-statements-title' }, 'Statements'),
    h('div', { class: 'kb-controls' },
      h('div', { class: 'field' }, h('label', { for: 'kb-search' }, 'Search statements'),
        h('p', { class: 'hint', id: 'kb-search-hint' }, 'Matches id, title, quote, source, edition and strength; every word must match.'), search),
      h('div', { class: 'field' }, h('label', { for: 'kb-edition' }, 'Edition'), editionFilter)),
    count, groupHost));
  apply();

  // Regimens.
  host.appendChild(h('section', { id: 'kb-regimens', class: 'kb-section' },
    h('h2', null, `Regimens (${regimens.length})`),
    h('ul', { class: 'kb-regimens' }, regimens.map((r) => h('li', { class: 'kb-regimen', testid: 'kb-regimen', dataset: { regimenId: r.id } },
      h('p', null, h('strong', null, r.name), ' ', h('code', { class: 'statement-id' }, r.id), r.kind === 'placeholder' ? h('span', { class: 'badge' }, 'Open choice') : null),
      h('p', null, 'Agents: ', (r.agents ?? []).join(', ')),
      r.trials?.length ? h('p', { class: 'muted' }, 'Trials: ', r.trials.join(', ')) : null,
      r.notes ? h('p', { class: 'note' }, r.notes) : null)))));

  // Trials.
  host.appendChild(h('section', { id: 'kb-trials', class: 'kb-section' },
    h('h2', null, `Trials (${trials.length})`),
    h('ul', { class: 'kb-trials' }, trials.map((t) => h('li', { class: 'kb-trial evidence', testid: 'kb-trial', dataset: { trial: t.id } },
      h('p', { class: 'trial-name' }, h('strong', null, t.name), t.nct ? [' · ', h('span', { class: 'nct' }, t.nct)] : null, t.design ? ` · ${t.design}` : null),
      h('dl', { class: 'trial-facts' },
        t.setting ? [h('dt', null, 'Setting'), h('dd', null, t.setting)] : null,
        t.arms ? [h('dt', null, 'Arms'), h('dd', null, t.arms)] : null,
        t.publication ? [h('dt', null, 'Publication'), h('dd', null, t.publication)] : null),
      t.results?.length ? resultsTable(t.name, t.results) : h('p', { class: 'muted' }, 'No results in the sources.'))))));
}
