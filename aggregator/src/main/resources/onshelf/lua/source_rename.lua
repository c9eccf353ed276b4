-- Moves sources of a store to new ids (layout migration at node start; idempotent): the staff handheld's
-- and EPCIS's sources were devices named hh-<store> and epcis-<store> before 2026-11-29, which a real
-- device of that name shared; they are ~handheld and ~epcis now (DeviceId: outside the devices' alphabet).
-- Their registration, ledger and health move; one already under its new id keeps that (today's version
-- wrote it) and the old entry goes. They never had a slot in a product (their writes are book and
-- staff-count writes), so the device table (devix) has nothing to move.
-- KEYS[1] onshelf:{S}:devices   KEYS[2] onshelf:{S}:src   KEYS[3] onshelf:{S}:health
-- ARGV: old id, new id, old id, new id, ...   Returns {entries moved}.
local moved = 0
local function move(key, from, to)
  local v = redis.call('HGET', key, from)
  if v then
    redis.call('HSETNX', key, to, v)
    redis.call('HDEL', key, from)
    return 1
  end
  return 0
end
for a = 1, #ARGV, 2 do
  -- the ledger's epoch ids (apply.lua, Keys.sourceIdsField) go with it, unless a ledger is already under
  -- the new id (it keeps its own ids)
  local kept = redis.call('HEXISTS', KEYS[2], ARGV[a + 1]) == 1
  for k = 1, 3 do moved = moved + move(KEYS[k], ARGV[a], ARGV[a + 1]) end
  local ids = redis.call('HGET', KEYS[2], ARGV[a] .. '#ids')
  redis.call('HDEL', KEYS[2], ARGV[a] .. '#ids')
  if not kept then  -- the moved ledger's own ids, or none (a stale field under the new id goes)
    if ids then redis.call('HSET', KEYS[2], ARGV[a + 1] .. '#ids', ids)
    else redis.call('HDEL', KEYS[2], ARGV[a + 1] .. '#ids') end
  end
end
return {moved}
