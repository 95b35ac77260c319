-- +goose Up
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id BIGINT NOT NULL,
    student_no VARCHAR(32) NOT NULL,
    kind VARCHAR(32) NOT NULL,
    stage VARCHAR(32) NOT NULL DEFAULT '',
    payload TEXT NOT NULL,
    dedupe_key VARCHAR(128) NOT NULL,
    status VARCHAR(16) NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    lease_owner VARCHAR(64) NOT NULL DEFAULT '',
    lease_until DATETIME NULL,
    last_error VARCHAR(1000) NOT NULL DEFAULT '',
    delivered_via VARCHAR(32) NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    sent_at DATETIME NULL
);
CREATE UNIQUE INDEX uq_outbox_dedupe ON outbox (dedupe_key);
CREATE INDEX idx_outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX idx_outbox_student ON outbox (student_no, id);

-- +goose Down
DROP TABLE outbox;
