-- Every product of some of a store's buckets, for a store-wide feed read page by page.
-- KEYS: some onshelf:{S}:p:<bucket> of one store.  Returns {gtin, value, gtin, value, ...} (values as
-- stored: packed, or JSON from before version 1), so the reply is a flat array whatever the connection's
-- protocol. Fields named 'h' + product field are products' click-and-collect holds (Keys.heldField),
-- returned like the rest. Read only; a page of a few buckets keeps Redis busy for microseconds.
local out = {}
for _, key in ipairs(KEYS) do
  local all = redis.call('HGETALL', key)
  for i = 1, #all do
    out[#out + 1] = all[i]
  end
end
return out
