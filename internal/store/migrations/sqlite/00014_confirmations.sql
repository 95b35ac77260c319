-- +goose Up
CREATE TABLE confirmations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id BIGINT NOT NULL,
    student_no VARCHAR(32) NOT NULL,
    account_id BIGINT NOT NULL,
    items VARCHAR(500) NOT NULL,
    at DATETIME NOT NULL
);
CREATE INDEX idx_confirmations_student ON confirmations (batch_id, student_no);

-- +goose Down
DROP TABLE confirmations;
