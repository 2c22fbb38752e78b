-- User lifecycle and sessions (issue 17): a security stamp that changes whenever a user's access changes (disabled,
-- role, password, sign-out everywhere), a password the user must replace at next sign-in, TOTP two-factor with hashed
-- recovery codes, and the sessions signed in (ended server-side, so that a copied cookie stops working).
ALTER TABLE users ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at INTEGER;
ALTER TABLE users ADD COLUMN recovery_codes TEXT NOT NULL DEFAULT '';

CREATE TABLE user_sessions (
    id         TEXT PRIMARY KEY,
    username   TEXT NOT NULL COLLATE NOCASE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    address    TEXT,
    via        TEXT NOT NULL,
    ended_at   INTEGER
);
CREATE INDEX ix_user_sessions_username ON user_sessions (username);
