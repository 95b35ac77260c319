-- +goose Up
CREATE TABLE bind_failures (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    openid VARCHAR(64) NOT NULL,
    student_no VARCHAR(32) NOT NULL,
    at DATETIME(6) NOT NULL,
    KEY idx_bind_failures_openid (openid, at),
    KEY idx_bind_failures_student (student_no, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE bind_failures;
