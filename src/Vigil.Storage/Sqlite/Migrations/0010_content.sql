-- Content items submitted by platforms, with the detectors' result (verdict, signals, action) at submission time.
-- Times are Unix milliseconds (UTC).
CREATE TABLE content_items (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    platform_content_id TEXT,
    author_id           TEXT,
    url                 TEXT,
    metadata            TEXT,
    text                TEXT,
    image_sha256        TEXT,
    image_media_type    TEXT,
    image_length        INTEGER,
    received_at         INTEGER NOT NULL,
    submitted_by        TEXT NOT NULL,
    verdict             TEXT NOT NULL,
    action              TEXT NOT NULL,
    rule                TEXT,
    labels              TEXT NOT NULL,
    language            TEXT,
    context             TEXT NOT NULL,
    policy_version      TEXT NOT NULL,
    result              TEXT NOT NULL
);
CREATE INDEX ix_content_items_author ON content_items (author_id, received_at DESC) WHERE author_id IS NOT NULL;
CREATE INDEX ix_content_items_platform ON content_items (platform_content_id) WHERE platform_content_id IS NOT NULL;
CREATE INDEX ix_content_items_image ON content_items (image_sha256) WHERE image_sha256 IS NOT NULL;

CREATE TABLE content_images (
    content_id INTEGER PRIMARY KEY REFERENCES content_items (id),
    bytes      BLOB NOT NULL
);
