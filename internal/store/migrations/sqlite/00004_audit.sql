-- +goose Up
CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id BIGINT NOT NULL,
    student_no VARCHAR(32) NOT NULL,
    stage VARCHAR(32) NOT NULL,
    from_status VARCHAR(16) NOT NULL,
    to_status VARCHAR(16) NOT NULL,
    reason VARCHAR(500) NOT NULL DEFAULT '',
    actor_id VARCHAR(64) NOT NULL,
    actor_name VARCHAR(64) NOT NULL DEFAULT '',
    actor_role VARCHAR(16) NOT NULL DEFAULT '',
    channel VARCHAR(16) NOT NULL,
    source VARCHAR(16) NOT NULL,
    at DATETIME NOT NULL
);
CREATE INDEX idx_audit_student ON audit (student_no, id);
CREATE INDEX idx_audit_batch ON audit (batch_id, id);

-- +goose Down
DROP TABLE audit;
