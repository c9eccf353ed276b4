-- Keeps a refused message in its store's dead letters, if the store is registered: atomically, so a
-- store being deleted never gets its stream back. Returns 1, or 0 when the store is not registered
-- (the caller then keeps the message in the global stream onshelf:deadletter).
-- KEYS[1] onshelf:{S}:store   KEYS[2] onshelf:{S}:deadletter   ARGV[1] the stream's cap (~), then
-- the entry's field, value pairs.
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], '*', unpack(ARGV, 2))
return {1}
