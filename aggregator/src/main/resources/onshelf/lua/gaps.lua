-- A store's products whose shelf was last settled empty or low, or flagged phantom stock.
-- KEYS: every onshelf:{S}:p:<bucket> of the store.  Returns {gtin, value, gtin, value, ...} (values as
-- stored: packed, or JSON from before version 1). Reads only the flags of a packed value (version 2: its
-- first byte, 0x80 + flags; version 1: its second, a varint; either way level in bits 0-1, 1 I, 2 L,
-- 3 O, and phantom bit 2; layout in Keys.java), so the cost
-- is a scan, not a decode, per product; a JSON value is matched on its text (plain find).
-- A field named 'h' + product field is that product's click-and-collect holds (Keys.heldField): every
-- one is returned as it is (few products have holds), for the answers to take them off.
local out = {}
for _, key in ipairs(KEYS) do
  local all = redis.call('HGETALL', key)
  for i = 1, #all, 2 do
    local v = all[i + 1]
    local hit
    if string.byte(all[i], 1) == 104 then  -- 'h': held units
      hit = true
    elseif string.byte(v, 1) >= 128 then  -- version 2: the first byte is 0x80 + the low flags
      local f = (string.byte(v, 1) - 128) % 8
      hit = f % 4 >= 2 or f >= 4
    elseif string.byte(v, 1) == 1 then
      local f = string.byte(v, 2) % 8  -- the low bits of the flags' first byte
      hit = f % 4 >= 2 or f >= 4
    else
      hit = string.find(v, '"lv":"O"', 1, true) or string.find(v, '"lv":"L"', 1, true)
        or string.find(v, '"ph":1', 1, true)
    end
    if hit then
      out[#out + 1] = all[i]; out[#out + 1] = v
    end
  end
end
return out
