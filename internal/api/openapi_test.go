package api

import (
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"gopkg.in/yaml.v3"
)

// openAPIPath is the API description kept in sync with the routes.
const openAPIPath = "../../api/openapi.yaml"

// openAPIMethods are the operation keys of an OpenAPI path item.
var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// ginAnyMethods are what gin's RouterGroup.Any registers. A path registered
// for all of them is an Any route (only /wechat/official-account/callback):
// the spec documents it as GET and POST, the only methods WeChat uses, so
// the comparison keeps those two and ignores the others.
var ginAnyMethods = []string{
	http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodHead,
	http.MethodOptions, http.MethodDelete, http.MethodConnect, http.MethodTrace,
}

// openAPISpec is the part of the document the test reads.
type openAPISpec struct {
	OpenAPI string                    `yaml:"openapi"`
	Paths   map[string]map[string]any `yaml:"paths"`
}

var pathParam = regexp.MustCompile(`\{([^}/]+)\}`)

// ginPath turns an OpenAPI path template into gin's (`{code}` → `:code`).
func ginPath(p string) string { return pathParam.ReplaceAllString(p, ":$1") }

func loadOpenAPI(t *testing.T) openAPISpec {
	t.Helper()
	raw, err := os.ReadFile(openAPIPath)
	if err != nil {
		t.Fatalf("read %s: %v", openAPIPath, err)
	}
	var spec openAPISpec
	if err := yaml.Unmarshal(raw, &spec); err != nil {
		t.Fatalf("parse %s: %v", openAPIPath, err)
	}
	return spec
}

// specOperations is every "METHOD /gin/path" of spec; problems lists the
// operations without a response.
func specOperations(spec openAPISpec) (ops map[string]bool, problems []string) {
	ops = map[string]bool{}
	for p, item := range spec.Paths {
		for key, v := range item {
			if !slices.Contains(openAPIMethods, key) {
				continue // parameters, summary, description, servers
			}
			name := strings.ToUpper(key) + " " + p
			ops[strings.ToUpper(key)+" "+ginPath(p)] = true
			op, _ := v.(map[string]any)
			if rs, _ := op["responses"].(map[string]any); len(rs) == 0 {
				problems = append(problems, name+" has no response")
			}
		}
	}
	slices.Sort(problems)
	return ops, problems
}

// routerOperations is every "METHOD /path" of the engine, with Any routes
// reduced to GET and POST.
func routerOperations(routes gin.RoutesInfo) map[string]bool {
	methods := map[string][]string{}
	for _, r := range routes {
		methods[r.Path] = append(methods[r.Path], r.Method)
	}
	ops := map[string]bool{}
	for p, ms := range methods {
		isAny := true
		for _, m := range ginAnyMethods {
			isAny = isAny && slices.Contains(ms, m)
		}
		for _, m := range ms {
			if isAny && m != http.MethodGet && m != http.MethodPost {
				continue
			}
			ops[m+" "+p] = true
		}
	}
	return ops
}

// diffOperations lists, sorted, the routes missing from the spec and the
// spec's operations that have no route.
func diffOperations(spec, router map[string]bool) (undocumented, unrouted []string) {
	for op := range router {
		if !spec[op] {
			undocumented = append(undocumented, op)
		}
	}
	for op := range spec {
		if !router[op] {
			unrouted = append(unrouted, op)
		}
	}
	slices.Sort(undocumented)
	slices.Sort(unrouted)
	return undocumented, unrouted
}

// engineRoutes builds the real engine on a real service and database (the
// permission test environment), with metrics so /metrics is registered.
func engineRoutes(t *testing.T) gin.RoutesInfo {
	t.Helper()
	env := newPermEnv(t, "sqlite")
	h := New(Deps{Service: env.svc, Log: quietLogger(), Metrics: NewMetrics(prometheus.NewRegistry())})
	engine, ok := h.(*gin.Engine)
	if !ok {
		t.Fatalf("New returned %T, want *gin.Engine", h)
	}
	return engine.Routes()
}

// TestOpenAPIMatchesRoutes keeps api/openapi.yaml and routes.go in step:
// every route is documented and every documented operation is routed.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	spec := loadOpenAPI(t)
	if spec.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q, want 3.0.3", spec.OpenAPI)
	}
	documented, problems := specOperations(spec)
	for _, p := range problems {
		t.Error(p)
	}
	routed := routerOperations(engineRoutes(t))
	if len(routed) < 40 {
		t.Fatalf("only %d routes registered; is the engine wired?", len(routed))
	}
	undocumented, unrouted := diffOperations(documented, routed)
	if len(undocumented) > 0 {
		t.Errorf("routes missing from %s:\n  %s", openAPIPath, strings.Join(undocumented, "\n  "))
	}
	if len(unrouted) > 0 {
		t.Errorf("operations in %s with no route:\n  %s", openAPIPath, strings.Join(unrouted, "\n  "))
	}
}

// TestOpenAPIDiffDetectsDrift shows the comparison fails on the drifts it
// exists to catch, so a green TestOpenAPIMatchesRoutes means something.
func TestOpenAPIDiffDetectsDrift(t *testing.T) {
	anyRoute := func(p string) gin.RoutesInfo {
		var rs gin.RoutesInfo
		for _, m := range ginAnyMethods {
			rs = append(rs, gin.RouteInfo{Method: m, Path: p})
		}
		return rs
	}
	op := func(responses map[string]any) map[string]any { return map[string]any{"responses": responses} }
	ok := map[string]any{"200": map[string]any{"description": "ok"}}
	cases := []struct {
		name             string
		paths            map[string]map[string]any
		routes           gin.RoutesInfo
		wantUndocumented []string
		wantUnrouted     []string
		wantProblems     []string
	}{
		{
			name:   "in step, path parameters converted",
			paths:  map[string]map[string]any{"/a/{id}/b": {"post": op(ok), "parameters": []any{map[string]any{"name": "id"}}}},
			routes: gin.RoutesInfo{{Method: http.MethodPost, Path: "/a/:id/b"}},
		},
		{
			name:             "a route removed from the spec",
			paths:            map[string]map[string]any{"/a": {"get": op(ok)}},
			routes:           gin.RoutesInfo{{Method: http.MethodGet, Path: "/a"}, {Method: http.MethodDelete, Path: "/b/:no"}},
			wantUndocumented: []string{"DELETE /b/:no"},
		},
		{
			name:         "an operation with no route",
			paths:        map[string]map[string]any{"/a": {"get": op(ok), "put": op(ok)}},
			routes:       gin.RoutesInfo{{Method: http.MethodGet, Path: "/a"}},
			wantUnrouted: []string{"PUT /a"},
		},
		{
			name:         "an operation without responses",
			paths:        map[string]map[string]any{"/a": {"get": op(nil)}},
			routes:       gin.RoutesInfo{{Method: http.MethodGet, Path: "/a"}},
			wantProblems: []string{"GET /a has no response"},
		},
		{
			name:   "an Any route is GET and POST",
			paths:  map[string]map[string]any{"/cb": {"get": op(ok), "post": op(ok)}},
			routes: anyRoute("/cb"),
		},
		{
			name:             "an Any route documented as GET only",
			paths:            map[string]map[string]any{"/cb": {"get": op(ok)}},
			routes:           anyRoute("/cb"),
			wantUndocumented: []string{"POST /cb"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			documented, problems := specOperations(openAPISpec{OpenAPI: "3.0.3", Paths: tc.paths})
			undocumented, unrouted := diffOperations(documented, routerOperations(tc.routes))
			if !slices.Equal(undocumented, tc.wantUndocumented) {
				t.Errorf("undocumented = %v, want %v", undocumented, tc.wantUndocumented)
			}
			if !slices.Equal(unrouted, tc.wantUnrouted) {
				t.Errorf("unrouted = %v, want %v", unrouted, tc.wantUnrouted)
			}
			if !slices.Equal(problems, tc.wantProblems) {
				t.Errorf("problems = %v, want %v", problems, tc.wantProblems)
			}
		})
	}
}
