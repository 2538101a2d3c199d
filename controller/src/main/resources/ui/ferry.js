// Ferry's web view: plain JavaScript over the REST API, no build step. Everything shown comes
// from /v1 with the token typed in at login, so a tenant token sees only its own tenant.
'use strict';

const POLL_MS = 2000;
const state = { token: null, admin: false, tenants: [], networks: [], ports: [], hosts: [],
  floatingIps: [], tab: 'overview' };
const $ = (sel) => document.querySelector(sel);

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: Object.assign({ Authorization: 'Bearer ' + state.token },
      body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const err = new Error(json && json.message ? json.message : res.status + ' ' + res.statusText);
    err.status = res.status;
    err.field = json && json.field;
    throw err;
  }
  return json;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (v !== null && v !== undefined) e.setAttribute(k, v);
  });
  children.flat().forEach(c => e.append(c instanceof Node ? c : document.createTextNode(c ?? '-')));
  return e;
}

function fill(tableId, rows) {
  const body = document.querySelector('#' + tableId + ' tbody');
  body.replaceChildren(...rows);
}

// ---- login ----

async function login(token) {
  state.token = token;
  try {
    const me = await api('GET', '/v1/me');
    state.admin = me.admin;
    state.me = me;
    state.tenants = await loadTenants();
  } catch (e) {
    state.token = null;
    $('#login-error').textContent = e.status === 401 ? 'That token is not valid.' : e.message;
    return;
  }
  sessionStorage.setItem('ferry.token', token);
  document.body.classList.toggle('tenant', !state.admin);
  document.querySelectorAll('.admin-only').forEach(x => { x.hidden = !state.admin; });
  $('#who').textContent = state.admin ? 'admin'
    : 'tenant ' + state.tenants.map(t => t.name).join(', ');
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#logout').hidden = false;
  await refresh();
  listen();
  // counters change without events: the flow table keeps polling while it is shown
  setInterval(() => { if (state.tab === 'flows' && $('#flows-auto').checked) showFlows(); }, POLL_MS);
}

// ---- updates: server-sent events, polling when they fail ----

/**
 * Opens /v1/events with a one-time ticket (EventSource sends no Authorization header) and
 * re-reads the API on every "changed". A stream that drops is reopened with a new ticket;
 * when streams keep failing (or never open), the page polls every POLL_MS instead.
 */
async function listen() {
  let ticket;
  try {
    ticket = (await api('POST', '/v1/events/tickets', {})).ticket;
  } catch (e) {
    return poll('no event stream: ' + e.message);
  }
  const es = new EventSource('/v1/events?ticket=' + encodeURIComponent(ticket));
  state.events = es;
  let opened = false;
  es.addEventListener('ready', () => {
    opened = true;
    state.streamFailures = 0;
    document.body.dataset.updates = 'events';
    refresh();
  });
  es.addEventListener('changed', () => refresh());
  es.onerror = () => {
    es.close();
    state.streamFailures = (state.streamFailures || 0) + 1;
    if (!opened || state.streamFailures >= 3) {
      poll('event stream failed');
    } else {
      setTimeout(listen, 1000);
    }
  };
}

function poll(why) {
  if (state.polling) return;
  state.polling = setInterval(refresh, POLL_MS);
  document.body.dataset.updates = 'polling';
  console.log('polling every ' + POLL_MS + ' ms: ' + why);
}

// ---- model views ----

/** The admin lists every tenant; a tenant token knows only its own (from /v1/me). */
async function loadTenants() {
  return state.admin ? api('GET', '/v1/tenants') : [{ id: state.me.tenant, name: state.me.tenant_name }];
}

async function refresh() {
  try {
    const [tenants, networks, ports, fips] = await Promise.all([
      loadTenants(), api('GET', '/v1/networks'), api('GET', '/v1/ports'),
      api('GET', '/v1/floating_ips')]);
    Object.assign(state, { tenants, networks, ports, floatingIps: fips });
    if (state.admin) {
      const [hosts, switches, version] = await Promise.all([api('GET', '/v1/hosts'),
        api('GET', '/v1/switches'), api('GET', '/v1/version')]);
      Object.assign(state, { hosts, switches, version: version.version });
    }
    render();
    $('#updated').textContent = 'updated ' + new Date().toLocaleTimeString()
      + (document.body.dataset.updates === 'events' ? ' (live)' : '');
  } catch (e) {
    $('#updated').textContent = 'refresh failed: ' + e.message;
  }
}

const tenantName = (id) => (state.tenants.find(t => t.id === id) || { name: id }).name;
const networkName = (id) => (state.networks.find(n => n.id === id) || { name: id }).name;
const portName = (p) => p.name || p.id;

/** The model version the host's switch holds, against the current one ("is my change there?"). */
function installedCell(h) {
  const dpid = (x) => x.replace(/:/g, '').toLowerCase();
  const sw = (state.switches || []).find(s => dpid(s.datapath_id) === dpid(h.datapath_id));
  if (!sw) return el('td', { class: 'installed' }, '-');
  const current = sw.installed_version >= state.version;
  return el('td', { class: 'installed ' + (current ? 'state-connected' : 'state-pending') },
    String(sw.installed_version) + (current ? ' (current)' : ' (model at ' + state.version + ')'));
}

function render() {
  fill('tenants', state.tenants.map(t => el('tr', { 'data-id': t.id }, el('td', {}, t.name), el('td', {}, t.id))));
  fill('networks', state.networks.map(n => el('tr', { 'data-name': n.name },
    el('td', {}, n.name), el('td', {}, tenantName(n.tenant)), el('td', {}, String(n.vni)),
    el('td', {}, n.cidr), el('td', {}, n.gateway_ip))));
  fill('ports', state.ports.map(p => el('tr', { 'data-name': portName(p) },
    el('td', {}, portName(p)), el('td', {}, networkName(p.network)), el('td', {}, p.ip),
    el('td', {}, p.mac), el('td', {}, p.host),
    el('td', { class: 'state-' + p.status.state }, p.status.state
      + (p.status.of_port ? ' (ofport ' + p.status.of_port + ')' : '')))));
  fill('hosts', state.hosts.map(h => el('tr', { 'data-name': h.name },
    el('td', {}, h.name), el('td', {}, h.datapath_id), el('td', {}, h.tunnel_ip),
    el('td', {}, h.uplink ? h.uplink.interface + ' ' + h.uplink.address : '-'),
    el('td', { class: h.connected ? 'state-connected' : 'state-disconnected' },
      h.connected ? 'connected' : 'disconnected'),
    installedCell(h))));
  fill('floating-ips', state.floatingIps.map(f => el('tr', {}, el('td', {}, f.ip),
    el('td', {}, f.port ? portName(state.ports.find(p => p.id === f.port) || { id: f.port }) : '-'),
    el('td', {}, f.host))));
  options('#trace-from', state.ports.map(p => [p.id, portName(p) + ' (' + networkName(p.network) + ')']));
  options('#trace-to-port', [['', '(by address)']].concat(
    state.ports.map(p => [p.id, portName(p) + ' (' + networkName(p.network) + ')'])));
  options('#flows-host', state.hosts.map(h => [h.datapath_id, h.name]));
  topology();
}

/** Replaces a select's options, keeping the current choice. */
function options(sel, pairs) {
  const s = $(sel);
  const keep = s.value;
  s.replaceChildren(...pairs.map(([v, label]) => el('option', { value: v }, label)));
  if (pairs.some(([v]) => v === keep)) s.value = keep;
}

// ---- topology ----

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function topology() {
  const hostNames = state.admin ? state.hosts.map(h => h.name)
    : [...new Set(state.ports.map(p => p.host).filter(Boolean))];
  hostNames.sort();
  const netsOn = (host) => [...new Set(state.ports.filter(p => p.host === host).map(p => p.network))];
  const W = 240, GAP = 120, TOP = 120, width = Math.max(600, hostNames.length * (W + GAP) + GAP);
  const pos = {};
  const boxH = (host) => 50 + netsOn(host).length * 18 + state.ports.filter(p => p.host === host).length * 16;
  const height = TOP + Math.max(120, ...hostNames.map(boxH)) + 140;
  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}` });
  hostNames.forEach((h, i) => { pos[h] = { x: GAP + i * (W + GAP), y: TOP }; });

  // the outside world, when any host has an uplink or any port a floating IP
  const uplinked = hostNames.filter(h => (state.hosts.find(x => x.name === h) || {}).uplink
    || state.floatingIps.some(f => f.host === h));
  if (uplinked.length) {
    root.append(svg('ellipse', { class: 'outside', cx: width / 2, cy: 35, rx: 90, ry: 22, fill: '#eef', stroke: '#99a' }));
    root.append(svg('text', { x: width / 2, y: 40, 'text-anchor': 'middle' }, 'outside'));
  }
  // tunnels: one per pair of hosts that share a network
  for (let i = 0; i < hostNames.length; i++) {
    for (let j = i + 1; j < hostNames.length; j++) {
      const a = hostNames[i], b = hostNames[j];
      const shared = netsOn(a).filter(n => netsOn(b).includes(n));
      if (!shared.length) continue;
      const x1 = pos[a].x + W / 2, x2 = pos[b].x + W / 2, y = TOP + Math.max(boxH(a), boxH(b)) + 10;
      const dip = 30 + (j - i) * 25;
      root.append(svg('path', { class: 'tunnel', 'data-hosts': a + '|' + b,
        d: `M ${x1} ${y} Q ${(x1 + x2) / 2} ${y + dip * 2} ${x2} ${y}`, fill: 'none',
        stroke: '#e63946', 'stroke-width': 2, 'stroke-dasharray': '6 3' }));
      root.append(svg('text', { class: 'tunnel-label', x: (x1 + x2) / 2, y: y + dip + 14, 'text-anchor': 'middle', 'font-size': 12 },
        'VXLAN: ' + shared.map(n => {
          const net = state.networks.find(x => x.id === n);
          return net ? net.name + ' (vni ' + net.vni + ')' : n;
        }).join(', ')));
    }
  }
  hostNames.forEach(h => {
    const { x, y } = pos[h];
    const host = state.hosts.find(x2 => x2.name === h);
    const g = svg('g', { class: 'host', 'data-host': h });
    g.append(svg('rect', { x, y, width: W, height: boxH(h), rx: 8, fill: '#fff',
      stroke: host && !host.connected ? '#c00' : '#1d3557', 'stroke-width': 2 }));
    g.append(svg('text', { x: x + 10, y: y + 20, 'font-weight': 'bold' },
      h + (host ? (host.connected ? ' (connected)' : ' (disconnected)') : '')));
    let line = y + 40;
    netsOn(h).forEach(n => {
      const net = state.networks.find(x2 => x2.id === n);
      g.append(svg('text', { class: 'network', x: x + 10, y: line, fill: '#1d3557' },
        (net ? net.name + ' vni ' + net.vni : n)));
      line += 18;
      state.ports.filter(p => p.host === h && p.network === n).forEach(p => {
        g.append(svg('text', { class: 'port', 'data-port': portName(p), x: x + 24, y: line, 'font-size': 12 },
          portName(p) + ' ' + (p.ip || '') + ' [' + p.status.state + ']'));
        line += 16;
      });
    });
    root.append(g);
    const fips = state.floatingIps.filter(f => f.host === h).map(f => f.ip);
    if (host && host.uplink || fips.length) {
      root.append(svg('line', { class: 'uplink', x1: x + W / 2, y1: y, x2: width / 2, y2: 57, stroke: '#667' }));
      root.append(svg('text', { x: (x + W / 2 + width / 2) / 2 + 6, y: (y + 57) / 2, 'font-size': 12 },
        (host && host.uplink ? 'uplink ' + host.uplink.interface + ' ' + host.uplink.address : '')
        + (fips.length ? ' floating ' + fips.join(', ') : '')));
    }
  });
  $('#topology').replaceChildren(root);
}

// ---- flows ----

async function showFlows() {
  const dpid = $('#flows-host').value;
  if (!dpid) return;
  const q = new URLSearchParams();
  [['network', '#flows-network'], ['port', '#flows-port'], ['table', '#flows-table']].forEach(([k, s]) => {
    if ($(s).value) q.set(k, $(s).value);
  });
  try {
    const r = await api('GET', '/v1/switches/' + dpid.replace(/:/g, '') + '/flows' + (q.toString() ? '?' + q : ''));
    $('#flows-error').textContent = '';
    fill('flows', r.entries.map(e => el('tr', {}, el('td', {}, e.table), el('td', {}, String(e.priority)),
      el('td', {}, e.owner ? e.owner.app + ' ' + e.owner.kind + (e.owner.name ? ' ' + e.owner.name : '') : 'foreign'),
      el('td', { class: 'packets' }, String(e.packets)), el('td', {}, String(e.bytes)),
      el('td', { class: 'flow' }, e.flow))));
  } catch (e) {
    $('#flows-error').textContent = e.message;
  }
}

// ---- trace ----

async function trace() {
  const body = { from_port: $('#trace-from').value, protocol: $('#trace-protocol').value };
  if ($('#trace-to-port').value) body.to_port = $('#trace-to-port').value;
  if ($('#trace-to-ip').value) body.to_ip = $('#trace-to-ip').value;
  if ($('#trace-dst-port').value) body.dst_port = Number($('#trace-dst-port').value);
  if ($('#trace-src-ip').value) body.src_ip = $('#trace-src-ip').value;
  const verdict = $('#trace-verdict');
  try {
    const r = await api('POST', '/v1/trace' + ($('#trace-live').checked ? '?live=true' : ''), body);
    verdict.textContent = r.verdict;
    verdict.className = 'verdict ' + (r.verdict.startsWith('delivered') ? 'delivered' : 'dropped');
    $('#trace-packet').textContent = 'packet: ' + r.packet;
    fill('trace-hops', r.hops.map(h => el('tr', {}, el('td', {}, h.host), el('td', {}, h.table),
      el('td', {}, h.owner ? h.owner.app + ': ' + (h.owner.description || h.owner.kind) : '-'),
      el('td', { class: 'flow' }, h.miss ? '(no flow: table miss)' : h.flow_named))));
    const drift = r.drift || [];
    $('#trace-drift-title').hidden = $('#trace-drift').hidden = drift.length === 0;
    fill('trace-drift', drift.map(d => el('tr', {}, el('td', {}, d.host), el('td', {}, d.kind),
      el('td', { class: 'flow' }, d.flow))));
  } catch (e) {
    verdict.textContent = 'error' + (e.field ? ' in ' + e.field : '') + ': ' + e.message;
    verdict.className = 'verdict dropped';
    fill('trace-hops', []);
  }
}

// ---- wiring ----

function showTab(tab) {
  state.tab = tab;
  document.querySelectorAll('.tab').forEach(s => { s.hidden = s.id !== 'tab-' + tab; });
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.dataset.tab === tab));
  if (tab === 'flows') showFlows();
}

document.addEventListener('DOMContentLoaded', () => {
  $('#login-form').addEventListener('submit', (e) => { e.preventDefault(); login($('#login-token').value.trim()); });
  $('#logout').addEventListener('click', () => { sessionStorage.removeItem('ferry.token'); location.reload(); });
  $('#trace-form').addEventListener('submit', (e) => { e.preventDefault(); trace(); });
  $('#flows-form').addEventListener('submit', (e) => { e.preventDefault(); showFlows(); });
  document.querySelectorAll('nav a').forEach(a => a.addEventListener('click', (e) => {
    e.preventDefault();
    showTab(a.dataset.tab);
  }));
  const saved = sessionStorage.getItem('ferry.token');
  if (saved) login(saved);
});
