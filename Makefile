# steward - the only build entry point. `make demo` and `make test` are the
# two commands a new machine needs; both install missing Debian packages.

CC       ?= cc
PREFIX   ?= /usr/local
LUA      ?= lua5.4
PKGS      = $(LUA) libcjson libcrypto libuv sqlite3 libcurl yaml-0.1
WARN      = -Wall -Wextra -Wpedantic -Wshadow -Werror
CSTD      = -std=c11 -D_DEFAULT_SOURCE
OPT      ?= -O2 -g
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) -Icore $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
LIBS      = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhttp_parser -lm -pthread
# One object tree per Lua: build/ for Lua 5.4, build/luajit/ for
# `make LUA=luajit` (Debian's libluajit-5.1-dev), so the two never mix.
ifeq ($(LUA),lua5.4)
BUILD    ?= build
else
BUILD    ?= build/$(LUA)
endif

CORE_SRC  = $(filter-out core/main.c,$(wildcard core/*.c))
CORE_OBJ  = $(CORE_SRC:core/%.c=$(BUILD)/%.o)
UNIT_SRC  = $(wildcard tests/unit/test_*.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/%)
HEADERS   = $(wildcard core/*.h) tests/unit/t.h
UNIT_HEADERS = $(wildcard tests/unit/*.h)

.PHONY: all deps demo test test-luajit unit sanitize install clean bench FORCE

all: steward

deps:
	@sh tools/deps.sh

# Checked every time: ./steward is whichever Lua build was asked for last.
# Renamed into place, so a copy that is running is not in the way.
steward: $(BUILD)/steward FORCE
	@cmp -s $< $@ || { cp $< $@.tmp && mv -f $@.tmp $@; }

FORCE:

$(BUILD)/steward: $(BUILD)/main.o $(CORE_OBJ)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LIBS) $(LDFLAGS)

$(BUILD)/%.o: core/%.c $(HEADERS) | $(BUILD)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/test_%: tests/unit/test_%.c $(CORE_OBJ) $(HEADERS) $(UNIT_HEADERS) | $(BUILD)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(CORE_OBJ) $(LIBS) $(LDFLAGS)

# The replay test includes the fuzz harnesses.
$(BUILD)/test_fuzz_regressions: $(wildcard tests/fuzz/fuzz_*.c)

$(BUILD)/genreg: tools/genreg.c | $(BUILD)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $<

# The store's ingest against raw SQLite inserts: $(BUILD)/bench_store DIR.
$(BUILD)/bench_store: tools/bench_store.c $(CORE_OBJ) $(HEADERS) | $(BUILD)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(CORE_OBJ) $(LIBS) $(LDFLAGS)

$(BUILD)/jsonparse: tools/jsonparse.c | $(BUILD)
	$(CC) $(CSTD) $(WARN) -O2 $(shell pkg-config --cflags libcjson) -o $@ $< $(shell pkg-config --libs libcjson)

$(BUILD):
	@mkdir -p $(BUILD)

unit: $(UNIT_BIN)

demo: deps
	@$(MAKE) --no-print-directory all
	./steward check examples/registry --observations examples/observations.jsonl \
	  --now 2026-11-26; rc=$$?; \
	  echo "(steward exited $$rc: 0 clean, 1 blocking findings; the example has some on purpose)"; \
	  [ $$rc -le 1 ]

# Every suite on Lua 5.4, then again on LuaJIT (make deps installs it), and
# one closing line summing both.
test: deps
	@$(MAKE) --no-print-directory all unit $(BUILD)/genreg
	@sh tools/deps.sh libluajit-5.1-dev
	@$(MAKE) --no-print-directory LUA=luajit BUILD=build/luajit \
	  build/luajit/steward unit build/luajit/genreg
	@{ RUN_LABEL=lua5.4 GENREG=$(BUILD)/genreg sh tests/run.sh $(BUILD) ./steward; \
	   STEWARD_HOME=$(CURDIR) RUN_LABEL=luajit GENREG=build/luajit/genreg \
	     sh tests/run.sh build/luajit build/luajit/steward; } | tee build/test.log
	@sh tests/total.sh build/test.log

# The same suites against LuaJIT, in build/luajit/; ./steward is left alone.
test-luajit:
	@sh tools/deps.sh libluajit-5.1-dev
	@$(MAKE) --no-print-directory LUA=luajit BUILD=build/luajit \
	  build/luajit/steward unit build/luajit/genreg
	@STEWARD_HOME=$(CURDIR) GENREG=build/luajit/genreg \
	  sh tests/run.sh build/luajit build/luajit/steward

# ASan + UBSan: a separate build tree, the same tests.
sanitize: deps
	@$(MAKE) --no-print-directory BUILD=build/san \
	  OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	  build/san/steward unit build/san/genreg
	@STEWARD_HOME=$(CURDIR) ASAN_OPTIONS=detect_leaks=1 GENREG=build/san/genreg sh tests/run.sh build/san build/san/steward

# Timings on a generated 200k-node, 1M-edge registry, as ratios to a
# cJSON-only parse of the same files run alongside.
bench: deps
	@$(MAKE) --no-print-directory all $(BUILD)/genreg $(BUILD)/jsonparse $(BUILD)/bench_store
	@sh tools/deps.sh wrk nginx-light
	@sh tools/bench.sh $(BUILD)
	@sh tools/bench_serve.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/steward
	install -m 755 steward $(DESTDIR)$(PREFIX)/bin/steward
	cp -R stdlib policies $(DESTDIR)$(PREFIX)/share/steward/

clean:
	rm -rf build steward

# ---- Fuzzing (issue 5) ---------------------------------------------------
# `make fuzz` builds the libFuzzer harnesses in tests/fuzz/ with clang
# (ASan + UBSan) into build/fuzz/ and runs each for FUZZ_SECONDS from a copy
# of its seed corpus (tests/fuzz/corpus/NAME/). A crash is written to
# tests/fuzz/regressions/NAME/, where tests/unit/test_fuzz_regressions.c
# replays it in `make test`; the target fails if any fuzzer found one.
# Dictionaries: tests/fuzz/NAME.dict, else tests/fuzz/json.dict.
# `make fuzz-build` only builds. FUZZ_ARGS passes more libFuzzer flags.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_ARGS    ?=
FUZZ_NAMES    = registry obs patch policy httpd yaml openlineage
FUZZ_DIR      = build/fuzz
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS   = $(CSTD) -Wall -Wextra -g -O1 -fno-omit-frame-pointer \
                -Icore $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_CORE_OBJ = $(CORE_SRC:core/%.c=$(FUZZ_DIR)/core/%.o)
FUZZ_BIN      = $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)

.PHONY: fuzz fuzz-build
.SECONDARY: $(FUZZ_CORE_OBJ)

$(FUZZ_DIR)/core/%.o: core/%.c $(HEADERS)
	@mkdir -p $(FUZZ_DIR)/core
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_CORE_OBJ) $(HEADERS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< \
	  $(FUZZ_CORE_OBJ) $(LIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-build
	@found=0; for n in $(FUZZ_NAMES); do \
	  rm -rf $(FUZZ_DIR)/corpus/$$n; mkdir -p $(FUZZ_DIR)/corpus/$$n \
	    tests/fuzz/regressions/$$n; \
	  cp tests/fuzz/corpus/$$n/* $(FUZZ_DIR)/corpus/$$n/; \
	  echo "fuzz_$$n: $(FUZZ_SECONDS) s"; \
	  dict=tests/fuzz/$$n.dict; [ -f $$dict ] || dict=tests/fuzz/json.dict; \
	  $(FUZZ_DIR)/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 -dict=$$dict \
	    -artifact_prefix=tests/fuzz/regressions/$$n/ $(FUZZ_ARGS) \
	    $(FUZZ_DIR)/corpus/$$n 2>$(FUZZ_DIR)/fuzz_$$n.log; rc=$$?; \
	  grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR)' \
	    $(FUZZ_DIR)/fuzz_$$n.log | sed 's/^/  /'; \
	  if [ $$rc -ne 0 ]; then found=1; \
	    echo "  fuzz_$$n FAILED (rc $$rc): see $(FUZZ_DIR)/fuzz_$$n.log;" \
	      "the input is in tests/fuzz/regressions/$$n/"; fi; \
	done; [ $$found -eq 0 ]
