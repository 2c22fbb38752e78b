-- Reviewers (cookie sign-in) and API keys (hashed), and what each reviewer has been exposed to per day.
-- User names are unique regardless of case (the unique indexes on lower(username)), as SQLite's COLLATE NOCASE.
CREATE TABLE users (
    username      text PRIMARY KEY,
    display_name  text,
    role          text NOT NULL CHECK (role IN ('admin', 'moderator', 'analyst')),
    password_hash text NOT NULL,
    created_at    bigint NOT NULL,
    disabled_at   bigint
);
CREATE UNIQUE INDEX ux_users_username ON users (lower(username));

CREATE TABLE api_keys (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    scopes     text NOT NULL,
    key_hash   text NOT NULL,
    created_by text NOT NULL,
    created_at bigint NOT NULL,
    revoked_at bigint
);

CREATE TABLE reviewer_exposure (
    username text NOT NULL,
    day      text NOT NULL,
    case_id  bigint NOT NULL,
    seen_at  bigint NOT NULL
);
CREATE UNIQUE INDEX ux_reviewer_exposure ON reviewer_exposure (lower(username), day, case_id);
