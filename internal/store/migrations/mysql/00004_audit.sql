-- +goose Up
CREATE TABLE audit (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
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
    at DATETIME(6) NOT NULL,
    KEY idx_audit_student (student_no, id),
    KEY idx_audit_batch (batch_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE audit;
