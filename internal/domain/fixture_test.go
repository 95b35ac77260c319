package domain

// handbookDefs builds the twelve stages with the same rule fields as
// configs/stages.yaml (domain must not import the loader). Texts are short;
// only the library, dorm and grad_service_center carry tasks and locations
// that the progress tests look at.
func handbookDefs() []StageDef {
	loc := func(c Campus, phone string) Location {
		return Location{Campus: c, Place: string(c) + "处", Phone: phone}
	}
	return []StageDef{
		{Code: StageSupervisor, Name: "导师"},
		{Code: StageCollegeSecretary, Name: "学院研究生教务秘书", Requires: []StageCode{StageSupervisor}, CollegeScoped: true},
		{Code: StageCollegeWorkgroup, Name: "学院研究生工作组", CollegeScoped: true},
		{Code: StageParty, Name: "学院党委或党总支", AppliesWhen: AppliesToPartyMembers, CollegeScoped: true},
		{Code: StageFinance, Name: "财务处", Integration: "finance", AppliesWhen: AppliesAlways},
		{Code: StageLoan, Name: "国家助学贷款中心", AppliesWhen: AppliesWithLoan, Integration: "loan"},
		{Code: StageLibrary, Name: "图书馆", Integration: "library", SelfService: true, Tasks: []Task{
			{Text: "完清退书及超期欠费"},
			{Text: "网上提交学位论文", OnlyFor: []DepartureType{DepartureGraduated}},
		}},
		{Code: StageHospital, Name: "校医院", AppliesWhen: AppliesWithDebt, Integration: "hospital"},
		{Code: StageDorm, Name: "学生公寓管理中心", Tasks: []Task{{Text: "退还寝室钥匙"}}, Locations: []Location{
			loc(CampusA, "65111348"), loc(CampusB, "65120639"), loc(CampusHuxi, "65678441"),
		}},
		{Code: StageGradServiceCenter, Name: "研究生院研究生教育服务中心", Locations: []Location{
			loc(CampusA, "65112081"), loc(CampusHuxi, "65678444"),
		}},
		{Code: StageCampusCard, Name: "一卡通管理中心", AdviseLast: true, Advice: "建议最后结算一卡通"},
		{Code: StageGradOffice, Name: "研究生院研工办", RequiresAllOthers: true, Completes: true},
	}
}

// allCodes lists the fixture's codes in handbook order.
func allCodes() []StageCode {
	var out []StageCode
	for _, d := range handbookDefs() {
		out = append(out, d.Code)
	}
	return out
}

// defOf returns the fixture definition of code.
func defOf(code StageCode) StageDef {
	for _, d := range handbookDefs() {
		if d.Code == code {
			return d
		}
	}
	panic("no fixture stage " + string(code))
}

// fresh is a graduated A-campus student with no loan, not a party member.
func fresh() Student {
	return Student{BatchID: 1, StudentNo: "20181302045", Name: "张三", DepartureType: DepartureGraduated, Campus: CampusA}
}

// statusesWith starts from the fresh student's initial statuses and applies
// overrides.
func statusesWith(over map[StageCode]Status) Statuses {
	st := StatusesOf(Batch{Stages: handbookDefs()}, fresh(), nil)
	for c, s := range over {
		st[c] = s
	}
	return st
}

// allClearedExcept marks every stage cleared except the given ones, which
// stay pending.
func allClearedExcept(open ...StageCode) Statuses {
	st := make(Statuses)
	for _, c := range allCodes() {
		st[c] = StatusCleared
	}
	for _, c := range open {
		st[c] = StatusPending
	}
	return st
}
