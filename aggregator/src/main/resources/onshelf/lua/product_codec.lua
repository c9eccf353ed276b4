-- The product codec, included by the scripts that read or write product values (LuaScript replaces
-- their line "-- #include product_codec.lua" with this text: Redis scripts cannot share code).
-- A product value (layout in Keys.java): version 2 (first byte 0x80 + flags), LEB128 varints (signed
-- ones zigzag). Version 1 (first byte 1) and old JSON values (first byte '{') are still read; every
-- write stores version 2. A slot names its device by its index in its store's device table (devix,
-- onshelf:{S}:devix: device -> index and '#'..index -> device, append-only), remembered for the whole
-- script call (a batch spans stores). The same table (the same indexes) holds location shapes: '@'..shape
-- -> index, '#'..index -> '@'..shape, where a shape is a location with each run of 1-9 ASCII digits
-- replaced by one byte, its width (1-9): "A03-B1-S2-P05" is the shape "A\2-B\1-S\1-P\2" and its
-- digits, 031205, one number (31205). A store's locations follow a few planogram schemes, so a few
-- shapes serve all its products; a location with no digits, more than 15 of them in such runs, a byte
-- 1-9 of its own, or met when the table has 256 entries, is stored as its text.
-- Speed (a product is read and written for every event, ~20 µs of Redis's ~60 per event before these):
-- the string and math functions as locals; the value's bytes read with one string.byte call, not one
-- per byte; flags and varints by arithmetic, not math.floor; the device and shape tables per device
-- table, so that a lookup makes no key string
local byte, char, sub, find, concat = string.byte, string.char, string.sub, string.find, table.concat
local dev_ix, ix_dev = {}, {}  -- devix -> name -> index, devix -> index -> name (or '@'..shape)
local function device_index(devix, name)
  local by = dev_ix[devix]
  if not by then by = {}; dev_ix[devix] = by end
  local ix = by[name]
  if ix then return ix end
  ix = tonumber(redis.call('HGET', devix, name))
  if not ix then
    ix = redis.call('HLEN', devix) / 2 + 1
    redis.call('HSET', devix, name, ix, '#' .. ix, name)
  end
  local names = ix_dev[devix]
  if not names then names = {}; ix_dev[devix] = names end
  by[name], names[ix] = ix, name
  return ix
end
local function device_name(devix, ix)
  local names = ix_dev[devix]
  if not names then names = {}; ix_dev[devix] = names end
  local name = names[ix]
  if name then return name end
  name = redis.call('HGET', devix, '#' .. ix)
  if not name then return error('product value names unknown device index ' .. ix) end
  local by = dev_ix[devix]
  if not by then by = {}; dev_ix[devix] = by end
  by[name], names[ix] = ix, name
  return name
end
-- the index of a location shape, or nil (the table is full: the location is stored as text)
local shape_ixs = {}  -- devix -> shape -> index (false: not kept), for this script call
local function shape_index(devix, shape)
  local known = shape_ixs[devix]
  if not known then
    known = {}
    shape_ixs[devix] = known
  end
  local ix = known[shape]
  if ix ~= nil then return ix or nil end
  local name = '@' .. shape
  ix = tonumber(redis.call('HGET', devix, name))
  if not ix then
    if redis.call('HLEN', devix) >= 512 then
      known[shape] = false
      return nil
    end
    ix = redis.call('HLEN', devix) / 2 + 1
    redis.call('HSET', devix, name, ix, '#' .. ix, name)
  end
  local names = ix_dev[devix]
  if not names then names = {}; ix_dev[devix] = names end
  known[shape], names[ix] = ix, name
  return ix
end
local WIDTH = {}
for w = 1, 9 do WIDTH[w] = string.char(w) end
-- a location's shape and its digits as one number, or nil when it is kept as text (more than 15 digits
-- in runs of 1-9: a number past 2^53 would not be exact)
local runs = {}
local function run_width(run)
  if #run > 9 then return nil end  -- kept as it is
  runs[#runs + 1] = run
  return WIDTH[#run]
end
local function shape_of(loc)
  if not string.find(loc, '%d') or string.find(loc, '[\1-\9]') then return nil end
  runs = {}
  local shape = string.gsub(loc, '%d+', run_width)
  local digits = table.concat(runs)
  if #digits == 0 or #digits > 15 then return nil end
  return shape, tonumber(digits)
end
-- Per device table, for this script call: location -> its code (location_code: the shape's index and
-- the digits, or its length and text, as bytes), so that a location read again in the call is encoded
-- once. (A script never decodes a location: a slot is keyed by its code; Java's StateCodec reads them.)
local loc_codes = {}
local function codes_of(devix)
  local codes = loc_codes[devix]
  if not codes then
    codes = {}
    loc_codes[devix] = codes
  end
  return codes
end
local function put_uint(out, n)
  while n >= 128 do
    local low = n % 128
    out[#out + 1] = low + 128
    n = (n - low) / 128
  end
  out[#out + 1] = n
end
local function put_int(out, n)
  if n >= 0 then put_uint(out, n * 2) else put_uint(out, -n * 2 - 1) end
end
-- b: the value's bytes (a table, from bytes_of)
local function get_uint(b, i)
  local c = b[i]
  if c < 128 then return c, i + 1 end
  local n, m = c - 128, 128
  i = i + 1
  while true do
    c = b[i]
    if c < 128 then return n + c * m, i + 1 end
    n, m, i = n + (c - 128) * m, m * 128, i + 1
  end
end
local function get_int(b, i)
  local z
  z, i = get_uint(b, i)
  if z % 2 == 0 then return z / 2, i end
  return -(z + 1) / 2, i
end
local function bytes_of(raw)
  if #raw <= 4000 then return {byte(raw, 1, -1)} end  -- (Lua's C stack holds ~8000 results)
  local b = {}
  for i = 1, #raw, 4000 do
    local part = {byte(raw, i, math.min(#raw, i + 3999))}
    for j = 1, #part do b[i + j - 1] = part[j] end
  end
  return b
end
-- whether flag bit n (a power of two) is set in f
local function has(f, n) return f % (n + n) >= n end
-- A slot's key in p.s is its id as the value stores it: the device's index and the location's code
-- (a shape's index and the digits, or the text), as bytes. Reading a value then decodes no device and
-- no location (a sale or another device's reading of the product needs neither), writing it encodes
-- none, and only a reading's own slot is encoded (slot_key). The code of a location is one (the device
-- table is append-only: a shape once kept stays, and a table full stays full), so one slot, one key.
local function location_code(devix, loc)
  local codes = codes_of(devix)
  local code = codes[loc]
  if code == nil then
    local shape, digits = shape_of(loc)
    local ix = shape and shape_index(devix, shape)
    local out = {}
    if ix then
      put_uint(out, ix * 2 + 1)
      put_uint(out, digits)
      code = char(unpack(out))
    else
      put_uint(out, #loc * 2)
      code = char(unpack(out)) .. loc
    end
    codes[loc] = code
  end
  return code
end
local function slot_key(devix, name, loc)
  local out = {}
  put_uint(out, device_index(devix, name))
  return char(unpack(out)) .. location_code(devix, loc)
end
-- slots named "device|location" (JSON values and version 1's) keyed as above (the way back, for tests:
-- codec/named.lua among the test resources)
local function keyed(p, devix)
  local s = {}
  for k, v in pairs(type(p.s) == 'table' and p.s or {}) do
    local bar = find(k, '|', 1, true)
    s[slot_key(devix, sub(k, 1, bar - 1), sub(k, bar + 1))] = v
  end
  p.s = s
  return p
end
local LEVELS, LEVEL_CODES = {'I', 'L', 'O'}, {I = 1, L = 2, O = 3}
-- flags: level 0-3 (bits 0-1: none, I, L, O), 4 ph, 8 b, 16 bt, 32 ct, 64 lf, 128 t, 256 h
local function unpack_v1(raw, devix)
  local b = bytes_of(raw)
  local p, f, T, n, i = {s = {}, l = {}}, nil, nil, nil, 2
  f, i = get_uint(b, i)
  T, i = get_uint(b, i)
  n, i = get_uint(b, i)
  for _ = 1, n do
    local ix, len, c, cap, d
    ix, i = get_uint(b, i)
    len, i = get_uint(b, i)
    local loc = sub(raw, i, i + len - 1)
    c, i = get_int(b, i + len)
    cap, i = get_int(b, i)
    d, i = get_uint(b, i)
    p.s[slot_key(devix, device_name(devix, ix), loc)] = {c, cap, T - d}
  end
  if f % 4 > 0 then p.lv = LEVELS[f % 4] end
  if has(f, 4) then p.ph = 1 end
  local v
  if has(f, 8) then p.b, i = get_int(b, i) end
  if has(f, 16) then v, i = get_uint(b, i); p.bt = T - v end
  if has(f, 32) then v, i = get_uint(b, i); p.ct = T - v end
  if has(f, 64) then v, i = get_uint(b, i); p.lf = T - v end
  if has(f, 128) then p.t, i = get_uint(b, i) end
  if has(f, 256) then
    local c
    c, i = get_int(b, i)
    v, i = get_uint(b, i)
    p.h = {c, T - v}
  end
  n, i = get_uint(b, i)
  for k = 1, n do
    local q
    v, i = get_uint(b, i)
    q, i = get_int(b, i)
    p.l[k] = {T - v, q}
  end
  return p
end
-- version 2 flags: level 0-3 (bits 0-1), 4 ph, 8 b, 16 bt, 32 ct (these in the first byte: 0x80 + flags,
-- + 0x40 when more follow as a varint, flags / 64), 64 deltas, 128 lf, 256 t, 512 h, 1024 slots ~= 1
local function unpack_v2(raw, devix)
  local b = bytes_of(raw)
  local b0 = b[1] - 128
  local p, f, T, n, i = {s = {}, l = {}}, b0 % 64, nil, 1, 2
  if b0 >= 64 then
    local more
    more, i = get_uint(b, i)
    f = f + more * 64
  end
  T, i = get_uint(b, i)
  if has(f, 1024) then n, i = get_uint(b, i) end
  for _ = 1, n do
    local at, code, c, cap, d, skip = i, nil
    skip, i = get_uint(b, i)  -- the device's index
    code, i = get_uint(b, i)
    if code % 2 == 0 then i = i + code / 2 else skip, i = get_uint(b, i) end
    local key = sub(raw, at, i - 1)
    c, i = get_int(b, i)
    cap, i = get_int(b, i)
    d, i = get_uint(b, i)
    p.s[key] = {c, cap, T - d}
  end
  if f % 4 > 0 then p.lv = LEVELS[f % 4] end
  if has(f, 4) then p.ph = 1 end
  local v
  if has(f, 8) then p.b, i = get_int(b, i) end
  if has(f, 16) then v, i = get_uint(b, i); p.bt = T - v end
  local base = p.bt or T  -- count and delta times are kept from the book's time: often the same
  if has(f, 32) then v, i = get_int(b, i); p.ct = base - v end
  if has(f, 128) then v, i = get_uint(b, i); p.lf = T - v end
  if has(f, 256) then p.t, i = get_uint(b, i) end
  if has(f, 512) then
    local c
    c, i = get_int(b, i)
    v, i = get_uint(b, i)
    p.h = {c, T - v}
  end
  if has(f, 64) then
    n, i = get_uint(b, i)
    local l = p.l
    for k = 1, n do
      local q
      v, i = get_int(b, i)
      q, i = get_int(b, i)
      l[k] = {base - v, q}
    end
  end
  return p
end
local function unpack_product(raw, devix)
  local b = byte(raw, 1)
  if b >= 128 then return unpack_v2(raw, devix) end
  if b == 123 then return keyed(cjson.decode(raw), devix) end  -- '{': JSON, before version 1
  return unpack_v1(raw, devix)
end
local function pack_product(p, devix)
  local T, f = 0, LEVEL_CODES[p.lv] or 0
  for _, s in pairs(p.s or {}) do if s[3] > T then T = s[3] end end
  local l = p.l or {}
  for _, d in ipairs(l) do if d[1] > T then T = d[1] end end
  if p.h and p.h[2] > T then T = p.h[2] end
  if p.ph == 1 then f = f + 4 end
  if p.b then f = f + 8 end
  if p.bt then f = f + 16; if p.bt > T then T = p.bt end end
  if p.ct then f = f + 32; if p.ct > T then T = p.ct end end
  if #l > 0 then f = f + 64 end
  if p.lf then f = f + 128; if p.lf > T then T = p.lf end end
  if p.t then f = f + 256 end
  if p.h then f = f + 512 end
  local slots = {}
  for key, s in pairs(p.s or {}) do slots[#slots + 1] = {key, s} end
  if #slots ~= 1 then f = f + 1024 end
  local out, text = {128 + f % 64}, {}
  if f >= 64 then
    out[1] = out[1] + 64
    put_uint(out, (f - f % 64) / 64)
  end
  put_uint(out, T)
  if #slots ~= 1 then put_uint(out, #slots) end
  for _, e in ipairs(slots) do
    text[#text + 1] = char(unpack(out))
    text[#text + 1] = e[1]  -- the slot's key: its device and location as stored
    out = {}
    put_int(out, e[2][1])
    put_int(out, e[2][2])
    put_uint(out, T - e[2][3])
  end
  if p.b then put_int(out, p.b) end
  if p.bt then put_uint(out, T - p.bt) end
  local base = p.bt or T
  if p.ct then put_int(out, base - p.ct) end
  if p.lf then put_uint(out, T - p.lf) end
  if p.t then put_uint(out, p.t) end
  if p.h then put_int(out, p.h[1]); put_uint(out, T - p.h[2]) end
  if #l > 0 then
    put_uint(out, #l)
    for _, d in ipairs(l) do put_int(out, base - d[1]); put_int(out, d[2]) end
  end
  text[#text + 1] = char(unpack(out))
  return concat(text)
end
