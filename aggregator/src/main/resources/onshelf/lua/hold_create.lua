-- Creates a click-and-collect hold if the product has the units: atomically against the product's value
-- and the holds already running on it, so two holds racing for the last unit cannot both win.
-- KEYS[1] onshelf:{S}:p:<bucket>   KEYS[2] onshelf:{S}:holds   KEYS[3] onshelf:{S}:holds:exp
-- KEYS[4] onshelf:{S}:holdkey:<Idempotency-Key>
-- ARGV[1] now (ms)   ARGV[2] the product's field   ARGV[3] its held field   ARGV[4] SHA-1 (hex) of the
-- product's value the caller judged ('' when it had none)   ARGV[5] units the caller found holdable in it
-- (AvailabilityRules.holdable: fresh shelf units; -1: no fresh reading, nothing holdable)   ARGV[6] qty   ARGV[7] expiresAt (ms)   ARGV[8] hold id
-- ARGV[9] the request's fingerprint   ARGV[10] idempotency ttl (s)   ARGV[11] the hold's record (JSON)
-- ARGV[12] most holds running on one product
-- Returns {'created'} | {'replay', record} | {'mismatch'} | {'changed'} | {'unknown'} | {'insufficient', salable}
-- | {'full'}
-- 'changed': the product's value is not the one judged (a reading came in between): judge again.
-- The held field is "expiresAt:qty,..." (HeldUnits); entries past their expiry are dropped on the way.
local kept = redis.call('GET', KEYS[4])
if kept then
  local nl = string.find(kept, '\n', 1, true)
  if string.sub(kept, 1, nl - 1) == ARGV[9] then return {'replay', string.sub(kept, nl + 1)} end
  return {'mismatch'}
end
local value = redis.call('HGET', KEYS[1], ARGV[2])
if (value and redis.sha1hex(value) or '') ~= ARGV[4] then return {'changed'} end
if tonumber(ARGV[5]) < 0 then return {'unknown'} end
local now = tonumber(ARGV[1])
local running, held, n = {}, 0, 0
local text = redis.call('HGET', KEYS[1], ARGV[3])
if text then
  for entry in string.gmatch(text, '[^,]+') do
    local colon = string.find(entry, ':', 1, true)
    if tonumber(string.sub(entry, 1, colon - 1)) > now then
      n = n + 1; running[n] = entry
      held = held + tonumber(string.sub(entry, colon + 1))
    end
  end
end
local salable = tonumber(ARGV[5]) - held
if salable < 0 then salable = 0 end
if salable < tonumber(ARGV[6]) then return {'insufficient', salable} end
if n >= tonumber(ARGV[12]) then return {'full'} end
running[n + 1] = ARGV[7] .. ':' .. ARGV[6]
redis.call('HSET', KEYS[1], ARGV[3], table.concat(running, ','))
redis.call('HSET', KEYS[2], ARGV[8], ARGV[11])
redis.call('ZADD', KEYS[3], ARGV[7], ARGV[8])
redis.call('SET', KEYS[4], ARGV[9] .. '\n' .. ARGV[11], 'EX', ARGV[10])
return {'created'}
