# tousu - complaint analytics for marketplace shops.
#
#   make            build ./tousu
#   make demo       install what is missing, build, write a report on samples/
#   make check      install what is missing, build, run every test (plain,
#                   without SSE2, ASan+UBSan, valgrind, clang -Werror build)
#   make bench      speed and memory against the bare zlib read loop
#   make install    PREFIX=/usr/local
#
# Sources are found by wildcard: a new module is a new .c in its folder, a new
# unit test is tests/unit/test_NAME.c, a new CLI case is tests/cli/cases/NAME.sh.

CC       ?= cc
PREFIX   ?= /usr/local
CFLAGS   ?= -O2 -g
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
ALLFLAGS  = -std=c17 -D_GNU_SOURCE -I. $(WARNINGS) $(CFLAGS) -pthread -MMD -MP
LDLIBS   := -lcsv -lpcre2-8 -lz -lm -pthread

# Debian packages the build and the tests need; `make deps` installs the missing ones.
DEB_BUILD := build-essential zlib1g-dev libcsv-dev libpcre2-dev
DEB_DEMO  := gnuplot-nox fonts-wqy-microhei
DEB_TEST  := libcmocka-dev clang python3 gzip gnuplot-nox fonts-wqy-microhei valgrind sqlite3 chromium
DEB_BENCH := time bc miller sqlite3

# The default rules are compiled in, so tousu works with no files installed.
GEN_RULES := build/gen/default_rules.c
LIB_SRCS := $(sort $(wildcard formats/*.c analyzers/*.c reports/*.c)) $(GEN_RULES)
CMD_SRCS := $(sort $(wildcard cmd/*.c))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))

B := build/release
A := build/asan
ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

objs = $(patsubst %.c,$(1)/%.o,$(2))

# Short build lines; `make V=1` shows the full commands.
ifeq ($(V),1)
Q :=
say = @:
else
Q := @
say = @printf '  %-7s %s\n'
endif

.PHONY: all deps deps-test demo check unit cli asan portable-unit clang-check bench fuzz install clean
.DEFAULT_GOAL := all

all: tousu

tousu: $(call objs,$(B),$(LIB_SRCS) $(CMD_SRCS))
	$(say) LD $@
	$(Q)$(CC) $(ALLFLAGS) -o $@ $^ $(LDLIBS)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(ALLFLAGS) -c -o $@ $<

$(A)/%.o: %.c
	@mkdir -p $(dir $@)
	$(say) CC-SAN $<
	$(Q)$(CC) $(ALLFLAGS) $(ASAN_FLAGS) -c -o $@ $<

$(A)/tousu: $(call objs,$(A),$(LIB_SRCS) $(CMD_SRCS))
	$(say) LD-SAN $@
	$(Q)$(CC) $(ALLFLAGS) $(ASAN_FLAGS) -o $@ $^ $(LDLIBS)

# Unit tests link every library module (not cmd/), so a test names what it uses.
$(B)/tests/%: $(call objs,$(B),tests/unit/%.c $(LIB_SRCS))
	$(say) LD $@
	$(Q)$(CC) $(ALLFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

$(A)/tests/%: $(call objs,$(A),tests/unit/%.c $(LIB_SRCS))
	$(say) LD-SAN $@
	$(Q)$(CC) $(ALLFLAGS) $(ASAN_FLAGS) -o $@ $^ $(LDLIBS) -lcmocka

UNIT_BINS      := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRCS))
UNIT_BINS_ASAN := $(patsubst tests/unit/%.c,$(A)/tests/%,$(UNIT_SRCS))

$(GEN_RULES): analyzers/default.rules analyzers/embed_rules.sh
	@mkdir -p $(dir $@)
	$(say) GEN $@
	$(Q)sh analyzers/embed_rules.sh analyzers/default.rules > $@

deps:
	@sh tests/deps.sh $(DEB_BUILD)

deps-test:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_TEST)

demo:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_DEMO)
	@$(MAKE) --no-print-directory tousu
	@sh samples/demo.sh

unit: $(UNIT_BINS)
	@sh tests/run-unit.sh $(UNIT_BINS)

cli: tousu
	@sh tests/cli/run.sh ./tousu

asan: $(A)/tousu $(UNIT_BINS_ASAN)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		sh tests/run-unit.sh $(UNIT_BINS_ASAN)
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		sh tests/cli/run.sh $(A)/tousu

# The byte scanners' portable paths (SWAR, no SSE2), on the unit tests that
# check them against byte loops: x86-64 builds never take them otherwise.
PORTABLE_TESTS := build/portable/tests/test_table build/portable/tests/test_csv_reader
portable-unit:
	@$(MAKE) --no-print-directory B=build/portable CFLAGS="-O2 -g -U__SSE2__ -Werror" $(PORTABLE_TESTS)
	@sh tests/run-unit.sh $(PORTABLE_TESTS)

# A second compiler with warnings as errors keeps the code clean for both.
clang-check:
	@$(MAKE) --no-print-directory B=build/clang CC=clang CFLAGS="-O1 -Werror" build/clang/tousu-clang

build/clang/tousu-clang: $(call objs,build/clang,$(LIB_SRCS) $(CMD_SRCS))
	$(say) LD $@
	$(Q)$(CC) $(ALLFLAGS) -o $@ $^ $(LDLIBS)

check: deps-test
	@mkdir -p build && : > build/check-summary
	@$(MAKE) --no-print-directory CFLAGS="$(CFLAGS) -Werror" tousu
	@TOUSU_CHECK_LOG=build/check-summary $(MAKE) --no-print-directory CFLAGS="$(CFLAGS) -Werror" unit
	@TOUSU_CHECK_LOG=build/check-summary $(MAKE) --no-print-directory portable-unit
	@TOUSU_CHECK_LOG=build/check-summary $(MAKE) --no-print-directory cli
	@TOUSU_CHECK_LOG=build/check-summary $(MAKE) --no-print-directory asan
	@TOUSU_CHECK_LOG=build/check-summary sh tests/valgrind.sh ./tousu
	@$(MAKE) --no-print-directory clang-check
	@awk '{ p += $$2; f += $$4 } END { print "check: " p " passed, " f " failed" }' build/check-summary

bench:
	@sh tests/deps.sh $(DEB_BUILD) $(DEB_BENCH)
	@$(MAKE) --no-print-directory tousu build/bench/zread
	@sh tests/bench/run.sh

build/bench/zread: tests/bench/zread.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) -std=c17 -O2 -Wall -Wextra -o $@ $< -lz

# libFuzzer harnesses (clang): make fuzz FUZZ_SECONDS=60
FUZZ_SECONDS ?= 30
FUZZ_FLAGS := -std=c17 -D_GNU_SOURCE -I. -g -O1 -fsanitize=fuzzer,address,undefined
fuzz: $(GEN_RULES)
	@sh tests/deps.sh $(DEB_BUILD) clang libclang-rt-14-dev
	@mkdir -p build/fuzz
	clang $(FUZZ_FLAGS) -o build/fuzz/fuzz_csv tests/fuzz/fuzz_csv.c formats/csv_reader.c formats/error.c -lcsv
	clang $(FUZZ_FLAGS) -o build/fuzz/fuzz_classify tests/fuzz/fuzz_classify.c \
		analyzers/classifier.c analyzers/rules.c analyzers/textfold.c analyzers/hanzi_t2s.c \
		formats/encoding.c formats/error.c $(GEN_RULES) -lpcre2-8
	clang $(FUZZ_FLAGS) -o build/fuzz/fuzz_deflate tests/fuzz/fuzz_deflate.c formats/deflate.c -lz
	clang $(FUZZ_FLAGS) -o build/fuzz/fuzz_gzip tests/fuzz/fuzz_gzip.c formats/source.c \
		formats/deflate.c formats/crc32.c formats/error.c -lz -lpthread
	build/fuzz/fuzz_csv -max_total_time=$(FUZZ_SECONDS) -max_len=4096
	build/fuzz/fuzz_classify -max_total_time=$(FUZZ_SECONDS) -max_len=2048
	build/fuzz/fuzz_deflate -max_total_time=$(FUZZ_SECONDS) -max_len=8192
	build/fuzz/fuzz_gzip -max_total_time=$(FUZZ_SECONDS) -max_len=16384

install: tousu
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 tousu $(DESTDIR)$(PREFIX)/bin/tousu
	install -m 644 cmd/tousu.1 $(DESTDIR)$(PREFIX)/share/man/man1/tousu.1

clean:
	rm -rf build tousu

-include $(shell find build -name '*.d' 2>/dev/null)
