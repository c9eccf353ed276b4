-- Ends a hold: released (DELETE) or collected (after its sale went through the pipeline). Its units go
-- back: one entry "expiresAt:qty" of it leaves the product's held field (entries past expiry go too).
-- KEYS[1] onshelf:{S}:holds   KEYS[2] onshelf:{S}:holds:exp   KEYS[3] onshelf:{S}:p:<bucket> of its product
-- KEYS[4] onshelf:{S}:collected:<id>
-- ARGV[1] hold id   ARGV[2] now (ms)   ARGV[3] the product's held field   ARGV[4] 'release' | 'collect'
-- ARGV[5] how long a collected hold is remembered (s)
-- Returns {'ended', record} | {'expired', record} (it had run out: cleaned up, nothing given back that
-- still counted) | {'gone'} (no such hold)
local record = redis.call('HGET', KEYS[1], ARGV[1])
if not record then return {'gone'} end
local hold = cjson.decode(record)
local now = tonumber(ARGV[2])
local text = redis.call('HGET', KEYS[3], ARGV[3])
if text then
  local running, n, removed = {}, 0, false
  for entry in string.gmatch(text, '[^,]+') do
    local colon = string.find(entry, ':', 1, true)
    if not removed and entry == hold.entry then
      removed = true
    elseif tonumber(string.sub(entry, 1, colon - 1)) > now then
      n = n + 1; running[n] = entry
    end
  end
  if n == 0 then redis.call('HDEL', KEYS[3], ARGV[3])
  else redis.call('HSET', KEYS[3], ARGV[3], table.concat(running, ',')) end
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if tonumber(hold.expiresAt) <= now then return {'expired', record} end
if ARGV[4] == 'collect' then redis.call('SET', KEYS[4], record, 'EX', ARGV[5]) end
return {'ended', record}
