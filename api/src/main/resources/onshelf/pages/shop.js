// The shopper page: find a product by name or barcode, pick a store, see the answer live.
import { api, el, productName, verdict, certainty, asGtin, distanceKm, follow } from '/common.js';

const $ = (id) => document.getElementById(id);
const state = { stores: [], store: null, product: null, answer: null, unfollow: null, notifyBack: false };

async function loadStores() {
  const select = $('store');
  try {
    state.stores = (await api('/v1/stores')).items;
  } catch (e) {
    $('store-note').textContent = `Stores could not be loaded: ${e.message}`;
    return;
  }
  select.replaceChildren(...state.stores.map((s) => el('option', { value: s.storeId }, s.name || s.storeId)));
  const saved = localStorage.getItem('onshelf.store');
  const chosen = state.stores.find((s) => s.storeId === saved) || state.stores[0];
  if (chosen) select.value = chosen.storeId;
  state.store = chosen || null;
}

function chooseStore(id) {
  state.store = state.stores.find((s) => s.storeId === id) || null;
  if (state.store) localStorage.setItem('onshelf.store', state.store.storeId);
  if (state.product) show(state.product);
}

function nearest() {
  const note = $('store-note');
  if (!navigator.geolocation) {
    note.textContent = 'This browser cannot tell where you are; pick a store from the list.';
    return;
  }
  note.textContent = 'Finding the nearest store…';
  navigator.geolocation.getCurrentPosition((pos) => {
    const { latitude, longitude } = pos.coords;
    const ranked = state.stores.map((s) => ({ s, d: distanceKm(latitude, longitude, s.lat, s.lon) }))
      .sort((a, b) => a.d - b.d);
    if (!ranked.length) {
      note.textContent = 'No stores are known yet.';
      return;
    }
    $('store').value = ranked[0].s.storeId;
    note.textContent = `Nearest: ${ranked[0].s.name} (${ranked[0].d.toFixed(1)} km).`;
    chooseStore(ranked[0].s.storeId);
  }, () => { note.textContent = 'Your location is not available; pick a store from the list.'; },
  { timeout: 10000, maximumAge: 300000 });
}

async function search(event) {
  event.preventDefault();
  const q = $('q').value.trim();
  const results = $('results');
  if (!q) return;
  results.replaceChildren(el('p', { class: 'note' }, 'Searching…'));
  const gtin = asGtin(q);
  let items;
  try {
    items = (await api(`/v1/products?q=${encodeURIComponent(q)}&limit=10`)).items;
  } catch (e) {
    results.replaceChildren(el('p', { class: 'error' }, e.message));
    return;
  }
  if (!items.length && gtin) items = [{ gtin }];
  if (!items.length) {
    results.replaceChildren(el('p', { class: 'note' }, `Nothing found for “${q}”.`));
    return;
  }
  if (items.length === 1) {
    results.replaceChildren();
    show(items[0]);
    return;
  }
  results.replaceChildren(el('p', { id: 'results-count' }, `${items.length} products found:`),
    el('ul', { class: 'choices', 'aria-labelledby': 'results-count' }, items.map((p) => el('li', {},
      el('button', { type: 'button', class: 'choice', onclick: () => show(p) }, productName(p))))));
}

async function show(product) {
  state.product = product;
  const section = $('answer');
  section.hidden = false;
  if (!state.store) {
    $('verdict').replaceChildren(el('p', {}, 'Pick a store first.'));
    return;
  }
  const store = state.store;
  let a;
  try {
    a = await api(`/v1/stores/${encodeURIComponent(store.storeId)}/products/${encodeURIComponent(product.gtin)}`);
  } catch (e) {
    $('verdict').replaceChildren(el('p', { class: 'error' }, e.message));
    return;
  }
  render(a);
  section.focus();
  if (state.unfollow) state.unfollow();
  state.unfollow = follow(store.storeId, [a.gtin], (next) => {
    if (next.gtin !== state.answer?.gtin || next.storeId !== state.store?.storeId) return;
    const wasOn = state.answer.onShelf === true;
    render({ ...state.answer, ...next });
    if (!wasOn && next.onShelf === true) backInStock();
  }, (s) => {
    $('live').textContent = s === 'live' ? 'Live: this answer updates by itself.' : 'Reconnecting to live updates…';
  });
  nearby(a);
}

function render(a) {
  state.answer = a;
  const v = verdict(a);
  const name = productName({ ...state.product, ...a });
  $('verdict').replaceChildren(
    el('p', { class: 'product' }, name),
    el('p', { class: `verdict ${v.state}`, 'data-state': v.state }, `${v.text} at ${state.store.name}`),
    el('p', { class: 'certainty' }, certainty(a)));
  renderNotify(a);
}

function renderNotify(a) {
  $('notify').hidden = a.onShelf === true || !('Notification' in window);
}

function backInStock() {
  if (state.notifyBack && 'Notification' in window && Notification.permission === 'granted') {
    new Notification('Back on the shelf', { body: `${productName(state.answer)} at ${state.store.name}` });
  }
}

async function nearby(a) {
  const list = $('nearby');
  const store = state.store;
  try {
    const found = await api(`/v1/products/${encodeURIComponent(a.gtin)}/nearby?lat=${store.lat}&lon=${store.lon}`
      + '&radiusKm=25&limit=5');
    const others = found.items.filter((x) => x.storeId !== store.storeId);
    const names = new Map(state.stores.map((s) => [s.storeId, s.name]));
    list.replaceChildren(...(others.length ? others.map((x) => el('li', {},
      `${names.get(x.storeId) || x.storeId} (${x.distanceKm.toFixed(1)} km): ${verdict(x).text.toLowerCase()}`))
      : [el('li', { class: 'note' }, 'No other store nearby has it on the shelf right now.')]));
  } catch (e) {
    list.replaceChildren(el('li', { class: 'error' }, e.message));
  }
}

// The shopping list: kept in this browser, checked in one go (one basket request for the store).
function list() {
  try {
    return JSON.parse(localStorage.getItem('onshelf.list')) || [];
  } catch {
    return [];
  }
}

function saveList(items, answers = new Map()) {
  localStorage.setItem('onshelf.list', JSON.stringify(items));
  $('list').hidden = !items.length;
  $('list-items').replaceChildren(...items.map((p) => {
    const a = answers.get(p.gtin);
    const v = a && verdict(a);
    return el('li', {}, productName(p), v ? el('span', { class: `verdict-inline ${v.state}` }, ` — ${v.text.toLowerCase()}`) : '',
      ' ', el('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${productName(p)}`,
        onclick: () => saveList(list().filter((x) => x.gtin !== p.gtin)) }, 'Remove'));
  }));
}

async function checkList() {
  const items = list();
  if (!items.length || !state.store) return;
  $('list-note').textContent = 'Checking…';
  try {
    const basket = await api(`/v1/stores/${encodeURIComponent(state.store.storeId)}/products?gtins=`
      + encodeURIComponent(items.map((p) => p.gtin).join(',')));
    saveList(items, new Map(basket.items.map((a) => [a.gtin, a])));
    const on = basket.items.filter((a) => a.onShelf === true).length;
    $('list-note').textContent = `${on} of ${items.length} on the shelf at ${state.store.name}.`;
  } catch (e) {
    $('list-note').textContent = `The list could not be checked: ${e.message}`;
  }
}

$('add').addEventListener('click', () => {
  const a = state.answer;
  if (!a) return;
  const items = list().filter((p) => p.gtin !== a.gtin);
  if (items.length >= 50) {
    $('list-note').textContent = 'The list holds 50 products.';
    return;
  }
  saveList([...items, { gtin: a.gtin, name: a.name, brand: a.brand, size: a.size }]);
  $('list-note').textContent = `Added ${productName(a)}.`;
});
$('check').addEventListener('click', checkList);
$('clear').addEventListener('click', () => { saveList([]); $('list-note').textContent = ''; });
saveList(list());

$('notify-me').addEventListener('change', async (e) => {
  state.notifyBack = e.target.checked;
  if (state.notifyBack && Notification.permission === 'default') await Notification.requestPermission();
});
$('search').addEventListener('submit', search);
$('store').addEventListener('change', (e) => chooseStore(e.target.value));
$('nearest').addEventListener('click', nearest);
// keep "n minutes ago" true without re-rendering (which would move a keyboard user's focus)
setInterval(() => {
  const line = document.querySelector('#verdict .certainty');
  if (state.answer && line) line.textContent = certainty(state.answer);
}, 30000);
loadStores();
