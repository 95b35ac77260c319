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
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    PRIMARY KEY (batch_id, student_no),
    KEY idx_students_college (batch_id, college),
    KEY idx_students_supervisor (supervisor_staff_no),
    KEY idx_students_no (student_no),
    CONSTRAINT fk_students_batch FOREIGN KEY (batch_id) REFERENCES batches (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE students;
