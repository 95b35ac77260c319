-- +goose Up
CREATE TABLE outbox (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    batch_id BIGINT NOT NULL,
    student_no VARCHAR(32) NOT NULL,
    kind VARCHAR(32) NOT NULL,
    stage VARCHAR(32) NOT NULL DEFAULT '',
    payload TEXT NOT NULL,
    dedupe_key VARCHAR(128) NOT NULL,
    status VARCHAR(16) NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at DATETIME(6) NOT NULL,
    lease_owner VARCHAR(64) NOT NULL DEFAULT '',
    lease_until DATETIME(6) NULL,
    last_error VARCHAR(1000) NOT NULL DEFAULT '',
    delivered_via VARCHAR(32) NOT NULL DEFAULT '',
    created_at DATETIME(6) NOT NULL,
    sent_at DATETIME(6) NULL,
    UNIQUE KEY uq_outbox_dedupe (dedupe_key),
    KEY idx_outbox_due (status, next_attempt_at),
    KEY idx_outbox_student (student_no, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE outbox;
