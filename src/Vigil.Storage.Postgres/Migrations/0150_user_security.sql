-- User lifecycle and sessions (issue 17): a security stamp that changes whenever a user's access changes (disabled,
-- role, password, sign-out everywhere), a password the user must replace at next sign-in, TOTP two-factor with hashed
-- recovery codes, and the sessions signed in (ended server-side, so that a copied cookie stops working).
ALTER TABLE users ADD COLUMN security_stamp text NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN must_change_password bigint NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_secret text;
ALTER TABLE users ADD COLUMN totp_enabled_at bigint;
ALTER TABLE users ADD COLUMN recovery_codes text NOT NULL DEFAULT '';

CREATE TABLE user_sessions (
    id         text PRIMARY KEY,
    username   text NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    address    text,
    via        text NOT NULL,
    ended_at   bigint
);
CREATE INDEX ix_user_sessions_username ON user_sessions (lower(username));
