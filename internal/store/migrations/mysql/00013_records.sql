-- +goose Up
CREATE TABLE records (
    batch_id BIGINT NOT NULL,
    student_no VARCHAR(32) NOT NULL,
    system VARCHAR(16) NOT NULL,
    payload TEXT NOT NULL,
    as_of DATETIME(6) NOT NULL,
    received_at DATETIME(6) NOT NULL,
    PRIMARY KEY (batch_id, student_no, system)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE records;
