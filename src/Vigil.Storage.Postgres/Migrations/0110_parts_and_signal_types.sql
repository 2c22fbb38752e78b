-- Content parts: an item's binary parts (images, and later document pages or frames), one row per part, in the order
-- they were added (seq).
CREATE TABLE content_parts (
    seq        bigint GENERATED ALWAYS AS IDENTITY,
    content_id bigint NOT NULL REFERENCES content_items (id),
    part_id    text NOT NULL,
    type       text NOT NULL,
    media_type text NOT NULL,
    sha256     text NOT NULL,
    length     bigint NOT NULL,
    parent_id  text,
    name       text,
    bytes      bytea,
    PRIMARY KEY (content_id, part_id)
);
CREATE INDEX ix_content_parts_sha256 ON content_parts (sha256);

-- Signal types are a registry: bank settings are one JSON object per signal type; what a match asks the policy to do
-- at least (null: the policy decides).
ALTER TABLE hash_banks ADD COLUMN settings text NOT NULL DEFAULT '{}';
ALTER TABLE hash_banks ADD COLUMN on_match text;

-- The outbox may be shared by several dispatchers (processes): each leases the deliveries it sends.
ALTER TABLE webhook_outbox ADD COLUMN leased_by text;
ALTER TABLE webhook_outbox ADD COLUMN lease_expires_at bigint;
