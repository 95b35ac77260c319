-- +goose Up
CREATE TABLE subscriptions (
    openid VARCHAR(64) NOT NULL,
    template_id VARCHAR(64) NOT NULL,
    quota INT NOT NULL DEFAULT 0,
    updated_at DATETIME(6) NOT NULL,
    PRIMARY KEY (openid, template_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- +goose Down
DROP TABLE subscriptions;
