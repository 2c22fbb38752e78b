-- The role 'compliance' (removal orders, preservation holds, notices, complaints, reports).
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'moderator', 'analyst', 'compliance'));
