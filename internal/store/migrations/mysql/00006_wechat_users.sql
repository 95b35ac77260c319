-- +goose Up
CREATE TABLE wechat_users (
    openid VARCHAR(64) NOT NULL PRIMARY KEY,
    unionid VARCHAR(64) NOT NULL DEFAULT '',
    oa_openid VARCHAR(64) NOT NULL DEFAULT '',
    student_no VARCHAR(32) NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_wechat_users_student (student_no),
    KEY idx_wechat_users_unionid (unionid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE wechat_users;
