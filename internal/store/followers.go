package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// FollowOfficialAccount records that the WeChat user with unionid follows
// the official account as oaOpenID, and links it to the mini-program
// account with the same unionid. The follower row is kept even when no
// mini-program account has that unionid yet (a student who followed before
// first logging in), so delivery can still find it later (OAOpenIDOf).
func (s *DB) FollowOfficialAccount(ctx context.Context, unionid, oaOpenID string, now time.Time) (linked int64, err error) {
	if unionid == "" || oaOpenID == "" {
		return 0, errors.New("follow official account: unionid and openid are required")
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO oa_followers (unionid, oa_openid, updated_at) VALUES (?, ?, ?)`+
			s.d.upsert([]string{"unionid"}, []string{"oa_openid", "updated_at"}), unionid, oaOpenID, utc(now)); err != nil {
			return fmt.Errorf("follow official account: %w", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE wechat_users SET oa_openid = ?, updated_at = ? WHERE unionid = ?`,
			oaOpenID, utc(now), unionid)
		if err != nil {
			return fmt.Errorf("follow official account: link: %w", err)
		}
		linked, err = res.RowsAffected()
		return err
	})
	return linked, err
}

// UnfollowOfficialAccount forgets the official-account openid everywhere:
// template messages can no longer reach it.
func (s *DB) UnfollowOfficialAccount(ctx context.Context, oaOpenID string, now time.Time) (unlinked int64, err error) {
	if oaOpenID == "" {
		return 0, errors.New("unfollow official account: openid is required")
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM oa_followers WHERE oa_openid = ?`, oaOpenID); err != nil {
			return fmt.Errorf("unfollow official account: %w", err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE wechat_users SET oa_openid = '', updated_at = ? WHERE oa_openid = ?`,
			utc(now), oaOpenID)
		if err != nil {
			return fmt.Errorf("unfollow official account: unlink: %w", err)
		}
		unlinked, err = res.RowsAffected()
		return err
	})
	return unlinked, err
}

// OAOpenIDOf returns the official-account openid of a follower, or "".
func (s *DB) OAOpenIDOf(ctx context.Context, unionid string) (string, error) {
	if unionid == "" {
		return "", nil
	}
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT oa_openid FROM oa_followers WHERE unionid = ?`, unionid).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("official account follower: %w", err)
	}
	return id, nil
}
