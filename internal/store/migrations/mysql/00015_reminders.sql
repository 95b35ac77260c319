-- +goose Up
CREATE TABLE reminders (
    batch_id BIGINT NOT NULL,
    student_no VARCHAR(32) NOT NULL,
    day DATE NOT NULL,
    PRIMARY KEY (batch_id, student_no, day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE reminders;
