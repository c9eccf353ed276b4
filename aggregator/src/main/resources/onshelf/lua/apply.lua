-- Applies one inbound event to a store's state, atomically. Key layout: see Keys.java.
-- The rules mirror dev.onshelf.core.rules (SourceLedger, ProductLedger, StockLevel) exactly.
-- KEYS[1] onshelf:{S}:store    KEYS[2] onshelf:{S}:devices   KEYS[3] onshelf:{S}:src
-- KEYS[4] onshelf:{S}:health   KEYS[5] onshelf:{S}:alerts (stream)   KEYS[6] onshelf:{S}:w:<source>
-- KEYS[7] onshelf:{S}:changes (stream)   KEYS[8..] onshelf:{S}:p:<bucket>, one per item (in ARGV order)
-- ARGV[1] kind shelf|feed|status|staffshelf (a person's count of the whole shelf, from a feed device)  ARGV[2] source  ARGV[3] eventId  ARGV[4] seq  ARGV[5] ts (ms)
-- ARGV[6] now (ms)  ARGV[7] seq window  ARGV[8] delta horizon (ms)  ARGV[9] max deltas
-- ARGV[10] low-stock units  ARGV[11] shelf fresh (ms)
-- items from ARGV[12]: shelf: gtin,count,capacity,location (4 each); feed: type,gtin,delta|count;
-- status: online(1|0),heartbeatSeconds; staffshelf: gtin,count
-- Returns {outcome, reason, gtin, alerts, gtin, alerts, ...}: outcome applied|duplicate|stale|rejected;
-- alerts a comma-separated list of the alert types raised for that gtin ('' if none).
local kind, source = ARGV[1], ARGV[2]
local seq, ts, now = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local window, horizon, maxlog = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local lowdefault, freshms = tonumber(ARGV[10]), tonumber(ARGV[11])

if redis.call('EXISTS', KEYS[1]) == 0 then return {'rejected', 'store.unknown'} end
local registered = redis.call('HGET', KEYS[2], source)
if not registered then return {'rejected', 'device.unregistered'} end
if kind ~= 'status' and registered ~= (kind == 'staffshelf' and 'feed' or kind) then
  return {'rejected', 'device.wrong_kind'}
end

-- health (CSV "online,heartbeatSeconds,statusTs,lastSeen"): when we last heard from the source
-- (our clock), and its own status
local rawh = redis.call('HGET', KEYS[4], source)
local st, hb, stt = 1, 0, 0
if rawh then
  local a, b, c = string.match(rawh, '^(%d),(%d+),(%d+),')
  st, hb, stt = tonumber(a), tonumber(b), tonumber(c)
end
if kind == 'status' then
  local outcome = 'stale'
  if ts >= stt then
    st, hb, stt = tonumber(ARGV[12]), tonumber(ARGV[13]), ts
    outcome = 'applied'
  end
  redis.call('HSET', KEYS[4], source, string.format('%d,%d,%d,%d', st, hb, stt, now))
  return {outcome, ''}
end
redis.call('HSET', KEYS[4], source, string.format('%d,%d,%d,%d', st, hb, stt, now))

-- exactly-once (SourceLedger). KEYS[6], a sorted set, holds the identities "seq:ts" of the source's
-- most recent events scored by ts; field "<source>" of KEYS[3] holds "hi,newestTs,gaps,restarts,missing"
-- where missing lists the ranges of skipped seqs not yet seen, oldest first, each with the newest ts
-- seen when the gap appeared and the ts of the event that revealed it: "a-b-lo-hi;..." (at most 16).
local wk = KEYS[6]
local raws = redis.call('HGET', KEYS[3], source)
local hi, mt, gaps, rs, missing = 0, 0, 0, 0, {}
if raws then
  local a, b, c, d, m = string.match(raws, '^(%d+),(%d+),(%d+),(%d+),?(.*)$')
  hi, mt, gaps, rs = tonumber(a), tonumber(b), tonumber(c), tonumber(d)
  for x, y, lo, up in string.gmatch(m, '(%d+)-(%d+)-(%d+)-(%d+)') do
    missing[#missing + 1] = {tonumber(x), tonumber(y), tonumber(lo), tonumber(up)}
  end
end
-- seq 0 (only the staff API sends it; devices cannot): numbered here, next after the highest
if seq == 0 then seq = hi + 1 end
local member = string.format('%d', seq) .. ':' .. ARGV[5]
if redis.call('ZSCORE', wk, member) then return {'duplicate', ''} end
local function in_range(r, q, t) return q >= r[1] and q <= r[2] and t >= r[3] and t <= r[4] end
local function is_missing(q, t)
  for _, r in ipairs(missing) do if in_range(r, q, t) then return true end end
  return false
end
local n = redis.call('ZCARD', wk)
if n >= window then
  local oldest = redis.call('ZRANGE', wk, 0, 0, 'WITHSCORES')
  if ts < tonumber(oldest[2]) and not is_missing(seq, ts) then return {'duplicate', ''} end  -- older than all remembered
end
if seq > hi then
  if hi > 0 and seq > hi + 1 then
    gaps = gaps + (seq - hi - 1)
    missing[#missing + 1] = {hi + 1, seq - 1, mt, ts}
    if #missing > 16 then table.remove(missing, 1) end
  end
  hi = seq
elseif ts > mt then
  rs = rs + 1; hi = seq   -- the numbering went back while time moved on: a restart
  missing = {}
else
  if gaps > 0 then gaps = gaps - 1 end  -- a late event fills a gap
  for i, r in ipairs(missing) do
    if in_range(r, seq, ts) then
      if r[1] == r[2] then table.remove(missing, i)
      elseif seq == r[1] then r[1] = r[1] + 1
      elseif seq == r[2] then r[2] = r[2] - 1
      else
        local upper = {seq + 1, r[2], r[3], r[4]}
        r[2] = seq - 1
        table.insert(missing, i + 1, upper)
        if #missing > 16 then table.remove(missing, 1) end
      end
      break
    end
  end
end
redis.call('ZADD', wk, ts, member)
if n + 1 > window then redis.call('ZREMRANGEBYRANK', wk, 0, n - window) end  -- forget the oldest
if ts > mt then mt = ts end
local ranges = {}
for i, r in ipairs(missing) do ranges[i] = string.format('%d-%d-%d-%d', r[1], r[2], r[3], r[4]) end
redis.call('HSET', KEYS[3], source, string.format('%d,%d,%d,%d,', hi, mt, gaps, rs) .. table.concat(ranges, ';'))

-- products (ProductLedger)
local function load(key, gtin)
  local raw = redis.call('HGET', key, gtin)
  local p = raw and cjson.decode(raw) or {}
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

local out = {'applied', ''}
if kind == 'shelf' then
  local n = (#ARGV - 11) / 4
  for i = 0, n - 1 do
    local gtin, key = ARGV[12 + i * 4], KEYS[8 + i]
    local p = load(key, gtin)
    local slot = source .. '|' .. ARGV[15 + i * 4]
    local cur = p.s[slot]
    if cur == nil or cur[3] <= ts then  -- an older absolute reading never overwrites a newer one
      p.s[slot] = {tonumber(ARGV[13 + i * 4]), tonumber(ARGV[14 + i * 4]), ts}
      if p.h and ts > p.h[2] then p.h = nil end  -- a sensor has spoken since the staff count
      local alerts = settle(p, gtin)
      redis.call('HSET', key, gtin, cjson.encode(p))
      out[#out + 1] = gtin; out[#out + 1] = alerts
    end
  end
elseif kind == 'staffshelf' then
  local gtin, key = ARGV[12], KEYS[8]
  local p = load(key, gtin)
  if p.h and p.h[2] >= ts then return {'stale', ''} end
  for _, s in pairs(p.s) do
    if s[3] >= ts then return {'stale', ''} end  -- a sensor reading at least as new
  end
  p.h = {tonumber(ARGV[13]), ts}
  local alerts = settle(p, gtin)
  redis.call('HSET', key, gtin, cjson.encode(p))
  out[#out + 1] = gtin; out[#out + 1] = alerts
else -- feed
  local typ, gtin, qty, key = ARGV[12], ARGV[13], tonumber(ARGV[14]), KEYS[8]
  local p = load(key, gtin)
  if typ == 'COUNT' then
    if (p.ct ~= nil and ts <= p.ct) or ts < (p.lf or 0) then
      return {'stale', ''}  -- an older count, or older than the delta history kept
    end
    local b, kept = qty, {}
    for _, d in ipairs(p.l) do
      if d[1] > ts then b = b + d[2]; kept[#kept + 1] = d end  -- deltas after the count still apply
    end
    p.b, p.ct, p.l = b, ts, kept
  else
    if p.ct ~= nil and ts <= p.ct then
      return {'stale', ''}  -- happened before the last COUNT: already contained in it
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
  redis.call('HSET', key, gtin, cjson.encode(p))
  out[#out + 1] = gtin; out[#out + 1] = alerts
end
if #out == 2 then out[1] = 'stale' end
for i = 3, #out, 2 do  -- the store's change feed (SSE, back-in-stock): bounded history
  redis.call('XADD', KEYS[7], 'MAXLEN', '~', 10000, '*', 'gtin', out[i])
end
return out
