# warden: every entry point. `make demo` and `make test` do everything on a
# fresh Debian bookworm machine (they install what is missing first).
BUILD      ?= build
REL        ?= build-rel
FUZZ       ?= build-fuzz
SAN_ARGS    = -Db_sanitize=address,undefined -Db_lundef=false \
              -Dc_args=-fno-sanitize-recover=undefined
FUZZ_SECONDS ?= 10

.PHONY: all deps build release install test unit integ demo fuzz bench static-inspect lab-start lab-stop clean

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

# The release build is compiled too (not run): -O3 finds warnings the
# sanitizer build does not, and make demo and make bench use it.
test: build release
	@bash tests/run-all.sh $(BUILD)

demo: release
	@bash scripts/demo.sh $(REL)

fuzz: deps
	@test -f $(FUZZ)/build.ninja || CC=clang meson setup $(FUZZ) -Dfuzz=true \
	  -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	@ninja -C $(FUZZ) >/dev/null
	@bash scripts/fuzz.sh $(FUZZ) $(FUZZ_SECONDS)

bench: release
	@bash bench/run.sh $(REL)

static-inspect: deps
	@bash scripts/build-static-inspect.sh

lab-start:
	@bash tests/lab/labctl.sh start
lab-stop:
	@bash tests/lab/labctl.sh stop

clean:
	rm -rf $(BUILD) $(REL) $(FUZZ)
