# 离校通 (lixiao): build, run and test. GNU make; recipes are indented with tabs.
#
#   make run     build bin/lixiao and serve on 127.0.0.1:8080 (SQLite under ./data,
#                in-process cache, fake WeChat, demo data)
#   make test    go vet, Go tests, then the mini-program's unit and e2e tests (needs Node.js)
#   make lint    gofmt check plus go vet

GO        ?= go
BIN       := bin/lixiao
MP        := miniprogram
# -count=1: never trust the test cache (tests hit real databases). -p 2 keeps packages that
# share the CI MariaDB/Redis from piling up.
TESTFLAGS ?= -count=1 -p 2
# Lists Go files outside node_modules, build output and local data; append an -exec.
FINDGO    := find . -name '*.go' -not -path './.git/*' -not -path '*/node_modules/*' \
               -not -path './bin/*' -not -path './data/*'

.PHONY: all build run test test-go test-miniprogram bench fmt vet lint clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/lixiao

run: build
	mkdir -p data
	./$(BIN) serve

# The storage conformance suite runs verbosely so a log shows which databases it ran on
# (the mysql subtests skip, visibly, without TEST_MYSQL_DSN, and fail without it in CI).
test: vet
	@$(GO) test $(TESTFLAGS) -v ./internal/store/ > .store-test.log 2>&1; status=$$?; \
	  grep -E '^\s*--- (PASS|FAIL|SKIP)|^(ok|FAIL)\s' .store-test.log; rm -f .store-test.log; exit $$status
	$(GO) test $(TESTFLAGS) $$($(GO) list ./... | grep -v '/internal/store$$')
	@$(MAKE) --no-print-directory test-miniprogram

test-go:
	$(GO) test $(TESTFLAGS) ./...

# The mini-program tests are part of `make test`: a machine without Node.js fails loudly
# rather than passing with half the suite skipped. npm ci runs only when node_modules is
# missing or older than package-lock.json (npm writes node_modules/.package-lock.json).
test-miniprogram:
	@if [ ! -f $(MP)/package.json ]; then exit 0; fi; \
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then \
	  echo "make test: node and npm are required for the mini-program tests in $(MP)/;" >&2; \
	  echo "make test: install Node.js 20 (e.g. apt-get install nodejs npm) and run make test again." >&2; \
	  exit 1; \
	fi; \
	if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)'; then \
	  echo "make test: Node.js $$(node --version) is too old for jest 30; install Node.js 20." >&2; \
	  exit 1; \
	fi; \
	set -e; cd $(MP); \
	if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  echo "npm ci --no-audit --no-fund"; npm ci --no-audit --no-fund; \
	fi; \
	npm test; \
	npm run test:e2e

bench: build
	$(GO) run ./bench/progress -bin $(BIN)

fmt:
	$(FINDGO) -exec gofmt -w {} +

vet:
	$(GO) vet ./...

lint: vet
	@out=$$($(FINDGO) -exec gofmt -l {} + 2>&1); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

clean:
	rm -rf bin coverage.out coverage.html cover.out *.coverprofile
