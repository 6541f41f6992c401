# ipmictl — make targets. `make demo` and `make test` are the first two
# commands to run on a fresh machine (see README.md).

GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X github.com/ipmictl/ipmictl/cmd/cli.Version=$(VERSION)
BIN       := bin/ipmictl
FUZZTIME  ?= 20s
FUZZJOBS  ?= 1
FUZZMATCH ?= .
PKGS      := ./...

# make install: PREFIX (default /usr/local) and DESTDIR (a staging root
# for packagers) as usual; each directory can be overridden on its own.
PREFIX      ?= /usr/local
DESTDIR     ?=
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
INSTALL     ?= install

.PHONY: all build install uninstall test test-short vet fmt-check demo bench fuzz docs test-inband clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/ipmictl

# The binary, the man pages and the bash, zsh and fish completions (the
# committed docs/man and docs/completion, which a test keeps equal to
# what the binary generates). tools/install checks this target.
install: build
	$(INSTALL) -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(MANDIR)/man1' '$(DESTDIR)$(BASHCOMPDIR)' \
		'$(DESTDIR)$(ZSHCOMPDIR)' '$(DESTDIR)$(FISHCOMPDIR)'
	$(INSTALL) -m 0755 $(BIN) '$(DESTDIR)$(BINDIR)/ipmictl'
	$(INSTALL) -m 0644 docs/man/*.1 '$(DESTDIR)$(MANDIR)/man1/'
	$(INSTALL) -m 0644 docs/completion/ipmictl.bash '$(DESTDIR)$(BASHCOMPDIR)/ipmictl'
	$(INSTALL) -m 0644 docs/completion/ipmictl.zsh '$(DESTDIR)$(ZSHCOMPDIR)/_ipmictl'
	$(INSTALL) -m 0644 docs/completion/ipmictl.fish '$(DESTDIR)$(FISHCOMPDIR)/ipmictl.fish'

uninstall:
	rm -f '$(DESTDIR)$(BINDIR)/ipmictl' '$(DESTDIR)$(BASHCOMPDIR)/ipmictl' \
		'$(DESTDIR)$(ZSHCOMPDIR)/_ipmictl' '$(DESTDIR)$(FISHCOMPDIR)/ipmictl.fish'
	cd docs/man && for p in *.1; do rm -f "$(DESTDIR)$(MANDIR)/man1/$$p"; done

# The test suite: formatting, vet, and every package under the race
# detector. Tests that need a peer (ipmi_sim, ipmitool, FreeIPMI,
# goipmi-server) skip loudly when it is missing; with
# IPMICTL_REQUIRE_PEERS=1 (as in CI) a missing peer fails the run.
test: fmt-check vet
	$(GO) test -race -count=1 -timeout 15m $(PKGS)

# Unit tests only: no peers, no long-running interop.
test-short:
	$(GO) test -short -count=1 $(PKGS)

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

# A tour against the simulated BMC: mc info, power status, sensors, SEL, FRU.
demo: build
	bash testdata/demo.sh $(BIN)

# Side-by-side figures for ipmictl, ipmitool and FreeIPMI (docs/performance.md):
# one ipmi_sim, a loopback fleet, and fleets answering after 1/20/50 ms with
# dead hosts. About 15 minutes; BENCHFLAGS=-quick for a 2-minute run.
bench: build
	$(GO) run ./tools/bench -ipmictl $(BIN) $(BENCHFLAGS)

# Runs every Fuzz target for FUZZTIME each, FUZZJOBS at a time (seed corpora live in each
# package's testdata/fuzz).
fuzz:
	GO=$(GO) FUZZTIME=$(FUZZTIME) FUZZJOBS=$(FUZZJOBS) FUZZMATCH='$(FUZZMATCH)' bash tools/fuzz.sh

# In-band tests in QEMU against the real Linux IPMI driver.
test-inband: build
	bash testdata/qemu/run.sh $(BIN)

# Command reference (docs/cli), man pages (docs/man) and shell completions
# (docs/completion), generated from the command tree.
docs:
	rm -rf docs/cli docs/man docs/completion
	$(GO) run ./tools/gendocs docs

clean:
	rm -rf bin
