-- +goose Up
CREATE TABLE subscriptions (
    openid VARCHAR(64) NOT NULL,
    template_id VARCHAR(64) NOT NULL,
    quota INT NOT NULL DEFAULT 0,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (openid, template_id)
);

-- +goose Down
DROP TABLE subscriptions;
