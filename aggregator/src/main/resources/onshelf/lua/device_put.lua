-- Registers a device in its store, if the store is registered: atomically, so a store deleted meanwhile
-- never gets a device back. A device is (store, device id): every store may have its own till-1.
-- KEYS[1] onshelf:{S}:store   KEYS[2] onshelf:{S}:devices   ARGV[1] device id   ARGV[2] shelf|feed
-- Returns -1 (store unknown), 1 (created) or 0 (updated).
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
return {redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])}
