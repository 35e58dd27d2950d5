# steward - the only build entry point. `make demo` and `make test` are the
# two commands a new machine needs; both install missing Debian packages.

CC       ?= cc
PREFIX   ?= /usr/local
LUA      ?= lua5.4
PKGS      = $(LUA) libcjson libuv
WARN      = -Wall -Wextra -Wpedantic -Wshadow -Werror
CSTD      = -std=c11 -D_DEFAULT_SOURCE
OPT      ?= -O2 -g
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) -Icore $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
LIBS      = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
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

$(BUILD)/test_%: tests/unit/test_%.c $(CORE_OBJ) $(HEADERS) | $(BUILD)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(CORE_OBJ) $(LIBS) $(LDFLAGS)

$(BUILD)/genreg: tools/genreg.c | $(BUILD)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $<

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

test: deps
	@$(MAKE) --no-print-directory all unit $(BUILD)/genreg
	@GENREG=$(BUILD)/genreg sh tests/run.sh $(BUILD) ./steward

# The same suites against LuaJIT, in build/luajit/; ./steward is left alone.
test-luajit:
	@sh tools/deps.sh libluajit-5.1-dev
	@$(MAKE) --no-print-directory LUA=luajit BUILD=build/luajit \
	  build/luajit/steward unit
	@sh tests/run.sh build/luajit build/luajit/steward

# ASan + UBSan: a separate build tree, the same tests.
sanitize: deps
	@$(MAKE) --no-print-directory BUILD=build/san \
	  OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	  build/san/steward unit build/san/genreg
	@STEWARD_HOME=$(CURDIR) ASAN_OPTIONS=detect_leaks=1 GENREG=build/san/genreg sh tests/run.sh build/san build/san/steward

# Timings on a generated 200k-node, 1M-edge registry, as ratios to a
# cJSON-only parse of the same files run alongside.
bench: deps
	@$(MAKE) --no-print-directory all $(BUILD)/genreg $(BUILD)/jsonparse
	@sh tools/bench.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/steward
	install -m 755 steward $(DESTDIR)$(PREFIX)/bin/steward
	cp -R stdlib policies $(DESTDIR)$(PREFIX)/share/steward/

clean:
	rm -rf build steward
