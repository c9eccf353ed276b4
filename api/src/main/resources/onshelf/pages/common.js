// Shared by the shopper page and the staff app: API calls, answers in words, small DOM helpers.
// Plain ES module, no build step; text goes into the page with textContent only (never innerHTML).

/** GET/POST JSON; throws an Error whose message is the problem's detail. */
export async function api(path, { method = 'GET', body, token, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (token) h.Authorization = `Bearer ${token}`;
  const res = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const err = new Error((json && (json.detail || json.title)) || `HTTP ${res.status}`);
    err.status = res.status;
    err.code = json && json.code;
    throw err;
  }
  return json;
}

/** Element builder: el('p', {class: 'x'}, 'text', child). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== undefined && c !== null && c !== false) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

/** The product's display name: "Oat Milk Barista · Avena Fields · 1 L", or its GTIN. */
export function productName(p) {
  if (!p || !p.name) return p && p.gtin ? `Product ${p.gtin}` : 'Product';
  return [p.name, p.brand, p.size].filter(Boolean).join(' · ');
}

/** The answer in words, and a state for styling: yes, few, no, unknown. */
export function verdict(a) {
  if (a.onShelf === true && a.availability === 'LimitedAvailability') return { state: 'few', text: 'Only a few left on the shelf' };
  if (a.onShelf === true) return { state: 'yes', text: 'On the shelf' };
  if (a.onShelf === false) return { state: 'no', text: 'Not on the shelf' };
  return { state: 'unknown', text: "We don't know right now" };
}

/** "2 minutes ago" from an ISO time. */
export function age(iso, now = Date.now()) {
  if (!iso) return null;
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return m === 1 ? '1 minute ago' : `${m} minutes ago`;
  const h = Math.round(m / 60);
  if (h < 48) return h === 1 ? '1 hour ago' : `${h} hours ago`;
  const d = Math.round(h / 24);
  return `${d} days ago`;
}

/** How sure, and how recent, in words. */
export function certainty(a, now = Date.now()) {
  const when = age(a.asOf, now);
  switch (a.confidence) {
    case 'high': return `Sure: a shelf sensor looked ${when}.`;
    case 'medium': return `Fairly sure: from the store's stock count, ${when}.`;
    case 'low': return when ? `Not sure: the last news is from ${when}.` : 'Not sure: nothing recent is known.';
    default: return 'This store has not told us about this product yet.';
  }
}

/** A GTIN as typed or scanned (8, 12, 13 or 14 digits), or null. */
export function asGtin(text) {
  const t = (text || '').trim();
  return /^(\d{8}|\d{12,14})$/.test(t) ? t : null;
}

/** Distance in km between two points (haversine). */
export function distanceKm(lat1, lon1, lat2, lon2) {
  const r = (x) => (x * Math.PI) / 180;
  const a = Math.sin(r(lat2 - lat1) / 2) ** 2 + Math.cos(r(lat1)) * Math.cos(r(lat2)) * Math.sin(r(lon2 - lon1) / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(a));
}

/** Follows one store's change stream; calls onAnswer(availability JSON). Returns a close function. */
export function follow(store, gtins, onAnswer, onState = () => {}) {
  const q = gtins && gtins.length ? `?gtins=${encodeURIComponent(gtins.join(','))}` : '';
  const source = new EventSource(`/v1/stores/${encodeURIComponent(store)}/changes${q}`);
  source.addEventListener('availability', (e) => onAnswer(JSON.parse(e.data)));
  source.addEventListener('open', () => onState('live'));
  source.addEventListener('error', () => onState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'));
  return () => source.close();
}
