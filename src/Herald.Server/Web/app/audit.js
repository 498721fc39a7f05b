// The audit log: the caller's own records from GET /audit.

import { h, clear, scrollBox } from './dom.js';
import { request } from './api.js';

function time(value) {
  if (!value) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(value);
  if (!m) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return `${m[1]} ${m[2]}`;
  return `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)} UTC`;
}

// What the answer decided, from the record's summary (the answer itself is not kept, only its digest).
function decided(summary) {
  if (!summary) return '—';
  if (Array.isArray(summary.editions) && summary.editions.length) {
    return `${summary.editions.length} editions compared`;
  }
  if (!summary.decisionPoint) return '—';
  const point = summary.line ? `${summary.decisionPoint} (line ${summary.line})` : summary.decisionPoint;
  const ranked = Array.isArray(summary.ranked) && summary.ranked.length ? summary.ranked.join(', ') : 'nothing ranked';
  return `${point}: ${ranked}`;
}

export async function loadAudit(host) {
  clear(host);
  host.appendChild(h('p', { class: 'muted', role: 'status' }, 'Loading the audit log…'));
  const result = await request('GET', '/audit?limit=50', { auth: true });
  clear(host);
  if (!result.ok) {
    let advice = '';
    if (result.status === 403) advice = ' This caller may not read the audit log.';
    else if (result.status === 503) advice = ' The audit store cannot be read just now; the log is unavailable until it is back.';
    host.appendChild(h('p', { class: 'error-message', testid: 'audit-error', role: 'alert' }, result.message + advice));
    return;
  }
  const data = result.data ?? {};
  const records = data.records ?? [];
  host.appendChild(h('p', null, `Caller: ${data.caller ?? 'unknown'}. Showing ${records.length} record${records.length === 1 ? '' : 's'}${data.count !== undefined && data.count !== records.length ? ` of ${data.count}` : ''}, newest first as Herald returned them.`));
  const rows = records.map((r) => h('tr', { testid: 'audit-row', class: r.status >= 400 ? 'failed' : null },
    h('td', { class: 'nowrap' }, h('time', { datetime: r.time }, time(r.time))),
    h('td', null, r.service ?? ''),
    h('td', { class: 'nowrap' }, r.patientId ?? '—'),
    h('td', null, r.edition ?? '—'),
    h('td', { testid: 'audit-decided' }, decided(r.summary)),
    h('td', null, String(r.status ?? ''), r.status >= 400 ? h('span', { class: 'muted' }, ' (error)') : null),
    h('td', { class: 'num' }, typeof r.latencyMs === 'number' ? r.latencyMs.toFixed(1) : ''),
    h('td', null, r.caller ?? ''),
    h('td', null, Array.isArray(r.feedback) && r.feedback.length ? `${r.feedback.length}` : '—'),
    h('td', null, h('code', { class: 'audit-id' }, r.id ?? ''))));
  host.appendChild(scrollBox('table-scroll', 'Audit log',
    h('table', { class: 'data-table audit-table', testid: 'audit-log' },
      h('caption', null, 'Past answers recorded by Herald'),
      h('thead', null, h('tr', null, ['Time', 'Service', 'Patient', 'Edition', 'Decided', 'Status', 'Latency (ms)', 'Caller', 'Feedback', 'Record id']
        .map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rows.length ? rows : h('tr', null, h('td', { colspan: '10' }, 'No records yet.'))))));
}
