-- TCO removal orders (EU Regulation 2021/784, Art 3): the order as received, the URLs or content ids it covers (resolved
-- or not), the order document, the clock's stops (JSON: ground, explanation, stopped_at, resumed_at in Unix ms) and the
-- warnings announced (JSON: ms into the running hour).
CREATE TABLE removal_orders (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    reference      TEXT NOT NULL,
    member_state   TEXT NOT NULL,
    authority      TEXT NOT NULL,
    contact_point  TEXT,
    issued_at      INTEGER NOT NULL,
    received_at    INTEGER NOT NULL,
    reasons        TEXT NOT NULL,
    withheld_until INTEGER,
    stops          TEXT NOT NULL,
    warnings_sent  TEXT NOT NULL,
    executed_at    INTEGER,
    executed_by    TEXT,
    breached_at    INTEGER,
    logged_by      TEXT NOT NULL,
    logged_at      INTEGER NOT NULL
);
CREATE INDEX ix_removal_orders_received ON removal_orders (received_at);

CREATE TABLE removal_order_targets (
    order_id   INTEGER NOT NULL REFERENCES removal_orders (id),
    position   INTEGER NOT NULL,
    location   TEXT NOT NULL,
    content_id INTEGER REFERENCES content_items (id),
    case_id    INTEGER REFERENCES cases (id),
    removed_at INTEGER,
    PRIMARY KEY (order_id, position)
);

CREATE TABLE removal_order_documents (
    order_id   INTEGER PRIMARY KEY REFERENCES removal_orders (id),
    media_type TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    length     INTEGER NOT NULL,
    name       TEXT,
    bytes      BLOB NOT NULL
);
