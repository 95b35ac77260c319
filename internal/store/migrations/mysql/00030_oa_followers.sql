-- +goose Up
CREATE TABLE oa_followers (
    unionid VARCHAR(64) NOT NULL PRIMARY KEY,
    oa_openid VARCHAR(64) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    KEY idx_oa_followers_openid (oa_openid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE oa_followers;
