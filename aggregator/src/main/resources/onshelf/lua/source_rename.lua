-- Moves sources of a store to new ids (layout migration at node start; idempotent): the staff handheld's
-- and EPCIS's sources were devices named hh-<store> and epcis-<store> before 2026-11-29, which a real
-- device of that name shared; they are ~handheld and ~epcis now (DeviceId: outside the devices' alphabet).
-- Their registration, ledger and health move; one already under its new id keeps that (today's version
-- wrote it) and the old entry goes. They never had a slot in a product (their writes are book and
-- staff-count writes), so the device table (devix) has nothing to move.
-- KEYS[1] onshelf:{S}:devices   KEYS[2] onshelf:{S}:src   KEYS[3] onshelf:{S}:health
-- ARGV: old id, new id, old id, new id, ...   Returns {entries moved}.
local moved = 0
for a = 1, #ARGV, 2 do
  for k = 1, 3 do
    local v = redis.call('HGET', KEYS[k], ARGV[a])
    if v then
      redis.call('HSETNX', KEYS[k], ARGV[a + 1], v)
      redis.call('HDEL', KEYS[k], ARGV[a])
      moved = moved + 1
    end
  end
end
return {moved}
