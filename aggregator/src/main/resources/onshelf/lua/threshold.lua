-- Sets (or with -1 clears) a product's low-stock threshold override in its store.
-- KEYS[1] onshelf:{S}:p:<bucket>   KEYS[2] onshelf:{S}:devix
-- ARGV[1] gtin (14 digits)   ARGV[2] units, or -1 to clear
-- #include product_codec.lua
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local p = raw and unpack_product(raw, KEYS[#KEYS]) or {}
if type(p.s) ~= 'table' then p.s = {} end
if type(p.l) ~= 'table' then p.l = {} end
local units = tonumber(ARGV[2])
if units < 0 then p.t = nil else p.t = units end
redis.call('HSET', KEYS[1], ARGV[1], pack_product(p, KEYS[#KEYS]))
return 1
