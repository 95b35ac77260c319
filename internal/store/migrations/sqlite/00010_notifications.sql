-- +goose Up
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    student_no VARCHAR(32) NOT NULL,
    outbox_id BIGINT NOT NULL,
    kind VARCHAR(32) NOT NULL,
    stage VARCHAR(32) NOT NULL DEFAULT '',
    title VARCHAR(100) NOT NULL,
    body VARCHAR(1000) NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_notifications_outbox ON notifications (outbox_id);
CREATE INDEX idx_notifications_student ON notifications (student_no, id);

-- +goose Down
DROP TABLE notifications;
