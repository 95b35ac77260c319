-- +goose Up
CREATE TABLE wechat_users (
    openid VARCHAR(64) NOT NULL PRIMARY KEY,
    unionid VARCHAR(64) NOT NULL DEFAULT '',
    oa_openid VARCHAR(64) NOT NULL DEFAULT '',
    student_no VARCHAR(32) NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_wechat_users_student ON wechat_users (student_no);
CREATE INDEX idx_wechat_users_unionid ON wechat_users (unionid);

-- +goose Down
DROP TABLE wechat_users;
