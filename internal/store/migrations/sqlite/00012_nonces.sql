-- +goose Up
CREATE TABLE nonces (
    key_id VARCHAR(64) NOT NULL,
    nonce VARCHAR(64) NOT NULL,
    expires_at DATETIME NOT NULL,
    PRIMARY KEY (key_id, nonce)
);
CREATE INDEX idx_nonces_expires ON nonces (expires_at);

-- +goose Down
DROP TABLE nonces;
