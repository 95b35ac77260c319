-- +goose Up
CREATE TABLE reminders (
    batch_id BIGINT NOT NULL,
    student_no VARCHAR(32) NOT NULL,
    day DATE NOT NULL,
    PRIMARY KEY (batch_id, student_no, day)
);

-- +goose Down
DROP TABLE reminders;
