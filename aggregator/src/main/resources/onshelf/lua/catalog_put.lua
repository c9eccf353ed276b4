-- One catalogue entry and its search terms, atomically: the old terms (kept in the entry's "terms"
-- field) lose the product, the new ones gain it with their scores.
-- KEYS[1] the product hash (Keys.product)
-- ARGV[1] gtin14, ARGV[2] index key prefix (Keys.searchTerm("")), ARGV[3] n: field/value pairs that follow
-- ARGV[4 .. 3+2n] field, value pairs (n = 0: delete); then term, score pairs
-- Returns 1 if the entry existed before, else 0.
local gtin = ARGV[1]
local ix = ARGV[2]
local n = tonumber(ARGV[3])
local old = redis.call('HGET', KEYS[1], 'terms')
local existed = redis.call('EXISTS', KEYS[1])
if old then
  for term in string.gmatch(old, '%S+') do
    redis.call('ZREM', ix .. term, gtin)
  end
end
redis.call('DEL', KEYS[1])
if n == 0 then
  return {existed}
end
local fields = {}
for i = 4, 3 + 2 * n do
  fields[#fields + 1] = ARGV[i]
end
local terms = {}
for i = 4 + 2 * n, #ARGV, 2 do
  redis.call('ZADD', ix .. ARGV[i], ARGV[i + 1], gtin)
  terms[#terms + 1] = ARGV[i]
end
fields[#fields + 1] = 'terms'
fields[#fields + 1] = table.concat(terms, ' ')
redis.call('HSET', KEYS[1], unpack(fields))
return {existed}
