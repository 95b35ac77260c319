-- +goose Up
CREATE TABLE bind_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    openid VARCHAR(64) NOT NULL,
    student_no VARCHAR(32) NOT NULL,
    at DATETIME NOT NULL
);
CREATE INDEX idx_bind_failures_openid ON bind_failures (openid, at);
CREATE INDEX idx_bind_failures_student ON bind_failures (student_no, at);

-- +goose Down
DROP TABLE bind_failures;
