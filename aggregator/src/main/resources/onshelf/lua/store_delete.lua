-- Deletes a store's keys of fixed names (DELETE /v1/admin/stores/{store}), in one atomic step: the
-- store's hash goes with them, so apply.lua refuses every later event (store.unknown, dead-lettered in
-- the global stream) and writes nothing. The caller then takes the store out of the global indexes and
-- deletes its keys of variable names (idempotency, holds' keys, webhook subscriptions: all expiring).
-- KEYS: every fixed key of the store (Keys.fixedKeys), all in its slot.   Returns how many existed.
return {redis.call('UNLINK', unpack(KEYS))}
