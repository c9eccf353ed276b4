-- Applies one inbound event to a store's state, atomically. Key layout: see Keys.java.
-- The rules mirror dev.onshelf.core.rules (SourceLedger, ProductLedger, StockLevel) exactly.
-- KEYS[1] onshelf:{S}:store    KEYS[2] onshelf:{S}:devices   KEYS[3] onshelf:{S}:src
-- KEYS[4] onshelf:{S}:health   KEYS[5] onshelf:{S}:alerts (stream)
-- KEYS[6] onshelf:{S}:idem:<source>:<eventId> (read only when ARGV[13] > 0)
-- KEYS[7] onshelf:{S}:changes (stream)   KEYS[8] onshelf:{S}:audit (stream; written only when ARGV[14] ~= '')
-- KEYS[9..] onshelf:{S}:p:<bucket>, one per item (in ARGV order)
-- KEYS[#KEYS] onshelf:{S}:devix (the store's device table of the product codec), after the buckets
-- ARGV[1] kind shelf|feed|status|staffshelf (a person's count of the whole shelf, from a feed device)
-- ARGV[2] source  ARGV[3] eventId  ARGV[4] seq (0: numbered here)  ARGV[5] ts (ms)  ARGV[6] now (ms)
-- ARGV[7] recent event ids remembered  ARGV[8] delta horizon (ms)  ARGV[9] max deltas
-- ARGV[10] low-stock units  ARGV[11] shelf fresh (ms)  ARGV[12] session ('' none)
-- ARGV[13] idempotency ttl (s; 0: the source's ledger alone)  ARGV[14] who ('' none: no audit entry)
-- items from ARGV[15]: shelf: gtin,count,capacity,location (4 each); feed: type,gtin,delta|count;
-- status: online(1|0),heartbeatSeconds; staffshelf: gtin,count
-- Returns {outcome, note, gtin, alerts, gtin, alerts, ...}: outcome applied|duplicate|stale|rejected;
-- note: the reason when rejected, 'bound' when the source's ledger had to forget something, else '';
-- alerts a comma-separated list of the alert types raised for that gtin ('' if none).
local kind, source, session = ARGV[1], ARGV[2], ARGV[12]
local seq, ts, now = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local recentIds, horizon, maxlog = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local lowdefault, freshms = tonumber(ARGV[10]), tonumber(ARGV[11])
local I = 15  -- first item argument
local B = 9   -- first bucket key

-- BEGIN product codec (the same text in threshold.lua; ProductCodecTest keeps them equal)
-- A product value (layout in Keys.java): version byte 1, then LEB128 varints (signed ones zigzag).
-- Old JSON values (first byte '{') are still read; every write stores the packed form. A slot names
-- its device by its index in the store's device table (the script's last key, onshelf:{S}:devix:
-- device -> index and '#'..index -> device, append-only).
local DEVIX = KEYS[#KEYS]
local dev_ix, ix_dev = {}, {}
local function device_index(name)
  local ix = dev_ix[name]
  if ix then return ix end
  ix = tonumber(redis.call('HGET', DEVIX, name))
  if not ix then
    ix = redis.call('HLEN', DEVIX) / 2 + 1
    redis.call('HSET', DEVIX, name, ix, '#' .. ix, name)
  end
  dev_ix[name], ix_dev[ix] = ix, name
  return ix
end
local function device_name(ix)
  local name = ix_dev[ix]
  if name then return name end
  name = redis.call('HGET', DEVIX, '#' .. ix)
  if not name then return error('product value names unknown device index ' .. ix) end
  dev_ix[name], ix_dev[ix] = ix, name
  return name
end
local function put_uint(out, n)
  while n >= 128 do
    out[#out + 1] = n % 128 + 128
    n = math.floor(n / 128)
  end
  out[#out + 1] = n
end
local function put_int(out, n)
  if n >= 0 then put_uint(out, n * 2) else put_uint(out, -n * 2 - 1) end
end
local function get_uint(raw, i)
  local n, m = 0, 1
  while true do
    local c = string.byte(raw, i)
    if c < 128 then return n + c * m, i + 1 end
    n, m, i = n + (c - 128) * m, m * 128, i + 1
  end
end
local function get_int(raw, i)
  local z
  z, i = get_uint(raw, i)
  if z % 2 == 0 then return z / 2, i end
  return -(z + 1) / 2, i
end
local LEVELS, LEVEL_CODES = {'I', 'L', 'O'}, {I = 1, L = 2, O = 3}
-- flags: level 0-3 (bits 0-1: none, I, L, O), 4 ph, 8 b, 16 bt, 32 ct, 64 lf, 128 t, 256 h
local function unpack_product(raw)
  if string.byte(raw, 1) == 123 then return cjson.decode(raw) end  -- '{': JSON, before version 1
  local p, f, T, n, i = {s = {}, l = {}}, nil, nil, nil, 2
  f, i = get_uint(raw, i)
  T, i = get_uint(raw, i)
  n, i = get_uint(raw, i)
  for _ = 1, n do
    local ix, len, c, cap, d
    ix, i = get_uint(raw, i)
    len, i = get_uint(raw, i)
    local loc = string.sub(raw, i, i + len - 1)
    c, i = get_int(raw, i + len)
    cap, i = get_int(raw, i)
    d, i = get_uint(raw, i)
    p.s[device_name(ix) .. '|' .. loc] = {c, cap, T - d}
  end
  if f % 4 > 0 then p.lv = LEVELS[f % 4] end
  if math.floor(f / 4) % 2 == 1 then p.ph = 1 end
  local v
  if math.floor(f / 8) % 2 == 1 then p.b, i = get_int(raw, i) end
  if math.floor(f / 16) % 2 == 1 then v, i = get_uint(raw, i); p.bt = T - v end
  if math.floor(f / 32) % 2 == 1 then v, i = get_uint(raw, i); p.ct = T - v end
  if math.floor(f / 64) % 2 == 1 then v, i = get_uint(raw, i); p.lf = T - v end
  if math.floor(f / 128) % 2 == 1 then p.t, i = get_uint(raw, i) end
  if math.floor(f / 256) % 2 == 1 then
    local c
    c, i = get_int(raw, i)
    v, i = get_uint(raw, i)
    p.h = {c, T - v}
  end
  n, i = get_uint(raw, i)
  for k = 1, n do
    local q
    v, i = get_uint(raw, i)
    q, i = get_int(raw, i)
    p.l[k] = {T - v, q}
  end
  return p
end
local function pack_product(p)
  local T, f = 0, LEVEL_CODES[p.lv] or 0
  for _, s in pairs(p.s or {}) do if s[3] > T then T = s[3] end end
  for _, d in ipairs(p.l or {}) do if d[1] > T then T = d[1] end end
  if p.h and p.h[2] > T then T = p.h[2] end
  if p.ph == 1 then f = f + 4 end
  if p.b then f = f + 8 end
  if p.bt then f = f + 16; if p.bt > T then T = p.bt end end
  if p.ct then f = f + 32; if p.ct > T then T = p.ct end end
  if p.lf then f = f + 64; if p.lf > T then T = p.lf end end
  if p.t then f = f + 128 end
  if p.h then f = f + 256 end
  local out, slots = {1}, {}
  put_uint(out, f)
  put_uint(out, T)
  for key, s in pairs(p.s or {}) do slots[#slots + 1] = {key, s} end
  put_uint(out, #slots)
  local text = {}
  for _, e in ipairs(slots) do
    local bar = string.find(e[1], '|', 1, true)
    local loc = string.sub(e[1], bar + 1)
    put_uint(out, device_index(string.sub(e[1], 1, bar - 1)))
    put_uint(out, #loc)
    text[#text + 1] = string.char(unpack(out)) .. loc
    out = {}
    put_int(out, e[2][1])
    put_int(out, e[2][2])
    put_uint(out, T - e[2][3])
  end
  if p.b then put_int(out, p.b) end
  if p.bt then put_uint(out, T - p.bt) end
  if p.ct then put_uint(out, T - p.ct) end
  if p.lf then put_uint(out, T - p.lf) end
  if p.t then put_uint(out, p.t) end
  if p.h then put_int(out, p.h[1]); put_uint(out, T - p.h[2]) end
  local l = p.l or {}
  put_uint(out, #l)
  for _, d in ipairs(l) do put_uint(out, T - d[1]); put_int(out, d[2]) end
  text[#text + 1] = string.char(unpack(out))
  return table.concat(text)
end
-- END product codec

if redis.call('EXISTS', KEYS[1]) == 0 then return {'rejected', 'store.unknown'} end
local registered = redis.call('HGET', KEYS[2], source)
if not registered then return {'rejected', 'device.unregistered'} end
if kind ~= 'status' and registered ~= (kind == 'staffshelf' and 'feed' or kind) then
  return {'rejected', 'device.wrong_kind'}
end

-- health (CSV "online,heartbeatSeconds,statusTs,lastSeen,fence,session"): when we last heard from the
-- source (our clock); its own status; fence: the status ts before its current online; session: the
-- boot id of that online
local rawh = redis.call('HGET', KEYS[4], source)
local st, hb, stt, fence, hs = 1, 0, 0, 0, ''
if rawh then
  local a, b, c, f, s = string.match(rawh, '^(%d),(%d+),(%d+),%d+,?(%d*),?(.*)$')
  st, hb, stt, fence, hs = tonumber(a), tonumber(b), tonumber(c), tonumber(f) or 0, s
end
local function health()
  redis.call('HSET', KEYS[4], source, string.format('%d,%d,%d,%d,%d,', st, hb, stt, now, fence) .. hs)
end
if kind == 'status' then
  local outcome = 'stale'
  if ARGV[I] == '1' then
    if ts > stt then
      fence = stt
      st, hb, stt, hs, outcome = 1, tonumber(ARGV[I + 1]), ts, session, 'applied'
    elseif ts == stt and st == 1 then  -- the same online again (redelivered, retained): the fence stays
      hb, outcome = tonumber(ARGV[I + 1]), 'applied'
    end
  elseif ts >= stt then
    st, hb, stt, hs, outcome = 0, tonumber(ARGV[I + 1]), ts, session, 'applied'
  elseif st == 1 and ((session ~= '' and session == hs) or (session == '' and ts > fence)) then
    st, outcome = 0, 'applied'  -- the current session's will: stamped at CONNECT, before its online
  end
  health()
  return {outcome, ''}
end
health()

-- idempotency by key (HTTP writes: the client's id holds for ARGV[13] seconds)
-- (the key keeps what the write was: the same key for another write is refused, not taken for a retry)
local fingerprint = ''
if tonumber(ARGV[13]) > 0 then
  local what = {ARGV[14], kind}
  for i = I, #ARGV do what[#what + 1] = ARGV[i] end
  fingerprint = table.concat(what, '|')
  local was = redis.call('GET', KEYS[6])
  if was then
    if was ~= fingerprint then return {'rejected', 'idempotency.mismatch'} end
    return {'duplicate', ''}
  end
end

-- exactly-once (SourceLedger.java, step by step). Field "<source>" of KEYS[3]:
-- "2|restarts|forgotten|floorTs|digests|evicted|epoch;epoch..", an epoch "session,startTs,maxTs,fog,a-b,c-d.."
local D = 12  -- SourceLedger.DIGEST_CHARS
local restarts, forgotten, floor, recent, evicted, epochs = 0, 0, 0, '', '', {}
local raws = redis.call('HGET', KEYS[3], source)
if raws then
  local r, f, fl, rec, ev, eps = string.match(raws, '^2|(%d+)|(%d+)|(%d+)|(%x*)|(%x*)|(.*)$')
  if r then
    restarts, forgotten, floor, recent, evicted = tonumber(r), tonumber(f), tonumber(fl), rec, ev
    for ep in string.gmatch(eps, '[^;]+') do
      local name, a, b, fog, rest = string.match(ep, '^([^,]*),(%d+),(%d+),(%d+)(.*)$')
      local e = {name = name, st = tonumber(a), mx = tonumber(b), fog = tonumber(fog), r = {}}
      for x, y in string.gmatch(rest, ',(%d+)-(%d+)') do e.r[#e.r + 1] = {tonumber(x), tonumber(y)} end
      epochs[#epochs + 1] = e
    end
  else  -- before epochs: "hi,newestTs,gaps,restarts,...": seqs 1..hi taken as applied
    local hi, mt, _, rs = string.match(raws, '^(%d+),(%d+),(%d+),(%d+)')
    restarts = tonumber(rs)
    epochs[1] = {name = '', st = 0, mx = tonumber(mt), fog = 0, r = {{1, tonumber(hi)}}}
  end
end
local function hi_of(e) if #e.r == 0 then return 0 end return e.r[#e.r][2] end
local function contains(e, q)
  for _, x in ipairs(e.r) do if q >= x[1] and q <= x[2] then return true end end
  return false
end
local function add(e, q)
  local i = 1
  while i <= #e.r and e.r[i][2] < q do i = i + 1 end
  table.insert(e.r, i, {q, q})
  if i + 1 <= #e.r and e.r[i + 1][1] == q + 1 then e.r[i][2] = e.r[i + 1][2]; table.remove(e.r, i + 1) end
  if i > 1 and e.r[i - 1][2] == q - 1 then e.r[i - 1][2] = e.r[i][2]; table.remove(e.r, i) end
end
local function save()
  local parts = {}
  for i, e in ipairs(epochs) do
    local p = {e.name, string.format('%d', e.st), string.format('%d', e.mx), string.format('%d', e.fog)}
    for _, x in ipairs(e.r) do p[#p + 1] = string.format('%d-%d', x[1], x[2]) end
    parts[i] = table.concat(p, ',')
  end
  redis.call('HSET', KEYS[3], source, string.format('2|%d|%d|%d|', restarts, forgotten, floor) .. recent .. '|'
    .. evicted .. '|' .. table.concat(parts, ';'))
end
local function digest_of(text) return string.sub(redis.sha1hex(text), 1, D) end
local function remembers(digests, d)
  local from = 1
  while true do
    local at = string.find(digests, d, from, true)
    if not at then return false end
    if (at - 1) % D == 0 then return true end
    from = at + 1
  end
end
local function keep(digests, count)
  if #digests > count * D then return string.sub(digests, #digests - count * D + 1) end
  return digests
end
local digest = digest_of(ARGV[3])
if remembers(recent, digest) then return {'duplicate', ''} end
local bound = false
local function forget()
  forgotten = forgotten + 1
  save()
  return {'rejected', 'seq.forgotten'}
end
local at, created = nil, false
if #epochs == 0 then
  epochs[1] = {name = session, st = ts, mx = ts, fog = 0, r = {}}
  at = 1
  if seq == 0 then seq = 1 end
elseif seq == 0 then  -- only the staff API sends it (devices cannot): next after the newest epoch's highest
  at = #epochs
  seq = hi_of(epochs[at]) + 1
elseif session ~= '' then
  for i, e in ipairs(epochs) do if e.name == session then at = i; break end end
  if not at then
    if remembers(evicted, digest_of(session)) then return forget() end
    local e = {name = session, st = ts, mx = ts, fog = 0, r = {}}
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
    if ts <= floor then return forget() end
    at = 1
  end
  -- newer than all of its epoch, yet not beyond its numbering: not a late event, so the next numbering
  -- (a restart starts again at 1), or a retransmission re-stamped whose id is no longer remembered
  while ts > epochs[at].mx and seq <= hi_of(epochs[at]) do
    if at == #epochs then
      if seq > recentIds then return forget() end
      epochs[at + 1] = {name = '', st = ts, mx = ts, fog = 0, r = {}}
      created = true
    end
    at = at + 1
  end
end
local e = epochs[at]
if seq <= e.fog then return forget() end
if contains(e, seq) then return {'duplicate', ''} end
add(e, seq)
if ts > e.mx then e.mx = ts end
if ts < e.st then e.st = ts end
if #e.r > 128 then  -- give up the oldest hole (SourceLedger.MAX_RANGES): below the next range is fog
  forgotten = forgotten + e.r[2][1] - e.r[1][2] - 1
  e.fog = e.r[2][1] - 1
  table.remove(e.r, 1)
  bound = true
end
if created then
  restarts = restarts + 1
  if #epochs > 8 then  -- SourceLedger.MAX_EPOCHS: the epoch whose newest event is the oldest goes
    local oldest = 1
    for i = 2, #epochs do if epochs[i].mx < epochs[oldest].mx then oldest = i end end
    local gone = table.remove(epochs, oldest)
    if gone.mx > floor then floor = gone.mx end
    if gone.name ~= '' then evicted = keep(evicted .. digest_of(gone.name), 32) end
    bound = true
  end
end
recent = keep(recent .. digest, recentIds)
save()
if tonumber(ARGV[13]) > 0 then redis.call('SET', KEYS[6], fingerprint, 'EX', tonumber(ARGV[13])) end

-- products (ProductLedger)
local function load(key, gtin)
  local raw = redis.call('HGET', key, gtin)
  local p = raw and unpack_product(raw) or {}
  if type(p.s) ~= 'table' then p.s = {} end
  if type(p.l) ~= 'table' then p.l = {} end
  return p
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

-- StockLevel.next and the alerts of ProductLedger.settle
local function settle(p, gtin)
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
    redis.call('XADD', KEYS[5], 'MAXLEN', '~', 1000, '*', 'type', a, 'gtin', gtin,
      'shelf', units, 'book', p.b or '', 'ts', ts)
  end
  return table.concat(alerts, ',')
end

local out = {'applied', bound and 'bound' or ''}
if kind == 'shelf' then
  local n = (#ARGV - I + 1) / 4
  for i = 0, n - 1 do
    local gtin, key = ARGV[I + i * 4], KEYS[B + i]
    local p = load(key, gtin)
    local slot = source .. '|' .. ARGV[I + 3 + i * 4]
    local cur = p.s[slot]
    if cur == nil or cur[3] <= ts then  -- an older absolute reading never overwrites a newer one
      p.s[slot] = {tonumber(ARGV[I + 1 + i * 4]), tonumber(ARGV[I + 2 + i * 4]), ts}
      if p.h and ts > p.h[2] then p.h = nil end  -- a sensor has spoken since the staff count
      local alerts = settle(p, gtin)
      redis.call('HSET', key, gtin, pack_product(p))
      out[#out + 1] = gtin; out[#out + 1] = alerts
    end
  end
elseif kind == 'staffshelf' then
  local gtin, key = ARGV[I], KEYS[B]
  local p = load(key, gtin)
  if p.h and p.h[2] >= ts then return {'stale', out[2]} end
  for _, s in pairs(p.s) do
    if s[3] >= ts then return {'stale', out[2]} end  -- a sensor reading at least as new
  end
  p.h = {tonumber(ARGV[I + 1]), ts}
  local alerts = settle(p, gtin)
  redis.call('HSET', key, gtin, pack_product(p))
  out[#out + 1] = gtin; out[#out + 1] = alerts
else -- feed
  local typ, gtin, qty, key = ARGV[I], ARGV[I + 1], tonumber(ARGV[I + 2]), KEYS[B]
  local p = load(key, gtin)
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
  local alerts = settle(p, gtin)
  redis.call('HSET', key, gtin, pack_product(p))
  out[#out + 1] = gtin; out[#out + 1] = alerts
end
if #out == 2 then out[1] = 'stale' end
if ARGV[14] ~= '' then  -- who did it, for writes made by people (staff counts)
  redis.call('XADD', KEYS[8], 'MAXLEN', '~', 10000, '*', 'who', ARGV[14], 'kind', kind, 'eventId', ARGV[3],
    'gtin', ARGV[kind == 'feed' and I + 1 or I], 'qty', ARGV[kind == 'feed' and I + 2 or I + 1], 'ts', ARGV[5],
    'outcome', out[1])
end
for i = 3, #out, 2 do  -- the store's change feed (SSE, back-in-stock): bounded history
  redis.call('XADD', KEYS[7], 'MAXLEN', '~', 10000, '*', 'gtin', out[i])
end
return out
