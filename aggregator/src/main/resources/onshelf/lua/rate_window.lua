-- One request counted in a client's fixed window (ONSHELF_RATE_LIMIT_SHARED).
-- KEYS[1] onshelf:rate:{client}:{epochSecond}   ARGV[1] the key's lifetime in ms (longer than the window)
-- Returns {count}: the client's requests in this window, this one included, across every API process.
local n = redis.call('INCR', KEYS[1])
if n == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return {n}
