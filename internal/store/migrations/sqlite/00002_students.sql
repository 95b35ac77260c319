-- +goose Up
CREATE TABLE students (
    batch_id BIGINT NOT NULL,
    student_no VARCHAR(32) NOT NULL,
    name VARCHAR(64) NOT NULL,
    college VARCHAR(100) NOT NULL,
    degree VARCHAR(16) NOT NULL,
    departure_type VARCHAR(16) NOT NULL,
    campus VARCHAR(16) NOT NULL,
    supervisor_staff_no VARCHAR(32) NOT NULL DEFAULT '',
    party_member BOOLEAN NOT NULL DEFAULT FALSE,
    has_loan BOOLEAN NOT NULL DEFAULT FALSE,
    id_hash CHAR(64) NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (batch_id, student_no),
    CONSTRAINT fk_students_batch FOREIGN KEY (batch_id) REFERENCES batches (id)
);
CREATE INDEX idx_students_college ON students (batch_id, college);
CREATE INDEX idx_students_supervisor ON students (supervisor_staff_no);
CREATE INDEX idx_students_no ON students (student_no);

-- +goose Down
DROP TABLE students;
