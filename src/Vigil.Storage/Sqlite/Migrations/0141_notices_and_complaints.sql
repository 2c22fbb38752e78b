-- Notices (DSA Art 16) about content, and complaints (DSA Art 20; TCO Art 10) against decisions.
-- A notice is answered by the decision on its content (decision_id); a complaint is decided in its appeals case by someone
-- other than original_decider, by deadline_at when the TCO's two weeks apply.
CREATE TABLE notices (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    content_id      INTEGER NOT NULL REFERENCES content_items (id),
    case_id         INTEGER REFERENCES cases (id),
    location        TEXT NOT NULL,
    explanation     TEXT NOT NULL,
    category        TEXT,
    notifier_name   TEXT,
    notifier_email  TEXT,
    good_faith      INTEGER NOT NULL,
    trusted_flagger INTEGER NOT NULL,
    received_at     INTEGER NOT NULL,
    submitted_by    TEXT NOT NULL,
    decision_id     INTEGER REFERENCES decisions (id),
    decided_at      INTEGER
);
CREATE INDEX ix_notices_content ON notices (content_id);
CREATE INDEX ix_notices_received ON notices (received_at);

CREATE TABLE complaints (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_id      INTEGER NOT NULL REFERENCES decisions (id),
    content_id       INTEGER NOT NULL REFERENCES content_items (id),
    case_id          INTEGER NOT NULL REFERENCES cases (id),
    complainant      TEXT NOT NULL CHECK (complainant IN ('uploader', 'notifier')),
    explanation      TEXT NOT NULL,
    original_decider TEXT NOT NULL,
    received_at      INTEGER NOT NULL,
    deadline_at      INTEGER,
    submitted_by     TEXT NOT NULL,
    outcome          TEXT CHECK (outcome IN ('upheld', 'reversed')),
    decided_by       TEXT,
    decided_at       INTEGER
);
CREATE INDEX ix_complaints_decision ON complaints (decision_id);
CREATE INDEX ix_complaints_received ON complaints (received_at);
