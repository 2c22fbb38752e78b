-- The append-only audit log. Each entry's hash is SHA-256 over its fields and the previous entry's hash, so that
-- changing or removing an entry breaks the chain (see AuditChain). The trigger refuses updates, deletes and truncation,
-- whoever asks; appends take an advisory lock on the chain's head first, so that several processes form one chain.
CREATE TABLE audit_log (
    seq       bigint PRIMARY KEY,
    at        bigint NOT NULL,
    actor     text NOT NULL,
    action    text NOT NULL,
    subject   text NOT NULL,
    details   text NOT NULL,
    prev_hash text NOT NULL,
    hash      text NOT NULL
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
