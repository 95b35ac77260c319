-- +goose Up
CREATE TABLE batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(100) NOT NULL,
    starts_on DATE NULL,
    ends_on DATE NULL,
    stages_json TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_batches_name ON batches (name);

-- +goose Down
DROP TABLE batches;
