-- Reads one product's state and the health of the devices that reported it, in one round trip.
-- KEYS[1] onshelf:{S}:p:<bucket>   KEYS[2] onshelf:{S}:health   KEYS[3] onshelf:{S}:store
-- ARGV[1] gtin (14 digits)
-- Returns {'unknown-store'} when the store is not registered, {} when the product was never
-- reported, else {productJson, device, healthJson|'', device, ...}.
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then
  if redis.call('EXISTS', KEYS[3]) == 0 then return {'unknown-store'} end
  return {}
end
local out, seen = {raw}, {}
local slots = cjson.decode(raw).s
if type(slots) == 'table' then
  for slot, _ in pairs(slots) do
    local dev = string.match(slot, '^([^|]*)')
    if not seen[dev] then
      seen[dev] = true
      out[#out + 1] = dev
      out[#out + 1] = redis.call('HGET', KEYS[2], dev) or ''
    end
  end
end
return out
