package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
)

// Session is a login. Only the hash of its token is stored.
type Session struct {
	TokenHash string
	OpenID    string
	ExpiresAt time.Time
	CreatedAt time.Time
}

// CreateSession stores a new session.
func (s *DB) CreateSession(ctx context.Context, se Session) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (token_hash, openid, expires_at, created_at) VALUES (?, ?, ?, ?)`,
		se.TokenHash, se.OpenID, utc(se.ExpiresAt), utc(se.CreatedAt))
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// Session returns the session with the token hash, expired or not.
func (s *DB) Session(ctx context.Context, tokenHash string) (Session, error) {
	var se Session
	err := s.db.QueryRowContext(ctx, `SELECT token_hash, openid, expires_at, created_at FROM sessions WHERE token_hash = ?`,
		tokenHash).Scan(&se.TokenHash, &se.OpenID, &se.ExpiresAt, &se.CreatedAt)
	se.ExpiresAt, se.CreatedAt = se.ExpiresAt.UTC(), se.CreatedAt.UTC()
	return se, notFound(err, "登录已失效，请重新登录")
}

// DeleteSession revokes one session.
func (s *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return err
}

// DeleteSessionsOf revokes every session of a WeChat account and returns
// their token hashes, so cached copies can be dropped too.
func (s *DB) DeleteSessionsOf(ctx context.Context, openid string) ([]string, error) {
	var hashes []string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT token_hash FROM sessions WHERE openid = ?`, openid)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				return err
			}
			hashes = append(hashes, h)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE openid = ?`, openid)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("delete sessions: %w", err)
	}
	return hashes, nil
}

// SessionHashesOf lists the token hashes of a WeChat account's sessions.
func (s *DB) SessionHashesOf(ctx context.Context, openid string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT token_hash FROM sessions WHERE openid = ?`, openid)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// DeleteExpired removes sessions, nonces and bind failures past their time.
func (s *DB) DeleteExpired(ctx context.Context, now time.Time) error {
	for _, q := range []string{
		`DELETE FROM sessions WHERE expires_at < ?`,
		`DELETE FROM nonces WHERE expires_at < ?`,
	} {
		if _, err := s.db.ExecContext(ctx, q, utc(now)); err != nil {
			return fmt.Errorf("delete expired: %w", err)
		}
	}
	_, err := s.db.ExecContext(ctx, `DELETE FROM bind_failures WHERE at < ?`, utc(now.Add(-24*time.Hour)))
	return err
}

// WeChatUser is a WeChat account that has logged in, and the student bound to it.
type WeChatUser struct {
	OpenID    string
	UnionID   string
	OAOpenID  string // the official account's openid, linked through the unionid
	StudentNo string // empty until bound
}

// TouchWeChatUser records a login, keeping the unionid up to date.
func (s *DB) TouchWeChatUser(ctx context.Context, openid, unionid string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO wechat_users (openid, unionid, created_at, updated_at) VALUES (?, ?, ?, ?)`+
		s.d.upsert([]string{"openid"}, []string{"unionid", "updated_at"}), openid, unionid, utc(now), utc(now))
	if err != nil {
		return fmt.Errorf("touch wechat user: %w", err)
	}
	return nil
}

// WeChatUser returns the WeChat account with openid.
func (s *DB) WeChatUser(ctx context.Context, openid string) (WeChatUser, error) {
	return s.wechatUser(ctx, `openid = ?`, openid)
}

// WeChatUserOfStudent returns the WeChat account bound to a student.
func (s *DB) WeChatUserOfStudent(ctx context.Context, studentNo string) (WeChatUser, error) {
	return s.wechatUser(ctx, `student_no = ?`, studentNo)
}

func (s *DB) wechatUser(ctx context.Context, where string, arg any) (WeChatUser, error) {
	var u WeChatUser
	var no sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT openid, unionid, oa_openid, student_no FROM wechat_users WHERE `+where, arg).
		Scan(&u.OpenID, &u.UnionID, &u.OAOpenID, &no)
	u.StudentNo = no.String
	return u, notFound(err, "微信用户不存在")
}

// BindStudent binds a WeChat account to a student. One account has one
// student and one student has one account.
func (s *DB) BindStudent(ctx context.Context, openid, studentNo string, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var cur sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT student_no FROM wechat_users WHERE openid = ?`+s.d.forUpdate(), openid).Scan(&cur)
		if err != nil {
			return notFound(err, "请先登录")
		}
		if cur.Valid && cur.String != "" {
			if cur.String == studentNo {
				return nil
			}
			return domain.Errorf(domain.CodeConflict, "该微信已绑定学号 %s，如需更换请联系研究生院", cur.String)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE wechat_users SET student_no = ?, updated_at = ? WHERE openid = ?`,
			studentNo, utc(now), openid); err != nil {
			if s.d.isDuplicate(err) {
				return domain.Errorf(domain.CodeConflict, "该学号已绑定其他微信账号，如需更换请联系研究生院")
			}
			return fmt.Errorf("bind student: %w", err)
		}
		return nil
	})
}

// UnbindStudent removes a student's WeChat binding (an admin's re-binding).
func (s *DB) UnbindStudent(ctx context.Context, studentNo string, now time.Time) (openid string, err error) {
	u, err := s.WeChatUserOfStudent(ctx, studentNo)
	if err != nil {
		return "", err
	}
	_, err = s.db.ExecContext(ctx, `UPDATE wechat_users SET student_no = NULL, updated_at = ? WHERE openid = ?`, utc(now), u.OpenID)
	return u.OpenID, err
}

// LinkOfficialAccount records (or with oaOpenID "" clears) the official
// account's openid of the WeChat user with unionid.
func (s *DB) LinkOfficialAccount(ctx context.Context, unionid, oaOpenID string, now time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE wechat_users SET oa_openid = ?, updated_at = ? WHERE unionid = ? AND unionid <> ''`,
		oaOpenID, utc(now), unionid)
	if err != nil {
		return 0, fmt.Errorf("link official account: %w", err)
	}
	return res.RowsAffected()
}

// RecordBindFailure remembers a failed binding attempt.
func (s *DB) RecordBindFailure(ctx context.Context, openid, studentNo string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO bind_failures (openid, student_no, at) VALUES (?, ?, ?)`, openid, studentNo, utc(now))
	return err
}

// BindFailures counts failed attempts since a time, by account and by student number.
func (s *DB) BindFailures(ctx context.Context, openid, studentNo string, since time.Time) (byAccount, byStudent int, err error) {
	if err = s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM bind_failures WHERE openid = ? AND at >= ?`,
		openid, utc(since)).Scan(&byAccount); err != nil {
		return 0, 0, fmt.Errorf("count bind failures: %w", err)
	}
	if err = s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM bind_failures WHERE student_no = ? AND at >= ?`,
		studentNo, utc(since)).Scan(&byStudent); err != nil {
		return 0, 0, fmt.Errorf("count bind failures: %w", err)
	}
	return byAccount, byStudent, nil
}
