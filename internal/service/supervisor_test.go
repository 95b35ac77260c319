package service

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/lixiao/lixiao/internal/domain"
	"github.com/lixiao/lixiao/internal/form/pdftext"
	"github.com/lixiao/lixiao/internal/store"
)

func allItems() SupervisorItems {
	return SupervisorItems{Instruments: true, Equipment: true, Funds: true, Project: true, Classified: true}
}

func TestSupervisorConfirm(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		t1 := h.staff("wx-t1", domain.RoleSupervisor, "", "", "T001")
		t2 := h.staff("wx-t2", domain.RoleSupervisor, "", "", "T002")
		list, err := h.svc.SupervisorStudents(h.ctx, t1, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := []SupervisedStudent{
			{StudentNo: "S001", Name: "张伟", College: "计算机学院", Degree: "master", DepartureType: "graduated", Status: "pending", ConfirmedItems: []string{}},
			{StudentNo: "S002", Name: "王芳", College: "计算机学院", Degree: "master", DepartureType: "completed", Status: "pending", ConfirmedItems: []string{}},
		}
		if !reflect.DeepEqual(list.Items, want) || list.Batch.ID != h.batch.ID {
			t.Fatalf("students of T001 = %+v", list)
		}

		partial := allItems()
		partial.Funds, partial.Classified = false, false
		_, err = h.svc.ConfirmSupervisor(h.ctx, t1, "S001", ConfirmRequest{Items: partial})
		wantCode(t, err, domain.CodeInvalidArgument)
		if e, _ := domain.AsError(err); !strings.HasSuffix(e.Message, "尚未确认：公款归还、涉密资料移交") {
			t.Fatalf("message = %q", e.Message)
		}
		_, err = h.svc.ConfirmSupervisor(h.ctx, t2, "S001", ConfirmRequest{Items: allItems()})
		wantCode(t, err, domain.CodeForbidden)
		_, err = h.svc.ConfirmSupervisor(h.ctx, h.staff("wx-dorm", domain.RoleStaff, domain.StageDorm, "", ""), "S001", ConfirmRequest{Items: allItems()})
		wantCode(t, err, domain.CodeForbidden)
		_, err = h.svc.ConfirmSupervisor(h.ctx, t1, "NOPE1", ConfirmRequest{Items: allItems()})
		wantCode(t, err, domain.CodeNotFound)
		if h.status("S001", domain.StageSupervisor) != domain.StatusPending {
			t.Fatal("a refused confirmation cleared the stage")
		}

		sv, err := h.svc.ConfirmSupervisor(h.ctx, t1, "S001", ConfirmRequest{Items: allItems()})
		if err != nil || sv.Status != "cleared" || sv.Source != "staff" {
			t.Fatalf("confirm = %+v, %v", sv, err)
		}
		if _, err := h.svc.ConfirmSupervisor(h.ctx, t1, "S001", ConfirmRequest{Items: allItems()}); err != nil {
			t.Fatalf("repeated confirm: %v", err)
		}
		es := h.audit("S001")
		if len(es) != 1 || es[0].Channel != domain.ChannelConfirm || es[0].ActorRole != domain.RoleSupervisor ||
			es[0].Source != domain.SourceStaff || es[0].Stage != domain.StageSupervisor {
			t.Fatalf("audit = %+v", es)
		}
		items, err := h.db.ConfirmedItems(h.ctx, h.batch.ID, "S001")
		if err != nil || !reflect.DeepEqual(items, store.SupervisorItems) {
			t.Fatalf("confirmed items = %v, %v", items, err)
		}
		list, err = h.svc.SupervisorStudents(h.ctx, t1, 0)
		if err != nil || list.Items[0].Status != "cleared" || !reflect.DeepEqual(list.Items[0].ConfirmedItems, store.SupervisorItems) {
			t.Fatalf("list after confirm = %+v, %v", list, err)
		}
		// The secretary may now clear.
		sec := h.staff("wx-sec", domain.RoleStaff, domain.StageCollegeSecretary, "计算机学院", "")
		if _, err := h.svc.ClearStage(h.ctx, sec, domain.StageCollegeSecretary, StageRequest{StudentNo: "S001"}); err != nil {
			t.Fatal(err)
		}
		_, err = h.svc.SupervisorStudents(h.ctx, sec, 0)
		wantCode(t, err, domain.CodeForbidden)
	})
}

func TestConfirmationForm(t *testing.T) {
	eachDB(t, func(t *testing.T, h *harness) {
		pdf, name, err := h.svc.ConfirmationForm(h.ctx, h.student("S002"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) || name != "导师准许学生离校确认书-S002.pdf" {
			t.Fatalf("form %q starts %q", name, pdf[:8])
		}
		got, err := pdftext.Extract(pdf)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(got.Text, "\n", "")
		for _, want := range []string{
			"重庆大学研究生导师准许学生离校确认书",
			"计算机学院研究生教务秘书：",
			"硕士研究生王芳，学号：S002，已经结业。",
			"该生已完清包括仪器归还、公共设备归还、公款归还、课题移交、涉密资料移交等与导师相关的所有手续，可以离校，特此确认。",
			"导师签字：",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("form lacks %q; text:\n%s", want, got.Text)
			}
		}
		if len(got.Missing) > 0 {
			t.Errorf("characters without a glyph: %q", string(got.Missing))
		}

		// A doctor, and a name the font cannot print.
		more := []domain.Student{
			{StudentNo: "S008", Name: "欧阳娜娜", Degree: domain.DegreeDoctor},
			{StudentNo: "S009", Name: "김민준", Degree: domain.DegreeMaster},
		}
		for i := range more {
			more[i].College, more[i].DepartureType, more[i].Campus = "外国语学院", domain.DepartureGraduated, domain.CampusA
		}
		if _, err := h.db.ImportStudents(h.ctx, h.batch, more, h.svc.now()); err != nil {
			t.Fatal(err)
		}
		doc := Principal{Roles: []domain.Role{domain.RoleStudent}, StudentNo: "S008", BatchID: h.batch.ID}
		if pdf, _, err = h.svc.ConfirmationForm(h.ctx, doc); err != nil {
			t.Fatal(err)
		}
		if got, _ = pdftext.Extract(pdf); !strings.Contains(strings.ReplaceAll(got.Text, "\n", ""), "博士研究生欧阳娜娜，学号：S008，已经毕业。") {
			t.Errorf("doctor's form:\n%s", got.Text)
		}
		rare := Principal{Roles: []domain.Role{domain.RoleStudent}, StudentNo: "S009", BatchID: h.batch.ID}
		_, _, err = h.svc.ConfirmationForm(h.ctx, rare)
		wantCode(t, err, domain.CodeInvalidArgument)
		_, _, err = h.svc.ConfirmationForm(h.ctx, h.adminPrincipal())
		wantCode(t, err, domain.CodeForbidden)
	})
}
