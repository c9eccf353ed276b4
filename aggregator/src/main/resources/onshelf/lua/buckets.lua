-- Brings a store's products into today's layout (Keys.java), when a node starts. Idempotent.
-- 1. The 1,024 buckets of versions before the packed value into the 256 of today (Keys.BUCKETS): old
--    bucket i holds exactly the products of new bucket i % 256, so buckets 0..255 keep their names and
--    256..1023 are merged into them and deleted.
-- 2. A product's field from its 14 digits (versions before 2026-11-29) to the GTIN without its leading
--    zeros (Keys.field: a canonical integer, which a listpack stores in ~10 bytes instead of ~16). A
--    product already under its new field keeps that value (written by today's version; the old one goes).
-- KEYS[1..1024] onshelf:{S}:p:0 .. onshelf:{S}:p:1023   Returns the number of products moved or renamed.
local moved = 0
local function field(f)
  if #f == 14 and string.byte(f, 1) == 48 then return string.match(f, '^0*(%d+)$') or f end
  return f
end
for k = 257, #KEYS do
  local all = redis.call('HGETALL', KEYS[k])
  if #all > 0 then
    local into = KEYS[(k - 1) % 256 + 1]
    for i = 1, #all, 2 do
      if redis.call('HSETNX', into, field(all[i]), all[i + 1]) == 1 then moved = moved + 1 end
    end
    redis.call('DEL', KEYS[k])
  end
end
for k = 1, math.min(256, #KEYS) do
  local all = redis.call('HGETALL', KEYS[k])
  for i = 1, #all, 2 do
    local f = field(all[i])
    if f ~= all[i] then
      redis.call('HSETNX', KEYS[k], f, all[i + 1])
      redis.call('HDEL', KEYS[k], all[i])
      moved = moved + 1
    end
  end
end
return {moved}
