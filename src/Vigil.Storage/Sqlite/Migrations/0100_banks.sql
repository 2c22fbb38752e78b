-- Hash banks (Vigil.Media.Banks): named sets of known content hashes, and their entries.
-- Times are Unix milliseconds (UTC). Names are unique regardless of case.
CREATE TABLE hash_banks (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL COLLATE NOCASE UNIQUE,
    description   TEXT,
    enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    allow_list    INTEGER NOT NULL DEFAULT 0 CHECK (allow_list IN (0, 1)),
    pdq_threshold INTEGER NOT NULL DEFAULT 31 CHECK (pdq_threshold BETWEEN 0 AND 63),
    min_quality   INTEGER NOT NULL DEFAULT 50 CHECK (min_quality BETWEEN 0 AND 100),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE hash_bank_entries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    bank_id      INTEGER NOT NULL REFERENCES hash_banks (id) ON DELETE CASCADE,
    signal_type  TEXT NOT NULL CHECK (signal_type IN ('pdq', 'md5', 'sha256')),
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
CREATE INDEX ix_hash_bank_entries_value ON hash_bank_entries (signal_type, value);
