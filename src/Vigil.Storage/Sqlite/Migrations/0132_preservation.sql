-- Preservation of removed content (TCO Art 6) and holds beyond it; purged_at: when retention deleted an item's text,
-- metadata and part bytes (its hashes, result, decisions and audit entries stay).
ALTER TABLE content_items ADD COLUMN purged_at INTEGER;

CREATE TABLE preservations (
    content_id     INTEGER PRIMARY KEY REFERENCES content_items (id),
    basis          TEXT NOT NULL,
    reference      TEXT NOT NULL,
    removed_at     INTEGER NOT NULL,
    preserve_until INTEGER NOT NULL,
    purged_at      INTEGER
);

CREATE TABLE preservation_holds (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    content_id  INTEGER NOT NULL REFERENCES content_items (id),
    reason      TEXT NOT NULL,
    hold_until  INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    released_by TEXT,
    released_at INTEGER
);
CREATE INDEX ix_preservation_holds_content ON preservation_holds (content_id);
