-- +goose Up
CREATE TABLE confirmations (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    batch_id BIGINT NOT NULL,
    student_no VARCHAR(32) NOT NULL,
    account_id BIGINT NOT NULL,
    items VARCHAR(500) NOT NULL,
    at DATETIME(6) NOT NULL,
    KEY idx_confirmations_student (batch_id, student_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE confirmations;
