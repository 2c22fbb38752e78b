-- Review cases (one per flagged content item) and the moderators' decisions on them.
-- labels is ',a,b,' so that one label is found with LIKE '%,a,%'.
CREATE TABLE cases (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    content_id       INTEGER NOT NULL REFERENCES content_items (id),
    queue            TEXT NOT NULL,
    priority         INTEGER NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    verdict          TEXT NOT NULL,
    action           TEXT NOT NULL,
    labels           TEXT NOT NULL,
    language         TEXT,
    threat_to_life   INTEGER NOT NULL DEFAULT 0,
    policy_version   TEXT NOT NULL,
    opened_at        INTEGER NOT NULL,
    claimed_by       TEXT,
    lease_expires_at INTEGER,
    closed_at        INTEGER
);
CREATE INDEX ix_cases_queue ON cases (state, queue, priority DESC, opened_at);
CREATE INDEX ix_cases_priority ON cases (state, priority DESC, opened_at);
CREATE INDEX ix_cases_content ON cases (content_id);

CREATE TABLE decisions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id        INTEGER NOT NULL REFERENCES cases (id),
    content_id     INTEGER NOT NULL REFERENCES content_items (id),
    decision       TEXT NOT NULL,
    reason         TEXT NOT NULL,
    decided_by     TEXT NOT NULL,
    decided_at     INTEGER NOT NULL,
    policy_version TEXT NOT NULL
);
CREATE INDEX ix_decisions_case ON decisions (case_id);
