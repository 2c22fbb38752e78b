-- Reviewers (cookie sign-in) and API keys (hashed), and what each reviewer has been exposed to per day.
CREATE TABLE users (
    username      TEXT PRIMARY KEY COLLATE NOCASE,
    display_name  TEXT,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'moderator', 'analyst')),
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    disabled_at   INTEGER
);

CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    key_hash   TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE reviewer_exposure (
    username TEXT NOT NULL COLLATE NOCASE,
    day      TEXT NOT NULL,
    case_id  INTEGER NOT NULL,
    seen_at  INTEGER NOT NULL,
    PRIMARY KEY (username, day, case_id)
);
