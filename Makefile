# warden: every entry point. `make demo` and `make test` do everything on a
# fresh Debian bookworm machine (they install what is missing first).
BUILD      ?= build
REL        ?= build-rel
FUZZ       ?= build-fuzz
SAN_ARGS    = -Db_sanitize=address,undefined -Db_lundef=false \
              -Dc_args=-fno-sanitize-recover=undefined
FUZZ_SECONDS ?= 10
# make test runs each fuzz target this long (a crash in a parser fails it).
FUZZ_TEST_SECONDS ?= 3
STATIC_INSPECT = build-static/warden-inspect

.PHONY: all deps build release install test unit integ demo fuzz fuzz-build bench static-inspect tsan lab-start lab-stop clean

all: build

deps:
	@bash scripts/install-deps.sh

# The sanitizer build: what the tests run.
build: deps
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD) $(SAN_ARGS) >/dev/null
	@ninja -C $(BUILD) >/dev/null

release: deps
	@test -f $(REL)/build.ninja || meson setup $(REL) --buildtype=release >/dev/null
	@ninja -C $(REL) >/dev/null

# The release binary, its man page and bash/zsh completions (meson's
# prefix, /usr/local unless the build dir was set up otherwise; DESTDIR
# is honoured).
install: release
	@meson install -C $(REL) --no-rebuild

# Everything tests/run-all.sh runs: the sanitizer build (unit tests, corpus
# replays, integration suites, tests/mutants.sh), the release build (the
# integration suites again), the static warden-inspect (the inspect suite)
# and the libFuzzer build (each target FUZZ_TEST_SECONDS).
test: build release static-inspect fuzz-build
	@REL=$(REL) STATIC_INSPECT=$(STATIC_INSPECT) FUZZ_BUILD=$(FUZZ) \
	  FUZZ_TEST_SECONDS=$(FUZZ_TEST_SECONDS) bash tests/run-all.sh $(BUILD)

demo: release
	@bash scripts/demo.sh $(REL)

fuzz-build: deps
	@test -f $(FUZZ)/build.ninja || CC=clang meson setup $(FUZZ) -Dfuzz=true \
	  -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	@ninja -C $(FUZZ) >/dev/null

fuzz: fuzz-build
	@bash scripts/fuzz.sh $(FUZZ) $(FUZZ_SECONDS)

bench: release
	@bash bench/run.sh $(REL)

# The threaded paths (many targets, the crack thread, the canary listener)
# under ThreadSanitizer against the lab: tests/tsan.sh.
TSAN ?= build-tsan
tsan: build
	@test -f $(TSAN)/build.ninja || meson setup $(TSAN) -Db_sanitize=thread -Db_lundef=false >/dev/null
	@ninja -C $(TSAN) warden >/dev/null
	@bash tests/tsan.sh $(TSAN)

static-inspect: deps
	@bash scripts/build-static-inspect.sh

lab-start:
	@bash tests/lab/labctl.sh start
lab-stop:
	@bash tests/lab/labctl.sh stop

clean:
	rm -rf $(BUILD) $(REL) $(FUZZ)
