-- +goose Up
CREATE TABLE notifications (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    student_no VARCHAR(32) NOT NULL,
    outbox_id BIGINT NOT NULL,
    kind VARCHAR(32) NOT NULL,
    stage VARCHAR(32) NOT NULL DEFAULT '',
    title VARCHAR(100) NOT NULL,
    body VARCHAR(1000) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_notifications_outbox (outbox_id),
    KEY idx_notifications_student (student_no, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE notifications;
