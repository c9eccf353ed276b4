-- Moves a store's products from the 1,024 buckets of versions before the packed value into the
-- 256 of today (Keys.BUCKETS): old bucket i holds exactly the products of new bucket i % 256, so
-- buckets 0..255 keep their names and 256..1023 are merged into them and deleted. Idempotent.
-- KEYS[1..1024] onshelf:{S}:p:0 .. onshelf:{S}:p:1023   Returns the number of products moved.
local moved = 0
for k = 257, #KEYS do
  local all = redis.call('HGETALL', KEYS[k])
  if #all > 0 then
    local into = KEYS[(k - 1) % 256 + 1]
    for i = 1, #all, 2 do
      if redis.call('HSETNX', into, all[i], all[i + 1]) == 1 then moved = moved + 1 end
    end
    redis.call('DEL', KEYS[k])
  end
end
return {moved}
