-- Statements of reasons (DSA Art 17): one per restricting decision; the PUID is never reused.
-- disclose_at: when the platform may show it to its user (an order may withhold it); disclosed_at: when the webhook went.
-- submission_*: the outcome of submitting it to the EU DSA Transparency Database.
CREATE TABLE statements_of_reasons (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    puid              TEXT NOT NULL UNIQUE,
    decision_id       INTEGER REFERENCES decisions (id),
    content_id        INTEGER NOT NULL REFERENCES content_items (id),
    json              TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    disclose_at       INTEGER,
    disclosed_at      INTEGER,
    submission_status TEXT CHECK (submission_status IN ('submitted', 'duplicate', 'rejected')),
    submitted_at      INTEGER,
    submission_error  TEXT
);
CREATE INDEX ix_statements_created ON statements_of_reasons (created_at);
CREATE INDEX ix_statements_content ON statements_of_reasons (content_id);
CREATE INDEX ix_statements_undisclosed ON statements_of_reasons (disclose_at) WHERE disclosed_at IS NULL;
