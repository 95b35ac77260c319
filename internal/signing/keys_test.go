package signing

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseKeys(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []Key
		wantErr string // substring; "" means success
	}{
		{name: "empty", in: "", want: nil},
		{name: "blank", in: "   ", want: nil},
		{name: "one", in: "fin1:s3cret:finance", want: []Key{{"fin1", "s3cret", "finance"}}},
		{
			name: "several with spaces",
			in:   " fin1:a:finance , lib-2 : b : library,loan.x:c:loan,hosp_1:d:hospital ",
			want: []Key{{"fin1", "a", "finance"}, {"lib-2", "b", "library"}, {"loan.x", "c", "loan"}, {"hosp_1", "d", "hospital"}},
		},
		{name: "secret with colons", in: "k:a:b:c:finance", want: []Key{{"k", "a:b:c", "finance"}}},
		{name: "no colon", in: "fin1:a:finance,justsecret", wantErr: "entry 2: want key:secret:system"},
		{name: "one colon", in: "fin1:topsecret", wantErr: "entry 1: want key:secret:system"},
		{name: "empty entry", in: "fin1:a:finance,,lib:b:library", wantErr: "entry 2 is empty"},
		{name: "trailing comma", in: "fin1:a:finance,", wantErr: "entry 2 is empty"},
		{name: "empty id", in: ":topsecret:finance", wantErr: "entry 1: empty key id"},
		{name: "bad id", in: "fin 1:topsecret:finance", wantErr: "entry 1: key id must be"},
		{name: "long id", in: strings.Repeat("k", 65) + ":topsecret:finance", wantErr: "key id must be"},
		{name: "empty secret", in: "fin1::finance", wantErr: `entry 1 (key "fin1"): empty secret`},
		{name: "empty system", in: "fin1:topsecret:", wantErr: `entry 1 (key "fin1"): empty system`},
		{name: "unknown system", in: "fin1:topsecret:bank", wantErr: `entry 1 (key "fin1"): unknown system "bank"`},
		{name: "system case matters", in: "fin1:topsecret:Finance", wantErr: `unknown system "Finance"`},
		{name: "duplicate", in: "k:topsecret:finance,k:othersecret:library", wantErr: `entry 2: key "k" already defined by entry 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseKeys(tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseKeys(%q) = %v, want error containing %q", tt.in, got, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %q does not contain %q", err, tt.wantErr)
				}
				for _, secret := range []string{"topsecret", "othersecret", "justsecret"} {
					if strings.Contains(err.Error(), secret) {
						t.Fatalf("error %q echoes a secret", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseKeys(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ParseKeys(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsSystem(t *testing.T) {
	for _, s := range []string{"finance", "library", "loan", "hospital"} {
		if !IsSystem(s) {
			t.Errorf("IsSystem(%q) = false", s)
		}
	}
	for _, s := range []string{"", "dorm", "FINANCE", " finance"} {
		if IsSystem(s) {
			t.Errorf("IsSystem(%q) = true", s)
		}
	}
}
