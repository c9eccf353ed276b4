-- A store's products whose shelf was last settled empty or low, or flagged phantom stock.
-- KEYS: every onshelf:{S}:p:<bucket> of the store.  Returns {gtin, productJson, gtin, productJson, ...}.
-- Matches on the raw JSON (plain find), so the cost is a scan, not a decode, per product.
local out = {}
for _, key in ipairs(KEYS) do
  local all = redis.call('HGETALL', key)
  for i = 1, #all, 2 do
    local v = all[i + 1]
    if string.find(v, '"lv":"O"', 1, true) or string.find(v, '"lv":"L"', 1, true)
        or string.find(v, '"ph":1', 1, true) then
      out[#out + 1] = all[i]; out[#out + 1] = v
    end
  end
end
return out
