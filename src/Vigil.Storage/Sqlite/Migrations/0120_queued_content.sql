-- Content submitted through the work queue (vigil serve --queue) is stored before it is assessed: its status is
-- 'pending' until a worker stores the result (then 'assessed'; every item stored before had its result at once).
-- A pending item's summary columns hold placeholders and its result is empty: the status says which is the case.
ALTER TABLE content_items ADD COLUMN status TEXT NOT NULL DEFAULT 'assessed' CHECK (status IN ('pending', 'assessed'));
-- Ingestion is idempotent on a key (the platform's content id on the queue path, or an Idempotency-Key header): a
-- second submission with the same key is the same item.
ALTER TABLE content_items ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX ux_content_items_idempotency ON content_items (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ix_content_items_pending ON content_items (received_at) WHERE status = 'pending';
