-- +goose Up
CREATE TABLE stage_counts (
    batch_id BIGINT NOT NULL,
    college VARCHAR(100) NOT NULL,
    stage VARCHAR(32) NOT NULL,
    status VARCHAR(16) NOT NULL,
    n INT NOT NULL,
    PRIMARY KEY (batch_id, college, stage, status)
);

-- +goose Down
DROP TABLE stage_counts;
