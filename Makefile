# The workbench's build. `make run` and `make test` install what a fresh Debian machine
# lacks (Debian packages through scripts/deps.sh, Go modules through the module proxy).
GO       ?= go
BIN      := bin/workbench
GOFLAGS  := -trimpath
export CGO_ENABLED := 0
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: all deps build run test bench lint screenshots clean

all: build

deps:
	@scripts/deps.sh
	@$(GO) mod download

build:
	$(GO) build $(GOFLAGS) -o $(BIN) .

run: deps build
	./$(BIN)

# Every test, kernel tests included (as root), with the race detector (which needs cgo
# in the test binaries; the workbench binary stays static). Packages run one at a time
# so that CPU measurements are not disturbed; the leak check runs last against a
# snapshot taken first.
test: deps build
	@$(GO) run ./leakcheck/baseline /tmp/workbench-baseline.json
	WORKBENCH_BIN=$(CURDIR)/$(BIN) CGO_ENABLED=1 $(GO) test -race -p 1 -count=1 -timeout 20m $$($(GO) list ./... | grep -v /leakcheck)
	WORKBENCH_BASELINE=/tmp/workbench-baseline.json $(GO) test -count=1 ./leakcheck

bench: deps build
	WORKBENCH_BIN=$(CURDIR)/$(BIN) $(GO) test -p 1 -count=1 -run '^$$' -bench . -benchtime 1x ./... | grep -Ev '^(ok|PASS|goos|goarch|pkg|cpu|\?)'

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: the files above need formatting"; exit 1; }
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

# PNGs of every pane of the real app on a demo lab, for the README (needs root).
screenshots: build
	@scripts/deps.sh screenshots
	scripts/screenshots.sh

clean:
	rm -rf bin
