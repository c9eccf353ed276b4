-- Deletes a device of a store (DELETE /v1/admin/stores/{store}/devices/{device}). Atomic against every
-- event: apply.lua checks the registration in this same slot, so an event applied before the deletion
-- counted, and one after it is refused (device.unregistered, dead-lettered) and writes nothing: no
-- ledger, no health, no product.
-- Its health is written offline as of the deletion (a tombstone): its last readings stop counting at
-- once, and a late or retained 'online' stamped before the deletion cannot make them count again.
-- Its ledger stays (bounded, a few KB; deleting the store takes it): should the same id be registered
-- again, a redelivery of an event already applied is still a duplicate.
-- KEYS[1] onshelf:{S}:devices   KEYS[2] onshelf:{S}:health   ARGV[1] device id   ARGV[2] now (ms)
-- Returns 1 if the device was registered (and is no longer), 0 if it was not (nothing written).
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return {0} end
local stt, seen = tonumber(ARGV[2]), tonumber(ARGV[2])
local raw = redis.call('HGET', KEYS[2], ARGV[1])
if raw then
  local c, d = string.match(raw, '^%d,%d+,(%d+),(%d+)')
  if c and tonumber(c) > stt then stt = tonumber(c) end
  if d then seen = tonumber(d) end
end
-- online(0), heartbeat, statusTs, lastSeen, fence, session: the layout apply.lua writes (Keys.java)
redis.call('HSET', KEYS[2], ARGV[1], string.format('0,0,%d,%d,0,', stt, seen))
return {1}
