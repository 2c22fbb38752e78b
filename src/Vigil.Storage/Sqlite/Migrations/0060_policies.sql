-- Every policy the service has run with, so that a change of the policy file is noticed (and audited) at start-up.
CREATE TABLE policies (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    version   TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    json      TEXT NOT NULL,
    loaded_at INTEGER NOT NULL
);
