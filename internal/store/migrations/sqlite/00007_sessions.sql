-- +goose Up
CREATE TABLE sessions (
    token_hash CHAR(64) NOT NULL PRIMARY KEY,
    openid VARCHAR(64) NOT NULL,
    expires_at DATETIME NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX idx_sessions_openid ON sessions (openid);
CREATE INDEX idx_sessions_expires ON sessions (expires_at);

-- +goose Down
DROP TABLE sessions;
