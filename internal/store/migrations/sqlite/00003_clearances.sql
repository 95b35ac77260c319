-- +goose Up
CREATE TABLE clearances (
    batch_id BIGINT NOT NULL,
    student_no VARCHAR(32) NOT NULL,
    stage VARCHAR(32) NOT NULL,
    status VARCHAR(16) NOT NULL,
    reason VARCHAR(500) NOT NULL DEFAULT '',
    source VARCHAR(16) NOT NULL,
    updated_at DATETIME NOT NULL,
    updated_by VARCHAR(64) NOT NULL DEFAULT '',
    data_as_of DATETIME NULL,
    PRIMARY KEY (batch_id, student_no, stage),
    CONSTRAINT fk_clearances_student FOREIGN KEY (batch_id, student_no) REFERENCES students (batch_id, student_no)
);
CREATE INDEX idx_clearances_stage ON clearances (batch_id, stage, status);

-- +goose Down
DROP TABLE clearances;
