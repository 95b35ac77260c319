-- +goose Up
CREATE TABLE records (
    batch_id BIGINT NOT NULL,
    student_no VARCHAR(32) NOT NULL,
    system VARCHAR(16) NOT NULL,
    payload TEXT NOT NULL,
    as_of DATETIME NOT NULL,
    received_at DATETIME NOT NULL,
    PRIMARY KEY (batch_id, student_no, system)
);

-- +goose Down
DROP TABLE records;
