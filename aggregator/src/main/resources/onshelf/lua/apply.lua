-- Applies one inbound event to a store's state, atomically. Key layout: see Keys.java.
-- KEYS[1] onshelf:{S}:store    KEYS[2] onshelf:{S}:devices   KEYS[3] onshelf:{S}:src
-- KEYS[4] onshelf:{S}:health   KEYS[5..] onshelf:{S}:p:<bucket>, one per item (in ARGV order)
-- ARGV[1] kind shelf|feed|status  ARGV[2] source  ARGV[3] eventId  ARGV[4] seq  ARGV[5] ts (ms)
-- ARGV[6] now (ms)  ARGV[7] seq window  ARGV[8] delta history horizon (ms)  ARGV[9] max history
-- items from ARGV[10]: shelf: gtin,count,capacity,location (4 each); feed: type,gtin,delta|count;
-- status: online(1|0),heartbeatSeconds
-- Returns {outcome, reason, changed gtin...}; outcome is applied|duplicate|stale|rejected.
local kind, source = ARGV[1], ARGV[2]
local seq, ts, now = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local window, horizon, maxlog = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])

if redis.call('EXISTS', KEYS[1]) == 0 then return {'rejected', 'store.unknown'} end
local registered = redis.call('HGET', KEYS[2], source)
if not registered then return {'rejected', 'device.unregistered'} end
if kind ~= 'status' and registered ~= kind then return {'rejected', 'device.wrong_kind'} end

-- health: when we last heard from the source, and its own status
local rawh = redis.call('HGET', KEYS[4], source)
local health = rawh and cjson.decode(rawh) or {st = 1, hb = 0, stt = 0}
health.seen = now

if kind == 'status' then
  if ts < (health.stt or 0) then
    redis.call('HSET', KEYS[4], source, cjson.encode(health))
    return {'stale', ''}
  end
  health.st = tonumber(ARGV[10]); health.hb = tonumber(ARGV[11]); health.stt = ts
  redis.call('HSET', KEYS[4], source, cjson.encode(health))
  return {'applied', ''}
end
redis.call('HSET', KEYS[4], source, cjson.encode(health))

-- exactly-once: per-source high-water mark, a window of recently seen seqs, restart detection
local raws = redis.call('HGET', KEYS[3], source)
local src = raws and cjson.decode(raws) or {hi = 0, mt = 0, gaps = 0, rs = 0, w = {}}
local function remember(s)
  local w = {}
  for _, v in ipairs(src.w) do if v > s - window then w[#w + 1] = v end end
  w[#w + 1] = s
  src.w = w
end
if seq > src.hi then
  if src.hi > 0 and seq > src.hi + 1 then src.gaps = src.gaps + (seq - src.hi - 1) end
  src.hi = seq
  remember(seq)
elseif ts > src.mt then
  -- numbering went back while time moved on: the source restarted; a new epoch begins
  src.rs = src.rs + 1; src.hi = seq; src.w = {}
  remember(seq)
else
  local seen = seq <= src.hi - window
  for _, v in ipairs(src.w) do if v == seq then seen = true end end
  if seen then
    redis.call('HSET', KEYS[3], source, cjson.encode(src))
    return {'duplicate', ''}
  end
  if src.gaps > 0 then src.gaps = src.gaps - 1 end  -- a late event fills a gap
  local w = src.w; w[#w + 1] = seq
end
if ts > src.mt then src.mt = ts end
redis.call('HSET', KEYS[3], source, cjson.encode(src))

local function load(key, gtin)
  local raw = redis.call('HGET', key, gtin)
  return raw and cjson.decode(raw) or {}
end

local changed = {'applied', ''}
if kind == 'shelf' then
  local n = (#ARGV - 9) / 4
  for i = 0, n - 1 do
    local gtin, key = ARGV[10 + i * 4], KEYS[5 + i]
    local p = load(key, gtin)
    if type(p.s) ~= 'table' then p.s = {} end
    local slot = source .. '|' .. ARGV[13 + i * 4]
    local cur = p.s[slot]
    if cur == nil or cur[3] <= ts then  -- an older absolute reading never overwrites a newer one
      p.s[slot] = {tonumber(ARGV[11 + i * 4]), tonumber(ARGV[12 + i * 4]), ts}
      redis.call('HSET', key, gtin, cjson.encode(p))
      changed[#changed + 1] = gtin
    end
  end
else -- feed
  local typ, gtin, qty, key = ARGV[10], ARGV[11], tonumber(ARGV[12]), KEYS[5]
  local p = load(key, gtin)
  local ct = p.ct or 0
  local log = (type(p.l) == 'table') and p.l or {}
  if typ == 'COUNT' then
    if (p.b ~= nil and ts <= ct) or ts < (p.lf or 0) then
      return {'stale', ''}  -- an older count, or older than the delta history we keep
    end
    local b, kept = qty, {}
    for _, d in ipairs(log) do
      if d[1] > ts then b = b + d[2]; kept[#kept + 1] = d end  -- deltas after the count still apply
    end
    p.b, p.ct, p.l = b, ts, kept
  else
    if p.ct ~= nil and ts <= ct then
      return {'stale', ''}  -- happened before the last COUNT: already contained in it
    end
    p.b = (p.b or 0) + qty
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
  redis.call('HSET', key, gtin, cjson.encode(p))
  changed[#changed + 1] = gtin
end
if #changed == 2 then changed[1] = 'stale' end
return changed
