package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lixiao/lixiao/internal/domain"
)

// Account is a staff member, supervisor or administrator, created by an
// administrator and bound to a WeChat account by redeeming an invite.
type Account struct {
	ID              int64
	Name            string
	Role            domain.Role
	Stage           domain.StageCode
	Campus          domain.Campus
	College         string
	StaffNo         string
	OpenID          string // empty until redeemed
	InviteHash      string
	InviteExpiresAt *time.Time
	Disabled        bool
	CreatedAt       time.Time
}

const accountCols = `id, name, role, stage, campus, college, staff_no, openid, invite_hash, invite_expires_at, disabled, created_at`

func scanAccount(row interface{ Scan(...any) error }) (Account, error) {
	var a Account
	var openid, invite sql.NullString
	var exp sql.NullTime
	err := row.Scan(&a.ID, &a.Name, &a.Role, &a.Stage, &a.Campus, &a.College, &a.StaffNo, &openid, &invite,
		&exp, &a.Disabled, &a.CreatedAt)
	a.OpenID, a.InviteHash, a.InviteExpiresAt = openid.String, invite.String, timePtr(exp)
	a.CreatedAt = a.CreatedAt.UTC()
	return a, err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateAccount stores a new account with its invite.
func (s *DB) CreateAccount(ctx context.Context, a *Account) error {
	res, err := s.db.ExecContext(ctx, `INSERT INTO accounts (name, role, stage, campus, college, staff_no, openid,
		invite_hash, invite_expires_at, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.Name, a.Role, a.Stage, a.Campus, a.College, a.StaffNo, nullString(a.OpenID), nullString(a.InviteHash),
		nullTime(a.InviteExpiresAt), a.Disabled, utc(a.CreatedAt))
	if err != nil {
		if s.d.isDuplicate(err) {
			return domain.Errorf(domain.CodeConflict, "该微信账号已绑定其他工作人员账号")
		}
		return fmt.Errorf("create account: %w", err)
	}
	a.ID, err = res.LastInsertId()
	return err
}

// Account returns an account by id.
func (s *DB) Account(ctx context.Context, id int64) (Account, error) {
	a, err := scanAccount(s.db.QueryRowContext(ctx, `SELECT `+accountCols+` FROM accounts WHERE id = ?`, id))
	return a, notFound(err, "账号不存在")
}

// AccountByOpenID returns the account bound to a WeChat openid.
func (s *DB) AccountByOpenID(ctx context.Context, openid string) (Account, error) {
	a, err := scanAccount(s.db.QueryRowContext(ctx, `SELECT `+accountCols+` FROM accounts WHERE openid = ?`, openid))
	return a, notFound(err, "账号不存在")
}

// Accounts lists accounts, optionally of one role, by id.
func (s *DB) Accounts(ctx context.Context, role domain.Role) ([]Account, error) {
	q, args := `SELECT `+accountCols+` FROM accounts`, []any{}
	if role != "" {
		q += ` WHERE role = ?`
		args = append(args, role)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("list accounts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SupervisorStaffNos returns the staff numbers of enabled supervisor accounts.
func (s *DB) SupervisorStaffNos(ctx context.Context) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT staff_no FROM accounts WHERE role = ? AND staff_no <> ''`, domain.RoleSupervisor)
	if err != nil {
		return nil, fmt.Errorf("supervisor staff numbers: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var no string
		if err := rows.Scan(&no); err != nil {
			return nil, err
		}
		out[no] = true
	}
	return out, rows.Err()
}

// RedeemInvite binds openid to the account whose unexpired invite hashes to
// inviteHash, and spends the invite.
func (s *DB) RedeemInvite(ctx context.Context, inviteHash, openid string, now time.Time) (Account, error) {
	var a Account
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		a, err = scanAccount(tx.QueryRowContext(ctx, `SELECT `+accountCols+` FROM accounts WHERE invite_hash = ?`+
			s.d.forUpdate(), inviteHash))
		if err != nil {
			return notFound(err, "邀请码无效或已使用")
		}
		if a.Disabled {
			return domain.Errorf(domain.CodeForbidden, "该账号已停用")
		}
		if a.InviteExpiresAt == nil || !now.Before(*a.InviteExpiresAt) {
			return domain.Errorf(domain.CodeInvalidArgument, "邀请码已过期，请联系研究生院重新生成")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET openid = ?, invite_hash = NULL, invite_expires_at = NULL
			WHERE id = ?`, openid, a.ID); err != nil {
			if s.d.isDuplicate(err) {
				return domain.Errorf(domain.CodeConflict, "该微信账号已绑定其他工作人员账号")
			}
			return fmt.Errorf("redeem invite: %w", err)
		}
		a.OpenID, a.InviteHash, a.InviteExpiresAt = openid, "", nil
		return nil
	})
	return a, err
}

// SetAccountDisabled enables or disables an account.
func (s *DB) SetAccountDisabled(ctx context.Context, id int64, disabled bool) error {
	res, err := s.db.ExecContext(ctx, `UPDATE accounts SET disabled = ? WHERE id = ?`, disabled, id)
	if err != nil {
		return fmt.Errorf("disable account: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.Account(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// ResetInvite gives an account a new invite and unbinds its WeChat account.
func (s *DB) ResetInvite(ctx context.Context, id int64, inviteHash string, expires time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE accounts SET invite_hash = ?, invite_expires_at = ?, openid = NULL WHERE id = ?`,
		inviteHash, utc(expires), id)
	if err != nil {
		return fmt.Errorf("reset invite: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.CodeNotFound, "账号不存在")
	}
	return nil
}
