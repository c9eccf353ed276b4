// The staff app for handhelds: sign in with a staff token, restock gaps, scan and count, devices.
import { api, el, productName, verdict, certainty, age, asGtin, follow } from '/common.js';

const $ = (id) => document.getElementById(id);
const KEY = 'onshelf.staffToken';
const state = { token: null, stores: [], store: null, product: null, countKey: null, unfollow: null, timer: null };

function claims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part));
  } catch {
    return null;
  }
}

function newKey() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return 'hh-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function signIn(token) {
  const c = claims(token);
  if (!c || !Array.isArray(c.stores) || !c.stores.length) return 'This is not a staff token with stores.';
  if (c.exp && c.exp * 1000 < Date.now()) return 'This token has expired.';
  state.token = token;
  state.stores = c.stores;
  localStorage.setItem(KEY, token);
  $('signin').hidden = true;
  $('app').hidden = false;
  $('store').replaceChildren(...state.stores.map((s) => el('option', { value: s }, s)));
  chooseStore(state.stores[0]);
  tab('gaps');
  return null;
}

function signOut() {
  localStorage.removeItem(KEY);
  if (state.unfollow) state.unfollow();
  state.token = null;
  $('app').hidden = true;
  $('signin').hidden = false;
  $('token').value = '';
  $('token').focus();
}

function authFailed(e) {
  if (e.status === 401) {
    signOut();
    $('signin-error').textContent = 'Please sign in again: ' + e.message;
    return true;
  }
  return false;
}

function chooseStore(store) {
  state.store = store;
  $('store').value = store;
  if (state.unfollow) state.unfollow();
  state.unfollow = follow(store, null, (a) => {
    // the stream is public (it may carry no counts): the open product is read again, counts included
    if (state.product && a.gtin === state.product.gtin) refreshProduct(a.gtin);
    // at most one refresh every 2 s, however busy the store (a debounce would starve)
    if (!state.timer) state.timer = setTimeout(() => { state.timer = null; loadGaps(); }, 2000);
  }, (s) => { $('gaps-note').dataset.live = s; });
  loadGaps();
  loadDevices();
}

function tab(name) {
  for (const b of document.querySelectorAll('[role=tab]')) {
    const on = b.dataset.tab === name;
    b.setAttribute('aria-selected', on);
    if (on) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
    $(b.dataset.tab).hidden = !on;
  }
  if (name === 'scan') $('code').focus();
  if (name === 'devices') loadDevices();
}

const GAP_WORDS = { phantom: 'Phantom stock (books say yes, shelf is empty)', empty: 'Empty shelf', low: 'Low shelf' };

async function loadGaps() {
  const store = state.store;
  try {
    const gaps = await api(`/v1/staff/stores/${encodeURIComponent(store)}/gaps`, { token: state.token });
    if (store !== state.store) return;
    $('gaps-note').textContent = gaps.items.length ? `${gaps.items.length} to restock, updated ${new Date().toLocaleTimeString()}.`
      : 'Nothing to restock right now.';
    $('gaps-list').replaceChildren(...gaps.items.map((g) => el('li', {},
      el('button', { type: 'button', class: 'choice', 'data-gtin': g.gtin, onclick: () => { tab('scan'); open(g.gtin); } },
        el('strong', {}, `${GAP_WORDS[g.gap] || g.gap}: `), productName(g),
        ` — shelf ${g.shelfCount ?? '?'}, stock ${g.bookCount ?? '?'}`,
        g.locations && g.locations.length ? ` — at ${g.locations.join(', ')}` : ''))));
  } catch (e) {
    if (!authFailed(e)) $('gaps-note').textContent = `Gaps could not be loaded: ${e.message}`;
  }
}

async function loadDevices() {
  try {
    const d = await api(`/v1/staff/stores/${encodeURIComponent(state.store)}/devices`, { token: state.token });
    $('devices-note').textContent = `${d.items.filter((x) => x.state === 'online').length} of ${d.items.length} online.`;
    $('devices-list').replaceChildren(...d.items.map((x) => el('tr', {},
      el('td', {}, x.deviceId), el('td', {}, x.kind), el('td', {}, x.state), el('td', {}, age(x.lastSeen) || '—'))));
  } catch (e) {
    if (!authFailed(e)) $('devices-note').textContent = `Devices could not be loaded: ${e.message}`;
  }
}

async function open(gtin) {
  const box = $('product');
  box.replaceChildren(el('p', { class: 'note' }, 'Loading…'));
  try {
    const a = await staffProduct(gtin);
    state.countKey = newKey();
    state.product = null;  // a new product: new forms
    renderProduct(a);
  } catch (e) {
    if (!authFailed(e)) box.replaceChildren(el('p', { class: 'error', role: 'alert' }, e.message));
  }
}

/** The product as staff see it: exact shelf and book counts even when shoppers are not shown them. */
function staffProduct(gtin) {
  return api(`/v1/staff/stores/${encodeURIComponent(state.store)}/products/${encodeURIComponent(gtin)}`,
    { token: state.token });
}

async function refreshProduct(gtin) {
  try {
    const a = await staffProduct(gtin);
    if (state.product && state.product.gtin === a.gtin) renderProduct(a);
  } catch (e) {
    authFailed(e);  // otherwise the last answer stays until the next change
  }
}

/** The product's facts; replaced on every update, while the count forms (and what is typed) stay. */
function facts(a) {
  const v = verdict(a);
  return el('div', { id: 'facts' },
    el('h3', {}, productName(a)),
    el('p', { class: `verdict ${v.state}` }, v.text),
    el('dl', {},
      el('dt', {}, 'GTIN'), el('dd', {}, a.gtin),
      el('dt', {}, 'On the shelf'), el('dd', { id: 'shelf-count' }, a.shelfCount ?? 'unknown'),
      el('dt', {}, 'In stock (books)'), el('dd', { id: 'book-count' }, a.bookCount ?? 'unknown'),
      el('dt', {}, 'How sure'), el('dd', {}, certainty(a))));
}

function renderProduct(a) {
  const same = state.product && state.product.gtin === a.gtin && $('facts');
  state.product = a;
  if (same) {
    $('facts').replaceWith(facts(a));
    return;
  }
  const shelf = el('input', { id: 'shelf-qty', type: 'number', min: 0, max: 100000, inputmode: 'numeric',
    value: a.shelfCount ?? '' });
  const book = el('input', { id: 'book-qty', type: 'number', min: 0, max: 100000, inputmode: 'numeric',
    value: a.bookCount ?? '' });
  $('product').replaceChildren(
    facts(a),
    el('form', { id: 'count-form', onsubmit: (e) => { e.preventDefault(); count({ shelfQty: num(shelf) }); } },
      el('label', { for: 'shelf-qty' }, 'Units on the shelf'),
      el('div', { class: 'row' }, shelf, el('button', { type: 'submit' }, 'Save shelf count'),
        el('button', { type: 'button', class: 'secondary', id: 'shelf-empty', onclick: () => count({ shelfQty: 0 }) },
          'Shelf is empty'))),
    el('form', { id: 'stock-form', onsubmit: (e) => { e.preventDefault(); count({ qty: num(book) }); } },
      el('label', { for: 'book-qty' }, 'Stock count (all units in the store)'),
      el('div', { class: 'row' }, book, el('button', { type: 'submit' }, 'Save stock count'))),
    el('p', { id: 'count-result', role: 'status' }));
}

function num(input) {
  const n = Number(input.value);
  return input.value === '' || !Number.isInteger(n) || n < 0 ? null : n;
}

async function count(body) {
  const result = $('count-result');
  if (Object.values(body).some((x) => x === null)) {
    result.textContent = 'Enter a whole number of units.';
    return;
  }
  result.textContent = 'Saving…';
  try {
    const a = await api(`/v1/staff/stores/${encodeURIComponent(state.store)}/counts`, {
      method: 'POST', token: state.token, headers: { 'Idempotency-Key': state.countKey },
      body: { gtin: state.product.gtin, ...body } });
    state.countKey = newKey();  // the next count is a new one; a retry of this one kept its key
    renderProduct({ ...state.product, ...a });
    $('count-result').textContent = `Saved: ${verdict(a).text.toLowerCase()}.`;
    loadGaps();
  } catch (e) {
    if (!authFailed(e)) result.textContent = `Not saved: ${e.message}`;
  }
}

async function camera() {
  const video = $('preview');
  try {
    const detector = new BarcodeDetector({ formats: ['ean_13', 'ean_8', 'upc_a', 'upc_e', 'itf'] });
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const stop = () => { stream.getTracks().forEach((t) => t.stop()); video.hidden = true; };
    const look = async () => {
      const codes = await detector.detect(video).catch(() => []);
      const gtin = codes.map((c) => asGtin(c.rawValue)).find(Boolean);
      if (gtin) {
        stop();
        $('code').value = gtin;
        open(gtin);
      } else if (!video.hidden) {
        requestAnimationFrame(look);
      }
    };
    look();
  } catch (e) {
    $('product').replaceChildren(el('p', { class: 'error' }, `Camera unavailable: ${e.message}`));
  }
}

$('signin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  $('signin-error').textContent = signIn($('token').value.trim()) || '';
});
$('signout').addEventListener('click', signOut);
$('store').addEventListener('change', (e) => chooseStore(e.target.value));
for (const b of document.querySelectorAll('[role=tab]')) b.addEventListener('click', () => tab(b.dataset.tab));
$('scan-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const gtin = asGtin($('code').value);
  if (gtin) open(gtin);
  else $('product').replaceChildren(el('p', { class: 'error', role: 'alert' }, 'A barcode has 8, 12, 13 or 14 digits.'));
  $('code').select();
});
if ('BarcodeDetector' in window && navigator.mediaDevices) {
  $('camera').hidden = false;
  $('camera').addEventListener('click', camera);
}
if ('serviceWorker' in navigator) navigator.serviceWorker.register('/staff/sw.js', { scope: '/staff/' }).catch(() => {});

const saved = localStorage.getItem(KEY);
if (!saved || signIn(saved)) {
  localStorage.removeItem(KEY);
  $('signin').hidden = false;
}
