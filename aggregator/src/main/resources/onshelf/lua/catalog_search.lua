-- A catalogue search in one round trip: the products filed under every term, best first, with
-- their entries. Several terms are intersected (scores summed) into a scratch key, deleted before
-- the script returns (scripts are atomic, so one scratch key serves every caller).
-- KEYS[1] the scratch key; KEYS[2..] the terms' index keys (Keys.searchTerm), all in one slot
-- ARGV[1] limit, ARGV[2] product key prefix (Keys.product without the GTIN)
-- Returns gtin, score, name, brand, size, category, imageUrl for each hit ('' for a missing field).
local limit = tonumber(ARGV[1])
local ranked
if #KEYS == 2 then
  ranked = redis.call('ZREVRANGE', KEYS[2], 0, limit - 1, 'WITHSCORES')
else
  local terms = {}
  for i = 2, #KEYS do
    terms[#terms + 1] = KEYS[i]
  end
  redis.call('ZINTERSTORE', KEYS[1], #terms, unpack(terms))
  ranked = redis.call('ZREVRANGE', KEYS[1], 0, limit - 1, 'WITHSCORES')
  redis.call('DEL', KEYS[1])
end
local out = {}
for i = 1, #ranked, 2 do
  local f = redis.call('HMGET', ARGV[2] .. ranked[i], 'name', 'brand', 'size', 'category', 'imageUrl')
  if f[1] then
    out[#out + 1] = ranked[i]
    out[#out + 1] = ranked[i + 1]
    for j = 1, 5 do
      out[#out + 1] = f[j] or ''
    end
  end
end
return out
