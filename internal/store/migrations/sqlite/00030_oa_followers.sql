-- +goose Up
CREATE TABLE oa_followers (
    unionid VARCHAR(64) NOT NULL PRIMARY KEY,
    oa_openid VARCHAR(64) NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX idx_oa_followers_openid ON oa_followers (oa_openid);

-- +goose Down
DROP TABLE oa_followers;
