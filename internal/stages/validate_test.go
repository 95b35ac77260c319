package stages

import (
	"strings"
	"testing"
)

func TestValidate_Errors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // substrings the error must contain
	}{
		{"no stages", "university: x\nstages: []\n", []string{"no stages"}},
		{"empty document", "", []string{"no stages"}},
		{"unknown field", "stages:\n  - code: a\n    name: A\n    requirez: [b]\n", []string{"requirez"}},
		{"empty code", "stages:\n  - code: a\n    name: A\n  - code: \"\"\n    name: B\n", []string{"stage #2", "code", "empty"}},
		{"duplicate code", "stages:\n  - code: a\n    name: A\n  - code: a\n    name: B\n", []string{`"a"`, "code", "duplicate"}},
		{"empty name", "stages:\n  - code: a\n    name: \" \"\n", []string{`"a"`, "name", "empty"}},
		{"unknown applies_when", "stages:\n  - code: a\n    name: A\n    applies_when: sometimes\n", []string{`"a"`, "applies_when", "sometimes"}},
		{"unknown campus", "stages:\n  - code: dorm\n    name: D\n    locations:\n      - campus: A\n      - campus: C\n", []string{`"dorm"`, "locations[1].campus", `"C"`}},
		{"requires unknown", "stages:\n  - code: a\n    name: A\n    requires: [ghost]\n", []string{`"a"`, "requires", "ghost"}},
		{"requires itself", "stages:\n  - code: a\n    name: A\n    requires: [a]\n", []string{`"a"`, "requires", "itself"}},
		{"requires cycle", "stages:\n  - code: a\n    name: A\n    requires: [c]\n  - code: b\n    name: B\n    requires: [a]\n  - code: c\n    name: C\n    requires: [b]\n",
			[]string{`"a"`, "requires", "cycle a -> c -> b -> a"}},
		{"requires the last stage", "stages:\n  - code: a\n    name: A\n    requires: [z]\n  - code: z\n    name: Z\n    requires_all_others: true\n",
			[]string{"requires", "cycle a -> z -> a"}},
		{"two last stages", "stages:\n  - code: a\n    name: A\n    requires_all_others: true\n  - code: b\n    name: B\n    requires_all_others: true\n", []string{`"b"`, "requires_all_others", `"a"`}},
		{"two completing stages", "stages:\n  - code: a\n    name: A\n    completes: true\n  - code: b\n    name: B\n    completes: true\n", []string{`"b"`, "completes", `"a"`}},
		{"advise_last without advice", "stages:\n  - code: card\n    name: C\n    advise_last: true\n", []string{`"card"`, "advice", "advise_last"}},
		{"unknown departure type", "stages:\n  - code: lib\n    name: L\n    tasks:\n      - text: t\n      - text: thesis\n        only_for: [graduated, expelled]\n", []string{`"lib"`, "tasks[1].only_for", "expelled"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			if err == nil {
				t.Fatalf("Parse succeeded, want an error containing %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestValidate_Accepts(t *testing.T) {
	tests := []struct {
		name string
		yaml string
	}{
		{"minimal", "stages:\n  - code: a\n    name: A\n"},
		{"explicit always and empty campus", "stages:\n  - code: a\n    name: A\n    applies_when: always\n    locations:\n      - campus: \"\"\n        phone: \"1\"\n"},
		{"diamond of requires", "stages:\n  - code: a\n    name: A\n  - code: b\n    name: B\n    requires: [a]\n  - code: c\n    name: C\n    requires: [a]\n  - code: d\n    name: D\n    requires: [b, c]\n"},
		{"last stage that also lists requires", "stages:\n  - code: a\n    name: A\n  - code: z\n    name: Z\n    requires: [a]\n    requires_all_others: true\n    completes: true\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse([]byte(tt.yaml)); err != nil {
				t.Fatalf("Parse: %v", err)
			}
		})
	}
}
