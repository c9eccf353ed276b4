-- Applies a batch of inbound events, in order, atomically: one call for all the events that arrived
-- in one event-loop turn. Key layout: see Keys.java. The rules mirror dev.onshelf.core.rules
-- (SourceLedger, ProductLedger, StockLevel) exactly; applying a batch gives the same state and
-- outcomes as applying its events one by one (ApplyScriptPropertiesIT checks it).
-- State is read once per batch and written once at its end (a source's ledger, a device's health,
-- a product): a batch does not pay per event for what it touches several times, and a script error
-- before the end leaves nothing written, so the caller can retry the events one at a time.
-- ARGV[1] now (ms)  ARGV[2] recent event ids remembered  ARGV[3] delta horizon (ms)  ARGV[4] max deltas
-- ARGV[5] low-stock units  ARGV[6] shelf fresh (ms)  ARGV[7] the change feed's cap (entries, ~)
-- ARGV[8] the fence: the server process (run id; or several, comma-separated) the caller applied this
--   call's stores on; on any other nothing is applied and the reply is {-1, run id} (a restarted or
--   promoted Redis may have lost writes it answered: the caller applies those again first). '' no fence
-- ARGV[9] n, the number of events; then per event:
--   kb (first of its store's 8 keys)  ki (first of its own keys)  m (its argument count), then m arguments:
--   kind shelf|feed|status|staffshelf (a person's count of the whole shelf, from a feed device),
--   source, eventId, seq (0: numbered here), ts (ms), session ('' none),
--   idempotency ttl (s; 0: the source's ledger alone), who ('' none: no audit entry), then the items:
--   shelf: gtin,count,capacity,location (4 each); feed: type,gtin,delta|count; status: online(1|0),
--   heartbeatSeconds; staffshelf: gtin,count
-- A store's 8 keys, from kb: store, devices, src, health, alerts (stream), changes (stream), audit
-- (stream), devix (its device table, for the product codec). An event's own keys, from ki:
-- onshelf:{S}:idem:<source>:<eventId> when its idempotency ttl > 0, then onshelf:{S}:p:<bucket>, one
-- per item (in argument order).
-- Returns, per event: k (the length of what follows), outcome, note, gtin, alerts, gtin, alerts...:
-- outcome applied|duplicate|stale|rejected; note: the reason when rejected, 'bound' when the source's
-- ledger had to forget something, else ''; alerts a comma-separated list of the alert types raised
-- for that gtin ('' if none).
local now = tonumber(ARGV[1])
local recentIds, horizon, maxlog = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local lowdefault, freshms, feedmax = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local D = 12  -- SourceLedger.DIGEST_CHARS

if ARGV[8] ~= '' then  -- the fence (EventSink.applyAll): INFO costs ~5 µs, once per call
  local id = string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
  if not string.find(',' .. ARGV[8] .. ',', ',' .. id .. ',', 1, true) then return {-1, id} end
end

-- #include product_codec.lua

-- What the batch read, and what it will write at its end, by key and then field (a table per key: no
-- key .. field strings made per event). A key is read one way only (EXISTS, GET or HGET).
local reads = {}      -- plain HGET/GET/EXISTS results
local ledgers = {}    -- parsed source ledgers (with .key, .field, .dirty)
local healths = {}    -- parsed device health (with .key, .field)
local products = {}   -- decoded products (with .key, .field, .dirty)
local order = {}      -- what to write, in first-touch order: {'l'|'h'|'p', entry}
local idems = {}      -- idempotency keys set in this batch: key -> {fingerprint, ttl}
local streams = {}    -- XADDs, in order: {key, maxlen, field, value, ...}
local changed = {}    -- change-feed key -> gtin -> true (one entry per product and batch)

local function of(t, key)  -- t's table for key
  local k = t[key]
  if not k then k = {}; t[key] = k end
  return k
end
local function cached(kind, key, field)
  local r, f = of(reads, key), field or kind
  local v = r[f]
  if v == nil then
    if kind == 'e' then v = redis.call('EXISTS', key) == 1
    elseif kind == 'g' then v = redis.call('GET', key) or false
    else v = redis.call('HGET', key, field) or false end
    r[f] = v
  end
  return v
end

local function ledger_of(key, source)
  local L = of(ledgers, key)[source]
  if L then return L end
  -- "3|restarts|forgotten|floorTs|digests|evicted|epoch;epoch..", an epoch "session,startTs,maxTs,fog,a-b,c-d..";
  -- its ids (Epoch.ids, 512 characters each, that change only while an epoch is at its first seqs) in a
  -- field of their own, <source>#ids, read and written only when needed (ids_of): not rewritten with
  -- every batch. "2|" (before 2026-11-29, session 8) kept them in the epoch, ",#ids": read, moved out
  L = {key = key, field = source, restarts = 0, forgotten = 0, floor = 0, recent = '', adds = {}, evicted = '',
    epochs = {}, idsLoaded = true}
  local raws = redis.call('HGET', key, source)
  if raws then
    -- fields found with plain string.find (memchr), not patterns: the digests are ~800 characters that a
    -- pattern would step through one by one, for every event of a new source in the batch
    local v = string.sub(raws, 1, 2)
    if v == '3|' or v == '2|' then
      L.idsLoaded = v == '2|'  -- "2|": whatever ids there are come inline (and move at the next write)
      L.idsDirty = L.idsLoaded
      local p1 = string.find(raws, '|', 3, true)
      local p2 = string.find(raws, '|', p1 + 1, true)
      local p3 = string.find(raws, '|', p2 + 1, true)
      local p4 = string.find(raws, '|', p3 + 1, true)
      local p5 = string.find(raws, '|', p4 + 1, true)
      L.restarts, L.forgotten = tonumber(string.sub(raws, 3, p1 - 1)), tonumber(string.sub(raws, p1 + 1, p2 - 1))
      L.floor = tonumber(string.sub(raws, p2 + 1, p3 - 1))
      L.recent, L.evicted = string.sub(raws, p3 + 1, p4 - 1), string.sub(raws, p4 + 1, p5 - 1)
      local from = p5 + 1
      while from <= #raws do
        local stop = string.find(raws, ';', from, true) or #raws + 1
        -- an epoch "session,startTs,maxTs,fog[,#ids][,a-b,c-d..]" (a session has no ',')
        local c1 = string.find(raws, ',', from, true)
        local c2 = string.find(raws, ',', c1 + 1, true)
        local c3 = string.find(raws, ',', c2 + 1, true)
        local c4 = string.find(raws, ',', c3 + 1, true)
        if not c4 or c4 > stop then c4 = stop end
        local e = {name = string.sub(raws, from, c1 - 1), st = tonumber(string.sub(raws, c1 + 1, c2 - 1)),
          mx = tonumber(string.sub(raws, c2 + 1, c3 - 1)), fog = tonumber(string.sub(raws, c3 + 1, c4 - 1)),
          r = {}, ids = ''}
        local at = c4
        if at < stop and string.sub(raws, at + 1, at + 1) == '#' then
          local c5 = string.find(raws, ',', at + 2, true)
          if not c5 or c5 > stop then c5 = stop end
          e.ids, at = string.sub(raws, at + 2, c5 - 1), c5
        end
        if at < stop then
          for x, y in string.gmatch(string.sub(raws, at, stop - 1), ',(%d+)-(%d+)') do
            e.r[#e.r + 1] = {tonumber(x), tonumber(y)}
          end
        end
        L.epochs[#L.epochs + 1] = e
        from = stop + 1
      end
      if #L.epochs == 0 then L.idsLoaded = true end  -- no epoch: no ids to read (a field left, if any, goes)
    else  -- before epochs: "hi,newestTs,gaps,restarts,...": seqs 1..hi taken as applied
      local hi, mt, _, rs = string.match(raws, '^(%d+),(%d+),(%d+),(%d+)')
      L.restarts = tonumber(rs)
      L.epochs[1] = {name = '', st = 0, mx = tonumber(mt), fog = 0, r = {{1, tonumber(hi)}}, ids = ''}
    end
  end
  ledgers[key][source] = L
  order[#order + 1] = {'l', L}
  return L
end
-- The last recentIds digests of L.recent (as read) followed by L.adds (this batch's), as text: the
-- whole window is cut and joined once per batch, not once per event
local function recent_parts(L, into)
  local n, a = #L.recent / D, #L.adds
  local gone = a > 0 and n + a - recentIds or 0  -- how many of the oldest fall out (cut when one is added)
  if gone < n then into[#into + 1] = gone > 0 and string.sub(L.recent, gone * D + 1) or L.recent end
  for j = math.max(1, gone - n + 1), a do into[#into + 1] = L.adds[j] end
end
local function encode_ledger(L)
  local out = {string.format('3|%d|%d|%d|', L.restarts, L.forgotten, L.floor)}
  recent_parts(L, out)
  out[#out + 1] = '|'
  out[#out + 1] = L.evicted
  out[#out + 1] = '|'
  for i, e in ipairs(L.epochs) do
    if i > 1 then out[#out + 1] = ';' end
    out[#out + 1] = string.format('%s,%d,%d,%d', e.name, e.st, e.mx, e.fog)
    for _, x in ipairs(e.r) do out[#out + 1] = string.format(',%d-%d', x[1], x[2]) end
  end
  return table.concat(out)
end
-- The epochs' ids (SourceLedger.encodeIds): each epoch's, in epoch order, ';' between ('' if none kept)
local function ids_field(L) return L.field .. '#ids' end
local function encode_ids(L)
  local out, any = {}, false
  for i, e in ipairs(L.epochs) do
    if i > 1 then out[#out + 1] = ';' end
    if e.ids ~= '' then out[#out + 1] = e.ids; any = true end
  end
  return any and table.concat(out) or ''
end
-- Reads the epochs' ids into them, once per batch and only when an event needs them: to check or keep
-- the id of an epoch's first seqs, or before the epochs change in number (the field is by position)
local function ids_of(L)
  if L.idsLoaded then return end
  L.idsLoaded = true
  local raw = redis.call('HGET', L.key, ids_field(L))
  if not raw then return end
  local from, i = 1, 1
  while from <= #raw + 1 and L.epochs[i] do
    local stop = string.find(raw, ';', from, true) or #raw + 1
    L.epochs[i].ids = string.sub(raw, from, stop - 1)
    from, i = stop + 1, i + 1
  end
end

-- health (CSV "online,heartbeatSeconds,statusTs,lastSeen,fence,session"): when we last heard from the
-- source (our clock); its own status; fence: the status ts before its current online; session: the
-- boot id of that online. Written back when any of it changed, or lastSeen is SEEN_MS old: not for every
-- event of a busy source (silence is judged in heartbeats of seconds; StoreSnapshots, SourceHealth)
local SEEN_MS = 250
local function health_of(key, source)
  local h = of(healths, key)[source]
  if h then return h end
  h = {key = key, field = source, st = 1, hb = 0, stt = 0, fence = 0, hs = ''}
  local rawh = redis.call('HGET', key, source)
  if rawh then
    local a, b, c, seen, f, s = string.match(rawh, '^(%d),(%d+),(%d+),(%d+),?(%d*),?(.*)$')
    h.st, h.hb, h.stt, h.fence, h.hs = tonumber(a), tonumber(b), tonumber(c), tonumber(f) or 0, s
    h.was = {h.st, h.hb, h.stt, h.fence, s, tonumber(seen)}
  end
  healths[key][source] = h
  order[#order + 1] = {'h', h}
  return h
end

local function product_of(key, gtin, devix)
  local p = of(products, key)[gtin]
  if p then return p end
  local raw = redis.call('HGET', key, gtin)
  p = raw and unpack_product(raw, devix) or {}
  if type(p.s) ~= 'table' then p.s = {} end
  if type(p.l) ~= 'table' then p.l = {} end
  products[key][gtin] = p
  order[#order + 1] = {'p', {key = key, field = gtin, p = p, devix = devix}}
  return p
end
local dirty = {}  -- products to write: the table itself -> true

local function xadd(key, maxlen, ...)
  streams[#streams + 1] = {key, maxlen, ...}
end

local function up_threshold(low)
  if low == 0 then return 1 end
  return low + 1 + math.max(1, math.floor((low + 1) / 2))
end

-- what the shelf is judged by: a staff count of the whole shelf (p.h = {count, ts}) while it stands,
-- else the slots
local function shelf(p)
  if p.h then return {{p.h[1], -1, p.h[2]}} end
  return p.s
end

-- The alerts a store's stream keeps (about: trimmed by whole stream nodes, so up to ~100 more). The
-- stream is the record of what was raised should a gateway die before publishing it over MQTT; nothing
-- in OnShelf reads it back, and the handhelds follow the MQTT topic.
local ALERTS_KEPT = 100

-- StockLevel.next and the alerts of ProductLedger.settle
local function settle(p, gtin, ts, alertsKey)
  local alerts = {}
  local units, any = 0, false
  for _, s in pairs(shelf(p)) do units = units + s[1]; any = true end
  if any then
    local low = p.t or lowdefault
    local prev, level = p.lv, nil
    if units <= 0 then level = 'O'
    elseif units >= up_threshold(low) then level = 'I'
    elseif units <= low then level = 'L'
    elseif prev == 'I' then level = 'I'
    else level = 'L' end
    if level ~= prev then
      if level == 'O' then alerts[#alerts + 1] = 'shelf.empty'
      elseif prev == 'O' then alerts[#alerts + 1] = 'shelf.back_in_stock'
      elseif level == 'L' then alerts[#alerts + 1] = 'shelf.low' end
    end
    p.lv = level
  end
  local fresh, freshunits = false, 0
  for _, s in pairs(shelf(p)) do
    if s[3] >= now - freshms then fresh = true; freshunits = freshunits + s[1] end
  end
  local phantom = fresh and freshunits == 0 and p.b ~= nil and p.b > 0
  if phantom and p.ph ~= 1 then alerts[#alerts + 1] = 'stock.phantom' end
  p.ph = phantom and 1 or 0
  for _, a in ipairs(alerts) do
    xadd(alertsKey, ALERTS_KEPT, 'type', a, 'gtin', gtin, 'shelf', units, 'book', p.b or '', 'ts', ts)
  end
  dirty[p] = true
  return table.concat(alerts, ',')
end

local function contains(e, q)  -- ranges sorted and disjoint: a binary search (an epoch may keep thousands)
  local lo, hi = 1, #e.r
  while lo <= hi do
    local mid = math.floor((lo + hi) / 2)
    local x = e.r[mid]
    if q < x[1] then hi = mid - 1 elseif q > x[2] then lo = mid + 1 else return true end
  end
  return false
end
local function hi_of(e) if #e.r == 0 then return 0 end return e.r[#e.r][2] end
local function add(e, q)
  local i, hi = 1, #e.r + 1  -- the first range ending at or past q
  while i < hi do
    local mid = math.floor((i + hi) / 2)
    if e.r[mid][2] < q then i = mid + 1 else hi = mid end
  end
  table.insert(e.r, i, {q, q})
  if i + 1 <= #e.r and e.r[i + 1][1] == q + 1 then e.r[i][2] = e.r[i + 1][2]; table.remove(e.r, i + 1) end
  if i > 1 and e.r[i - 1][2] == q - 1 then e.r[i - 1][2] = e.r[i][2]; table.remove(e.r, i) end
end
-- Epoch.ids: without a session, the id digests (IDC hex digits) of an epoch's first FIRST_IDS seqs, 'x' unknown
local FIRST_IDS, IDC = 64, 8
-- Before the epochs' ids change (one is kept, or an epoch comes or goes: the field is by position)
local function ids_change(L)
  ids_of(L)
  L.idsDirty = true
end
local function id_applied(L, e, q, d)
  if q > FIRST_IDS then return false end
  ids_of(L)
  return e.ids ~= '' and string.sub(e.ids, (q - 1) * IDC + 1, q * IDC) == string.sub(d, 1, IDC)
end
local function remember_id(L, e, q, d)
  if q > FIRST_IDS or e.name ~= '' then return end
  ids_change(L)
  local ids = e.ids ~= '' and e.ids or string.rep('x', FIRST_IDS * IDC)
  e.ids = string.sub(ids, 1, (q - 1) * IDC) .. string.sub(d, 1, IDC) .. string.sub(ids, q * IDC + 1)
end
local function digest_of(text) return string.sub(redis.sha1hex(text), 1, D) end
-- Whether d is one of the digests (D hex each) of the text, from the one at character from on (default 1)
local function remembers(digests, d, from)
  from = from or 1
  while true do
    local at = string.find(digests, d, from, true)
    if not at then return false end
    if (at - 1) % D == 0 then return true end
    from = at + 1
  end
end
-- Whether d is among the source's last recentIds event digests (L.recent as read, then L.adds)
local function recent(L, d)
  local n, a = #L.recent / D, #L.adds
  for j = a, math.max(1, a - recentIds + 1), -1 do if L.adds[j] == d then return true end end
  local gone = a > 0 and n + a - recentIds or 0  -- L.recent's first this many are out of the window
  return gone < n and remembers(L.recent, d, gone > 0 and gone * D + 1 or 1)
end
local function keep(digests, count)
  if #digests > count * D then return string.sub(digests, #digests - count * D + 1) end
  return digests
end

-- One event. K: the store's first key index; E: the event's first own key index; A: its arguments.
local function apply_one(K, E, A)
  local kind, source, eventId, session = A[1], A[2], A[3], A[6]
  local seq, ts = tonumber(A[4]), tonumber(A[5])
  local ttl, who = tonumber(A[7]), A[8]
  local I = 9  -- first item argument
  local B = ttl > 0 and E + 1 or E  -- first bucket key

  if not cached('e', KEYS[K]) then return {'rejected', 'store.unknown'} end
  local registered = cached('f', KEYS[K + 1], source)
  if not registered then return {'rejected', 'device.unregistered'} end
  if kind ~= 'status' and registered ~= (kind == 'staffshelf' and 'feed' or kind) then
    return {'rejected', 'device.wrong_kind'}
  end

  local h = health_of(KEYS[K + 3], source)
  if kind == 'status' then
    local outcome = 'stale'
    if A[I] == '1' then
      if ts > h.stt then
        h.fence = h.stt
        h.st, h.hb, h.stt, h.hs, outcome = 1, tonumber(A[I + 1]), ts, session, 'applied'
      elseif ts == h.stt and h.st == 1 then  -- the same online again (redelivered, retained): the fence stays
        h.hb, outcome = tonumber(A[I + 1]), 'applied'
      end
    elseif ts >= h.stt then
      h.st, h.hb, h.stt, h.hs, outcome = 0, tonumber(A[I + 1]), ts, session, 'applied'
    elseif h.st == 1 and ((session ~= '' and session == h.hs) or (session == '' and ts > h.fence)) then
      h.st, outcome = 0, 'applied'  -- the current session's will: stamped at CONNECT, before its online
    end
    return {outcome, ''}
  end

  -- idempotency by key (HTTP writes: the client's id holds for ttl seconds)
  -- (the key keeps what the write was: the same key for another write is refused, not taken for a retry)
  local fingerprint = ''
  if ttl > 0 then
    local what = {who, kind}
    for i = I, #A do what[#what + 1] = A[i] end
    fingerprint = table.concat(what, '|')
    local was = idems[KEYS[E]]
    if was then was = was[1] else was = cached('g', KEYS[E]) end
    if was then
      if was ~= fingerprint then return {'rejected', 'idempotency.mismatch'} end
      return {'duplicate', ''}
    end
  end

  -- exactly-once (SourceLedger.java, step by step)
  local L = ledger_of(KEYS[K + 2], source)
  local epochs = L.epochs
  local digest = digest_of(eventId)
  if recent(L, digest) then return {'duplicate', ''} end
  local bound = false
  local function forget()
    L.forgotten = L.forgotten + 1
    L.dirty = true
    return {'rejected', 'seq.forgotten'}
  end
  local at, created = nil, false
  if #epochs == 0 then
    L.idsDirty = true  -- none yet (a stale field, if any, goes)
    epochs[1] = {name = session, st = ts, mx = ts, fog = 0, r = {}, ids = ""}
    at = 1
    if seq == 0 then seq = 1 end
  elseif seq == 0 then  -- only the staff API sends it (devices cannot): next after the newest epoch's highest
    at = #epochs
    seq = hi_of(epochs[at]) + 1
  elseif session ~= '' then
    for i, e in ipairs(epochs) do if e.name == session then at = i; break end end
    if not at then
      if remembers(L.evicted, digest_of(session)) then return forget() end
      local e = {name = session, st = ts, mx = ts, fog = 0, r = {}, ids = ""}
      ids_change(L)
      at = #epochs + 1
      while at > 1 and epochs[at - 1].st > ts do at = at - 1 end
      table.insert(epochs, at, e)
      created = true
    end
  else
    for i = #epochs, 1, -1 do
      if epochs[i].st <= ts then at = i; break end
    end
    if not at then
      if ts <= L.floor then return forget() end
      at = 1
    end
    -- a seq already applied in its epoch (or given up as fog), yet newer than everything of that epoch:
    -- that very event re-stamped (its id, kept for an epoch's first seqs, says so), or the next numbering
    -- (a restart starts again at 1). A seq not applied (in a hole, below the first, past the highest) is
    -- the late event its epoch waits for, whatever its ts (SourceLedger)
    while ts > epochs[at].mx and (contains(epochs[at], seq) or seq <= epochs[at].fog) do
      if id_applied(L, epochs[at], seq, digest) then return {'duplicate', ''} end
      -- past the ids remembered: a reboot, or a late retry of this numbering stamped before the next one's
      -- first event (SourceLedger)
      if seq > recentIds and (at == #epochs or ts < epochs[at + 1].st) then return forget() end
      if at == #epochs then
        ids_change(L)
        epochs[at + 1] = {name = '', st = ts, mx = ts, fog = 0, r = {}, ids = ""}
        created = true
      end
      at = at + 1
    end
  end
  local e = epochs[at]
  if seq <= e.fog then return forget() end
  if contains(e, seq) then return {'duplicate', ''} end
  add(e, seq)
  remember_id(L, e, seq, digest)
  if ts > e.mx then e.mx = ts end
  if ts < e.st then e.st = ts end
  if #e.r > 4096 then  -- give up the oldest hole (SourceLedger.MAX_RANGES): below the next range is fog
    L.forgotten = L.forgotten + e.r[2][1] - e.r[1][2] - 1
    e.fog = e.r[2][1] - 1
    table.remove(e.r, 1)
    bound = true
  end
  if created then
    L.restarts = L.restarts + 1
    if #epochs > 8 then  -- SourceLedger.MAX_EPOCHS: the epoch whose newest event is the oldest goes
      local oldest = 1
      for i = 2, #epochs do if epochs[i].mx < epochs[oldest].mx then oldest = i end end
      ids_change(L)
      local gone = table.remove(epochs, oldest)
      if gone.mx > L.floor then L.floor = gone.mx end
      if gone.name ~= '' then L.evicted = keep(L.evicted .. digest_of(gone.name), 32) end
      bound = true
    end
  end
  L.adds[#L.adds + 1] = digest
  L.dirty = true
  if ttl > 0 then idems[KEYS[E]] = {fingerprint, ttl} end

  -- products (ProductLedger)
  local out = {'applied', bound and 'bound' or ''}
  if kind == 'shelf' then
    local n = (#A - I + 1) / 4
    for i = 0, n - 1 do
      local gtin, key = A[I + i * 4], KEYS[B + i]
      local p = product_of(key, gtin, KEYS[K + 7])
      local slot = slot_key(KEYS[K + 7], source, A[I + 3 + i * 4])
      local cur = p.s[slot]
      if cur == nil or cur[3] <= ts then  -- an older absolute reading never overwrites a newer one
        p.s[slot] = {tonumber(A[I + 1 + i * 4]), tonumber(A[I + 2 + i * 4]), ts}
        if p.h and ts > p.h[2] then p.h = nil end  -- a sensor has spoken since the staff count
        out[#out + 1] = gtin; out[#out + 1] = settle(p, gtin, ts, KEYS[K + 4])
      end
    end
  elseif kind == 'staffshelf' then
    local gtin, key = A[I], KEYS[B]
    local p = product_of(key, gtin, KEYS[K + 7])
    if p.h and p.h[2] >= ts then return {'stale', out[2]} end
    for _, s in pairs(p.s) do
      if s[3] >= ts then return {'stale', out[2]} end  -- a sensor reading at least as new
    end
    p.h = {tonumber(A[I + 1]), ts}
    out[#out + 1] = gtin; out[#out + 1] = settle(p, gtin, ts, KEYS[K + 4])
  else -- feed
    local typ, gtin, qty, key = A[I], A[I + 1], tonumber(A[I + 2]), KEYS[B]
    local p = product_of(key, gtin, KEYS[K + 7])
    if typ == 'COUNT' then
      if (p.ct ~= nil and ts <= p.ct) or ts < (p.lf or 0) then
        return {'stale', out[2]}  -- an older count, or older than the delta history kept
      end
      local b, kept = qty, {}
      for _, d in ipairs(p.l) do
        if d[1] > ts then b = b + d[2]; kept[#kept + 1] = d end  -- deltas after the count still apply
      end
      p.b, p.ct, p.l = b, ts, kept
    else
      if p.ct ~= nil and ts <= p.ct then
        return {'stale', out[2]}  -- happened before the last COUNT: already contained in it
      end
      p.b = (p.b or 0) + qty
      local log = p.l
      log[#log + 1] = {ts, qty}
      local newest = 0
      for _, d in ipairs(log) do if d[1] > newest then newest = d[1] end end
      local kept = {}
      for _, d in ipairs(log) do
        if d[1] >= newest - horizon then kept[#kept + 1] = d
        elseif d[1] > (p.lf or 0) then p.lf = d[1] end
      end
      while #kept > maxlog do
        local oldest = 1
        for i, d in ipairs(kept) do if d[1] < kept[oldest][1] then oldest = i end end
        if kept[oldest][1] > (p.lf or 0) then p.lf = kept[oldest][1] end
        table.remove(kept, oldest)
      end
      p.l = kept
    end
    if ts > (p.bt or 0) then p.bt = ts end
    out[#out + 1] = gtin; out[#out + 1] = settle(p, gtin, ts, KEYS[K + 4])
  end
  if #out == 2 then out[1] = 'stale' end
  if who ~= '' then  -- who did it, for writes made by people (staff counts)
    xadd(KEYS[K + 6], 10000, 'who', who, 'kind', kind, 'eventId', eventId,
      'gtin', A[kind == 'feed' and I + 1 or I], 'qty', A[kind == 'feed' and I + 2 or I + 1], 'ts', A[5],
      'outcome', out[1])
  end
  local feed = KEYS[K + 5]
  for i = 3, #out, 2 do  -- the store's change feed (SSE, back-in-stock): one entry per product and batch
    local c = changed[feed]
    if not c then c = {}; changed[feed] = c; changed[#changed + 1] = feed end
    if not c[out[i]] then c[out[i]] = true; c[#c + 1] = out[i] end
  end
  return out
end

local out = {}
local a = 10
for _ = 1, tonumber(ARGV[9]) do
  local K, E, m = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  local A = {}
  for i = 1, m do A[i] = ARGV[a + 2 + i] end
  a = a + 3 + m
  local r = apply_one(K, E, A)
  out[#out + 1] = #r
  for _, x in ipairs(r) do out[#out + 1] = x end
end

-- the batch's writes: state first, then idempotency keys, then the streams
for _, w in ipairs(order) do
  local t, x = w[1], w[2]
  if t == 'l' then
    if x.dirty then
      redis.call('HSET', x.key, x.field, encode_ledger(x))
      if x.idsDirty then
        local ids = encode_ids(x)
        if ids == '' then redis.call('HDEL', x.key, ids_field(x)) else redis.call('HSET', x.key, ids_field(x), ids) end
      end
    end
  elseif t == 'h' then
    local w = x.was
    if not w or w[1] ~= x.st or w[2] ~= x.hb or w[3] ~= x.stt or w[4] ~= x.fence or w[5] ~= x.hs
        or now - w[6] >= SEEN_MS then
      redis.call('HSET', x.key, x.field, string.format('%d,%d,%d,%d,%d,', x.st, x.hb, x.stt, now, x.fence) .. x.hs)
    end
  elseif dirty[x.p] then
    redis.call('HSET', x.key, x.field, pack_product(x.p, x.devix))
  end
end
for key, v in pairs(idems) do redis.call('SET', key, v[1], 'EX', v[2]) end
for _, s in ipairs(streams) do
  redis.call('XADD', s[1], 'MAXLEN', '~', s[2], '*', unpack(s, 3))
end
for _, feed in ipairs(changed) do
  for _, gtin in ipairs(changed[feed]) do
    redis.call('XADD', feed, 'MAXLEN', '~', feedmax, '*', 'gtin', gtin)
  end
end
return out
