-- +goose Up
CREATE TABLE nonces (
    key_id VARCHAR(64) NOT NULL,
    nonce VARCHAR(64) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    PRIMARY KEY (key_id, nonce),
    KEY idx_nonces_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE nonces;
