-- +goose Up
INSERT INTO stage_counts (batch_id, college, stage, status, n)
SELECT c.batch_id, s.college, c.stage, c.status, COUNT(*) FROM clearances c
JOIN students s ON s.batch_id = c.batch_id AND s.student_no = c.student_no
GROUP BY c.batch_id, s.college, c.stage, c.status;

-- +goose Down
DELETE FROM stage_counts;
