-- +goose Up
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(64) NOT NULL,
    role VARCHAR(16) NOT NULL,
    stage VARCHAR(32) NOT NULL DEFAULT '',
    campus VARCHAR(16) NOT NULL DEFAULT '',
    college VARCHAR(100) NOT NULL DEFAULT '',
    staff_no VARCHAR(32) NOT NULL DEFAULT '',
    openid VARCHAR(64) NULL,
    invite_hash CHAR(64) NULL,
    invite_expires_at DATETIME NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_accounts_openid ON accounts (openid);
CREATE UNIQUE INDEX uq_accounts_invite ON accounts (invite_hash);
CREATE INDEX idx_accounts_staff_no ON accounts (staff_no, role);

-- +goose Down
DROP TABLE accounts;
