-- The webhook outbox is a queue: every delivery updates its row out of the partial index of due messages
-- (ix_webhook_outbox_due), which leaves a dead index entry until the table is vacuumed. With PostgreSQL's default
-- (vacuum after 20% of the table changed) each scan for due messages read hundreds of dead entries in a busy minute
-- (bench/queue.sh soak). Vacuum this table after a fixed number of changed rows instead of a share of its size.
ALTER TABLE webhook_outbox SET (
    autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 1000,
    autovacuum_vacuum_cost_delay = 0
);
