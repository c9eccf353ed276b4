-- Deletes a store's holds past their expiry (they already count for nothing: expiry is applied when
-- the holds are counted) and their entries in their products' held fields. Garbage collection only.
-- KEYS[1] onshelf:{S}:holds   KEYS[2] onshelf:{S}:holds:exp
-- ARGV[1] now (ms)   ARGV[2] most holds to delete in this call
-- Each record names its product's bucket and held field (Keys, when the hold was made): the bucket is a
-- key of the same store, so of the same hash tag and cluster slot as KEYS.
-- Returns {deleted, next expiry (ms) or -1 when no hold is left}
local now = tonumber(ARGV[1])
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local fields = {}
for _, id in ipairs(due) do
  local record = redis.call('HGET', KEYS[1], id)
  if record then
    local hold = cjson.decode(record)
    fields[hold.bucket .. '\n' .. hold.field] = {hold.bucket, hold.field}
    redis.call('HDEL', KEYS[1], id)
  end
  redis.call('ZREM', KEYS[2], id)
end
for _, bf in pairs(fields) do
  local text = redis.call('HGET', bf[1], bf[2])
  if text then
    local running, n = {}, 0
    for entry in string.gmatch(text, '[^,]+') do
      local colon = string.find(entry, ':', 1, true)
      if tonumber(string.sub(entry, 1, colon - 1)) > now then n = n + 1; running[n] = entry end
    end
    if n == 0 then redis.call('HDEL', bf[1], bf[2])
    elseif n < select(2, string.gsub(text, ',', ',')) + 1 then
      redis.call('HSET', bf[1], bf[2], table.concat(running, ','))
    end
  end
end
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
return {#due, first[2] and tonumber(first[2]) or -1}
