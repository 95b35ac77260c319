-- +goose Up
CREATE TABLE clearances (
    batch_id BIGINT NOT NULL,
    student_no VARCHAR(32) NOT NULL,
    stage VARCHAR(32) NOT NULL,
    status VARCHAR(16) NOT NULL,
    reason VARCHAR(500) NOT NULL DEFAULT '',
    source VARCHAR(16) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    updated_by VARCHAR(64) NOT NULL DEFAULT '',
    data_as_of DATETIME(6) NULL,
    PRIMARY KEY (batch_id, student_no, stage),
    KEY idx_clearances_stage (batch_id, stage, status),
    CONSTRAINT fk_clearances_student FOREIGN KEY (batch_id, student_no) REFERENCES students (batch_id, student_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE clearances;
