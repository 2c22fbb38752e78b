-- The role 'compliance' (removal orders, preservation holds, notices, complaints, reports): SQLite cannot alter a CHECK
-- constraint, so the users table is rebuilt with the new list (nothing references it by foreign key).
CREATE TABLE users_new (
    username      TEXT PRIMARY KEY COLLATE NOCASE,
    display_name  TEXT,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'moderator', 'analyst', 'compliance')),
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    disabled_at   INTEGER
);
INSERT INTO users_new (username, display_name, role, password_hash, created_at, disabled_at)
SELECT username, display_name, role, password_hash, created_at, disabled_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
