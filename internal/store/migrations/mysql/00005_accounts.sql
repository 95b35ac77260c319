-- +goose Up
CREATE TABLE accounts (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(64) NOT NULL,
    role VARCHAR(16) NOT NULL,
    stage VARCHAR(32) NOT NULL DEFAULT '',
    campus VARCHAR(16) NOT NULL DEFAULT '',
    college VARCHAR(100) NOT NULL DEFAULT '',
    staff_no VARCHAR(32) NOT NULL DEFAULT '',
    openid VARCHAR(64) NULL,
    invite_hash CHAR(64) NULL,
    invite_expires_at DATETIME(6) NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_accounts_openid (openid),
    UNIQUE KEY uq_accounts_invite (invite_hash),
    KEY idx_accounts_staff_no (staff_no, role)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE accounts;
