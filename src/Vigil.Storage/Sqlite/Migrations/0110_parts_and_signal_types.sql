-- Content parts: an item's binary parts (images, and later document pages or frames) move out of the content_items
-- columns and content_images into one table, one row per part.
CREATE TABLE content_parts (
    content_id INTEGER NOT NULL REFERENCES content_items (id),
    part_id    TEXT NOT NULL,
    type       TEXT NOT NULL,
    media_type TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    length     INTEGER NOT NULL,
    parent_id  TEXT,
    name       TEXT,
    bytes      BLOB,
    PRIMARY KEY (content_id, part_id)
);
CREATE INDEX ix_content_parts_sha256 ON content_parts (sha256);
INSERT INTO content_parts (content_id, part_id, type, media_type, sha256, length, bytes)
SELECT c.id, 'image', 'image', coalesce(c.image_media_type, 'application/octet-stream'), c.image_sha256, coalesce(c.image_length, length(i.bytes)), i.bytes
FROM content_items c JOIN content_images i ON i.content_id = c.id;
DROP TABLE content_images;
DROP INDEX ix_content_items_image;
ALTER TABLE content_items DROP COLUMN image_sha256;
ALTER TABLE content_items DROP COLUMN image_media_type;
ALTER TABLE content_items DROP COLUMN image_length;

-- Signal types are a registry, not a fixed list: bank settings become one JSON object per signal type (PDQ's threshold
-- and minimum quality among them), and entries may be of any registered type (no CHECK constraint names them).
ALTER TABLE hash_banks ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
-- What a match in the bank asks the policy to do at least (null: the policy decides; a match is reviewed at least).
ALTER TABLE hash_banks ADD COLUMN on_match TEXT;
UPDATE hash_banks SET settings = json_object('pdq', json_object('threshold', pdq_threshold, 'min_quality', min_quality))
WHERE pdq_threshold <> 31 OR min_quality <> 50;
ALTER TABLE hash_banks DROP COLUMN pdq_threshold;
ALTER TABLE hash_banks DROP COLUMN min_quality;

CREATE TABLE hash_bank_entries_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    bank_id      INTEGER NOT NULL REFERENCES hash_banks (id) ON DELETE CASCADE,
    signal_type  TEXT NOT NULL,
    value        TEXT NOT NULL,
    source       TEXT,
    external_id  TEXT,
    organisation TEXT,
    ideology     TEXT,
    category     TEXT,
    tags         TEXT,
    opinion      TEXT NOT NULL DEFAULT 'positive' CHECK (opinion IN ('positive', 'investigate', 'false_positive')),
    confidence   REAL CHECK (confidence IS NULL OR confidence BETWEEN 0 AND 1),
    file_type    TEXT,
    created_on   INTEGER,
    updated_on   INTEGER,
    added_at     INTEGER NOT NULL,
    UNIQUE (bank_id, signal_type, value)
);
INSERT INTO hash_bank_entries_new SELECT id, bank_id, signal_type, value, source, external_id, organisation, ideology, category, tags,
    opinion, confidence, file_type, created_on, updated_on, added_at FROM hash_bank_entries;
DROP TABLE hash_bank_entries;
ALTER TABLE hash_bank_entries_new RENAME TO hash_bank_entries;
CREATE INDEX ix_hash_bank_entries_value ON hash_bank_entries (signal_type, value);

-- The outbox may be shared by several dispatchers: each leases the deliveries it sends.
ALTER TABLE webhook_outbox ADD COLUMN leased_by TEXT;
ALTER TABLE webhook_outbox ADD COLUMN lease_expires_at INTEGER;
