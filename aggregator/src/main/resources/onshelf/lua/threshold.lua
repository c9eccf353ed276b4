-- Sets (or with -1 clears) a product's low-stock threshold override in its store.
-- KEYS[1] onshelf:{S}:p:<bucket>   ARGV[1] gtin (14 digits)   ARGV[2] units, or -1 to clear
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local p = raw and cjson.decode(raw) or {}
local units = tonumber(ARGV[2])
if units < 0 then p.t = nil else p.t = units end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(p))
return 1
