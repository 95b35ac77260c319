package stages

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lixiao/lixiao/internal/domain"
)

var knownApplicability = map[domain.Applicability]bool{
	"":                           true,
	domain.AppliesAlways:         true,
	domain.AppliesWithLoan:       true,
	domain.AppliesToPartyMembers: true,
	domain.AppliesWithDebt:       true,
}

var knownCampus = map[domain.Campus]bool{
	"":                true, // an office serving every campus (finance, library)
	domain.CampusA:    true,
	domain.CampusB:    true,
	domain.CampusHuxi: true,
}

var knownDeparture = map[domain.DepartureType]bool{
	domain.DepartureGraduated:  true,
	domain.DepartureCompleted:  true,
	domain.DepartureIncomplete: true,
	domain.DepartureWithdrawn:  true,
}

// Validate reports the first thing in f that the rules could not work with:
// a stage nobody can name, a rule the domain does not know, or prerequisites
// that can never be met. Errors name the stage and the field.
func (f File) Validate() error {
	if len(f.Stages) == 0 {
		return errors.New("stages: no stages configured")
	}
	seen := make(map[domain.StageCode]bool, len(f.Stages))
	for i, d := range f.Stages {
		if strings.TrimSpace(string(d.Code)) == "" {
			return fmt.Errorf("stages: stage #%d: code: empty", i+1)
		}
		if seen[d.Code] {
			return stageErr(d.Code, "code", "duplicate")
		}
		seen[d.Code] = true
		if err := validateStage(d); err != nil {
			return err
		}
	}
	var last, completes domain.StageCode
	for _, d := range f.Stages {
		for _, r := range d.Requires {
			if r == d.Code {
				return stageErr(d.Code, "requires", "stage requires itself")
			}
			if !seen[r] {
				return stageErr(d.Code, "requires", fmt.Sprintf("unknown stage %q", r))
			}
		}
		if d.RequiresAllOthers {
			if last != "" {
				return stageErr(d.Code, "requires_all_others", fmt.Sprintf("already set on stage %q; only one stage can be last", last))
			}
			last = d.Code
		}
		if d.Completes {
			if completes != "" {
				return stageErr(d.Code, "completes", fmt.Sprintf("already set on stage %q; only one stage can complete the departure", completes))
			}
			completes = d.Code
		}
	}
	return checkCycles(f.Stages)
}

func validateStage(d domain.StageDef) error {
	if strings.TrimSpace(d.Name) == "" {
		return stageErr(d.Code, "name", "empty")
	}
	if !knownApplicability[d.AppliesWhen] {
		return stageErr(d.Code, "applies_when", fmt.Sprintf("unknown value %q (want always, has_loan, party_member or reported_debt)", d.AppliesWhen))
	}
	for i, l := range d.Locations {
		if !knownCampus[l.Campus] {
			return stageErr(d.Code, fmt.Sprintf("locations[%d].campus", i), fmt.Sprintf("unknown campus %q (want \"\", A, B or huxi)", l.Campus))
		}
	}
	for i, t := range d.Tasks {
		for _, dep := range t.OnlyFor {
			if !knownDeparture[dep] {
				return stageErr(d.Code, fmt.Sprintf("tasks[%d].only_for", i), fmt.Sprintf("unknown departure type %q (want graduated, completed, incomplete or withdrawn)", dep))
			}
		}
	}
	if d.AdviseLast && strings.TrimSpace(d.Advice) == "" {
		return stageErr(d.Code, "advice", "empty while advise_last is set")
	}
	return nil
}

// checkCycles rejects prerequisites that can never all be met. The last stage
// (requires_all_others) implicitly requires every other stage, so a stage
// that requires the last one is a cycle too.
func checkCycles(defs []domain.StageDef) error {
	deps := make(map[domain.StageCode][]domain.StageCode, len(defs))
	for _, d := range defs {
		deps[d.Code] = append(deps[d.Code], d.Requires...)
		if d.RequiresAllOthers {
			for _, o := range defs {
				if o.Code != d.Code {
					deps[d.Code] = append(deps[d.Code], o.Code)
				}
			}
		}
	}
	const (
		unvisited = iota
		visiting
		done
	)
	state := make(map[domain.StageCode]int, len(defs))
	var path []domain.StageCode
	var visit func(c domain.StageCode) []domain.StageCode
	visit = func(c domain.StageCode) []domain.StageCode {
		state[c] = visiting
		path = append(path, c)
		for _, r := range deps[c] {
			switch state[r] {
			case visiting:
				for i, p := range path {
					if p == r {
						return append(append([]domain.StageCode{}, path[i:]...), r)
					}
				}
			case unvisited:
				if cyc := visit(r); cyc != nil {
					return cyc
				}
			}
		}
		path = path[:len(path)-1]
		state[c] = done
		return nil
	}
	for _, d := range defs {
		if state[d.Code] != unvisited {
			continue
		}
		if cyc := visit(d.Code); cyc != nil {
			parts := make([]string, len(cyc))
			for i, c := range cyc {
				parts[i] = string(c)
			}
			return stageErr(cyc[0], "requires", "cycle "+strings.Join(parts, " -> "))
		}
	}
	return nil
}

func stageErr(code domain.StageCode, field, msg string) error {
	return fmt.Errorf("stages: stage %q: %s: %s", code, field, msg)
}
