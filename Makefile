# pvboot: one hand-written Makefile; everything built goes to $(BUILD) (build/).
#
#   make            libpvboot.a and the programs
#   make check      every suite (what CI runs); installs Debian dependencies first
#   make asan       unit suites and fuzz seed replays under ASan + UBSan
#   make p4         32-bit -march=pentium4 build of the library and programs
#   make coverage   lcov HTML in build/coverage and line/function coverage per ref/ folder and tools/conform
#   make fuzz       libFuzzer targets with clang, FUZZ_SECONDS (20) each
#                   (FUZZ_TARGETS="fuzz_part ..." picks some)
#   make conform    pvconform: every implementation in tools/conform/impls over CORPUS
#   make report     REPORT.md + REPORT.svg: the corpus, then the conform run written out,
#                   real boots included (pvconform --boot)
#   make boottest   real boots: each implementation's extraction of every boot case, booted under qemu
#   make corpus     guest disk images and expectations in build/corpus (images/README.md)
#   make corpus-pack  build/corpus.tar: the corpus as one sparse tarball for an old host
#
# Variants (asan, p4, cov, fuzz) are this Makefile run again with another
# BUILD directory and VFLAGS; a flags stamp rebuilds objects when CC or flags change.

BUILD    ?= build
OPT      ?= -O2 -g
VFLAGS   ?=
DEPFLAGS ?= -MMD -MP
WARN     := -std=c99 -pedantic -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS += -Iref -Itools -D_FILE_OFFSET_BITS=64 -D_POSIX_C_SOURCE=200809L
ALL_CFLAGS = $(WARN) $(OPT) $(VFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(VFLAGS) $(LDFLAGS)
FUZZ_SECONDS ?= 20

# Compressed qcow/qcow2 clusters: zlib always; zstd unless ZSTD=0. There is no
# 32-bit libzstd package, so `make p4` builds without it, and a zstd cluster
# read by that build is a clean PVB_EUNSUPPORTED error.
ZSTD     ?= 1
ifeq ($(ZSTD),0)
CPPFLAGS += -DPVB_WITH_ZSTD=0
LIBS     := -lz
else
CPPFLAGS += -DPVB_WITH_ZSTD=1
LIBS     := -lz -lzstd
endif

P4_FLAGS := -m32 -march=pentium4 -mtune=pentium4
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# Tests ask the allocator for absurd sizes on purpose: that must fail with NULL, not abort.
export ASAN_OPTIONS := allocator_may_return_null=1:detect_leaks=1
export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

# ---- library ---------------------------------------------------------------
LIB_DIRS := ref/util ref/disk ref/part ref/fs ref/cfg ref/boot
LIB_SRC  := $(wildcard $(addsuffix /*.c,$(LIB_DIRS)))
LIB      := $(BUILD)/libpvboot.a

# ---- the pvboot command: ref/cli, all but main.c in a library the unit suites link too ----
CLI_SRC  := $(filter-out ref/cli/main.c,$(wildcard ref/cli/*.c))
CLI_LIB  := $(BUILD)/libpvbcli.a

# ---- programs: name, source folder, extra libraries --------------------------
PROGRAMS :=
define program
PROGRAMS += $(BUILD)/$(1)
$(BUILD)/$(1): $(call obj,$(wildcard $(2)/*.c)) $(LIB)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$(filter %.o,$$^) $(LIB) $(LIBS) $(3)
endef
PVBOOT := $(BUILD)/pvboot
PROGRAMS += $(PVBOOT)
$(PVBOOT): $(BUILD)/obj/ref/cli/main.o $(CLI_LIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(CLI_LIB) $(LIB) $(LIBS) -lncurses
$(eval $(call program,pvdump,tools/dump,))
$(eval $(call program,pvpayload,tools/payload,))
$(eval $(call program,pvcfg,tools/cfg,))
$(eval $(call program,pvxfsedit,tools/xfsedit,))

# ---- pvconform: tools/conform, all but main.c in a library its unit suite links too ----
CONFORM_SRC := $(filter-out tools/conform/main.c,$(wildcard tools/conform/*.c))
CONFORM_LIB := $(BUILD)/libpvbconform.a
PROGRAMS += $(BUILD)/pvconform
$(BUILD)/pvconform: $(BUILD)/obj/tools/conform/main.o $(CONFORM_LIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(CONFORM_LIB) $(LIB) $(LIBS)
$(eval $(call program,pvpoke,images/poke,))

# ---- oracles: test programs linking host libraries (libext2fs, ...) that have
# no 32-bit package; built natively only (the p4 build sets NO_ORACLES=1).
ORACLES :=
define oracle
ORACLES += $(BUILD)/$(1)
$(BUILD)/$(1): $(call obj,$(wildcard $(2)/*.c)) $(LIB)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$(filter %.o,$$^) $(LIB) $(LIBS) $(3)
endef
$(eval $(call oracle,ext2oracle,tools/ext2oracle,-lext2fs -lcom_err))
# libvhdi reads differencing vhds, which qemu-img cannot make; mkvhddiff makes them.
$(eval $(call oracle,vhdicat,suites/disk/vhdicat,-lvhdi))
$(eval $(call oracle,mkvhddiff,suites/disk/mkvhddiff,))

# ---- unit suites (cmocka) and their shared helpers -----------------------------
UNIT_SRC  := $(wildcard suites/unit/test_*.c)
UNIT_HELP := $(filter-out $(UNIT_SRC),$(wildcard suites/unit/*.c))
UNIT_BIN  := $(patsubst suites/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

$(BUILD)/tests/%: $(BUILD)/obj/suites/unit/%.o $(call obj,$(UNIT_HELP)) $(CLI_LIB) $(CONFORM_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(CLI_LIB) $(CONFORM_LIB) $(LIB) -lcmocka $(LIBS)

# ---- fuzz targets: libFuzzer entry points, replayed from files on any compiler ----
FUZZ_SRC  := $(wildcard suites/fuzz/fuzz_*.c)
FUZZ_NAMES := $(patsubst suites/fuzz/%.c,%,$(FUZZ_SRC))
REPLAY_BIN := $(patsubst %,$(BUILD)/fuzz-replay/%,$(FUZZ_NAMES))
FUZZ_HELP := $(wildcard suites/fuzz/lib/*.c)

$(BUILD)/fuzz-replay/%: $(BUILD)/obj/suites/fuzz/%.o $(BUILD)/obj/suites/fuzz/replay/replay.o $(call obj,$(FUZZ_HELP)) $(CONFORM_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(CONFORM_LIB) $(LIB) $(LIBS)

SEEDS_SRC := $(wildcard suites/fuzz/seeds/*.c)
$(BUILD)/mkseeds: $(call obj,$(SEEDS_SRC) $(UNIT_HELP)) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(LIBS)

# ---- compiling --------------------------------------------------------------
FLAGS_STAMP := $(BUILD)/flags.stamp
FLAGS_NOW := $(CC) $(CPPFLAGS) $(ALL_CFLAGS)
$(shell mkdir -p $(BUILD); [ "$$(cat $(FLAGS_STAMP) 2>/dev/null)" = "$(FLAGS_NOW)" ] || echo "$(FLAGS_NOW)" > $(FLAGS_STAMP))

# V=1 shows full command lines.
Q := $(if $(V),,@)

$(BUILD)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	@$(if $(V),,echo "  CC  $(BUILD)/$<")
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(LIB): $(call obj,$(LIB_SRC))
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(CLI_LIB): $(call obj,$(CLI_SRC))
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(CONFORM_LIB): $(call obj,$(CONFORM_SRC))
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# ---- targets ----------------------------------------------------------------
.PHONY: all lib conformlib programs oracles unit replay check asan p4 coverage fuzz deps clean conform report corpus corpus-pack boottest

all: lib programs $(if $(NO_ORACLES),,oracles)
lib: $(LIB)
conformlib: $(CONFORM_LIB)
programs: $(PROGRAMS)
oracles: $(ORACLES)
unit: $(UNIT_BIN)
replay: $(REPLAY_BIN) $(BUILD)/mkseeds

deps:
	@sh ci/install-deps

# Script suites: suites/<area>/*.test, run with PVB_BUILD (and PVB_P4 for the
# 32-bit comparison) in the environment.
SCRIPT_TESTS := $(sort $(wildcard suites/*/*.test))
ASAN_BUILD := build/asan
P4_BUILD := build/p4

check: deps
	$(MAKE) all unit replay
	$(MAKE) -j2 corpus
	$(MAKE) BUILD=$(ASAN_BUILD) OPT="-O1 -g" VFLAGS="$(SAN_FLAGS)" unit replay
	$(MAKE) p4
	$(ASAN_BUILD)/mkseeds $(ASAN_BUILD)/fuzz-seeds
	PVB_BUILD=$(BUILD) PVB_P4=$(P4_BUILD) PVB_SEEDS=$(ASAN_BUILD)/fuzz-seeds \
	  suites/run-tests -l $(BUILD)/test.log $(UNIT_BIN) \
	  $(patsubst $(BUILD)/%,$(ASAN_BUILD)/%,$(UNIT_BIN) $(REPLAY_BIN)) \
	  $(SCRIPT_TESTS)

asan:
	$(MAKE) BUILD=$(ASAN_BUILD) OPT="-O1 -g" VFLAGS="$(SAN_FLAGS)" all unit replay
	$(ASAN_BUILD)/mkseeds $(ASAN_BUILD)/fuzz-seeds
	PVB_BUILD=$(ASAN_BUILD) PVB_SEEDS=$(ASAN_BUILD)/fuzz-seeds suites/run-tests -l $(ASAN_BUILD)/test.log \
	  $(patsubst $(BUILD)/%,$(ASAN_BUILD)/%,$(UNIT_BIN) $(REPLAY_BIN))

p4:
	@echo "p4: 32-bit build without zstd (no 32-bit libzstd package): zstd-compressed qcow2 clusters read as PVB_EUNSUPPORTED"
	$(MAKE) BUILD=$(P4_BUILD) VFLAGS="$(P4_FLAGS)" NO_ORACLES=1 ZSTD=0 all

coverage:
	$(MAKE) BUILD=build/cov OPT="-O0 -g" VFLAGS="--coverage" all unit replay
	@find build/cov -name '*.gcda' -delete
	build/cov/mkseeds build/cov/fuzz-seeds
	-PVB_BUILD=build/cov PVB_SEEDS=build/cov/fuzz-seeds suites/run-tests -l build/cov/test.log \
	  $(patsubst $(BUILD)/%,build/cov/%,$(UNIT_BIN) $(REPLAY_BIN)) $(SCRIPT_TESTS)
	sh ci/coverage-report build/cov build/coverage $(LIB_DIRS) tools/conform

FUZZ_BUILD := build/fuzz
FUZZ_TARGETS ?= $(FUZZ_NAMES)
fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang OPT="-O1 -g" \
	  VFLAGS="-fsanitize=fuzzer-no-link,address,undefined" lib conformlib
	$(MAKE) replay
	$(BUILD)/mkseeds $(BUILD)/fuzz-seeds
	sh ci/fuzz $(FUZZ_BUILD) $(BUILD)/fuzz-seeds $(FUZZ_SECONDS) "$(LIBS)" $(FUZZ_TARGETS)

CORPUS ?= $(BUILD)/corpus

# The corpus: images/mkcorpus expands the cases and writes one make rule per image,
# so only changed cases are rebuilt; -j is passed on to that make. The boot cases'
# kernel and initramfs are fetched into $(BUILD)/realboot on the way (images/realboot/fetch).
corpus: $(BUILD)/pvpayload $(BUILD)/pvpoke
	PVB_BUILD=$(BUILD) sh images/mkcorpus $(CORPUS)
	$(MAKE) -f $(CORPUS)/rules.mk PVB_BUILD=$(BUILD) corpus-images
	@sh images/corpus-stats $(CORPUS)

corpus-pack: corpus
	sh images/corpus-pack $(CORPUS) $(BUILD)/corpus.tar

# The conformance run. pvconform exits 1 when a result is unexpected; the
# report is written all the same (it lists them), so only 2+ stops make.
conform: all
	$(BUILD)/pvconform --corpus $(CORPUS) --json $(BUILD)/conform.json

report: all
	$(if $(wildcard images/mkcorpus),$(MAKE) corpus,@echo "report: no images/mkcorpus here: $(CORPUS) as it is")
	$(BUILD)/pvconform --corpus $(CORPUS) --boot --json $(BUILD)/conform.json --report REPORT.md; \
	  st=$$?; [ $$st -le 1 ] || exit $$st
	@echo "report: REPORT.md and REPORT.svg written (results of every run: $(BUILD)/conform.json)"

# Real boots of every boot case for every implementation (tools/conform/boot.h):
# booted, booted-wrong-args or did-not-boot, each checked against the impl files.
boottest: all
	$(MAKE) corpus
	@[ ! -f $(BUILD)/realboot/UNAVAILABLE ] || echo "boottest: no boot cases: $$(cat $(BUILD)/realboot/UNAVAILABLE)"
	$(BUILD)/pvconform --corpus $(CORPUS) --boot-only --json $(BUILD)/boottest.json

clean:
	rm -rf build
