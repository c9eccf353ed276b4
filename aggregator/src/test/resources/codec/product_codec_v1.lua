-- Version 1 of product_codec.lua as it was on 2026-11-29 (commit 569cd32), kept for ProductCodecIT:
-- values it wrote must still be read by today's codec and by StateCodec, and rewritten on their next write.
-- The product codec, included by the scripts that read or write product values (LuaScript replaces
-- their line "-- #include product_codec.lua" with this text: Redis scripts cannot share code).
-- A product value (layout in Keys.java): version byte 1, then LEB128 varints (signed ones zigzag).
-- Old JSON values (first byte '{') are still read; every write stores the packed form. A slot names
-- its device by its index in its store's device table (devix, onshelf:{S}:devix: device -> index and
-- '#'..index -> device, append-only), remembered for the whole script call (a batch spans stores).
local dev_ix, ix_dev = {}, {}
local function device_index(devix, name)
  local ix = dev_ix[devix .. '\n' .. name]
  if ix then return ix end
  ix = tonumber(redis.call('HGET', devix, name))
  if not ix then
    ix = redis.call('HLEN', devix) / 2 + 1
    redis.call('HSET', devix, name, ix, '#' .. ix, name)
  end
  dev_ix[devix .. '\n' .. name], ix_dev[devix .. '\n' .. ix] = ix, name
  return ix
end
local function device_name(devix, ix)
  local name = ix_dev[devix .. '\n' .. ix]
  if name then return name end
  name = redis.call('HGET', devix, '#' .. ix)
  if not name then return error('product value names unknown device index ' .. ix) end
  dev_ix[devix .. '\n' .. name], ix_dev[devix .. '\n' .. ix] = ix, name
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
local function unpack_product(raw, devix)
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
    p.s[device_name(devix, ix) .. '|' .. loc] = {c, cap, T - d}
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
local function pack_product(p, devix)
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
    put_uint(out, device_index(devix, string.sub(e[1], 1, bar - 1)))
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
