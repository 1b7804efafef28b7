# SPDX-License-Identifier: GPL-2.0-only
# pvboot: one hand-written Makefile; everything built goes to $(BUILD) (build/).
#
#   make            libpvboot.a and the programs
#   make check      every suite (what CI runs); installs Debian dependencies first
#   make asan       unit suites and fuzz seed replays under ASan + UBSan
#   make p4         32-bit -march=pentium4 build of the library and programs
#   make tcc        the same built by tcc (a stand-in for a very old compiler), in build/tcc
#   make bench      pvbench: pvboot, its 32-bit build and every peer over realistic images and
#                   CORPUS, next to the physical floors (BENCH_ARGS adds pvbench options)
#   make fsimage    libfsimage plugins in build/fsimage: stock pygrub reading ext, XFS and ReiserFS with libpvboot
#   make coverage   lcov HTML in build/coverage and line/function coverage per ref/ folder and tools/conform
#   make fuzz       libFuzzer targets with clang, FUZZ_SECONDS (20) each
#                   (FUZZ_TARGETS="fuzz_part ..." picks some)
#   make conform    pvconform: every implementation in tools/conform/impls over CORPUS
#   make report     REPORT.md + REPORT.svg: the corpus, then the conform run written out
#                   (real boots included: pvconform --boot), then the last make bench's sections
#   make boottest   real boots: each implementation's extraction of every boot case, booted under qemu
#   make corpus     guest disk images and expectations in build/corpus (images/README.md)
#   make corpus-pack  build/corpus.tar: the corpus as one sparse tarball for an old host
#
# Variants (asan, p4, cov, fuzz) are this Makefile run again with another
# BUILD directory and VFLAGS; a flags stamp rebuilds objects when CC or flags change.

BUILD    ?= build
# DWARF 4 under clang: Debian 12's valgrind (3.19, pvbench --instructions) and old hosts'
# debuggers cannot read clang 14's default DWARF 5.
ifneq ($(findstring clang,$(CC)),)
OPT      ?= -O2 -g -gdwarf-4
endif
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
# ReiserFS images are filled by the unit suites' writer (suites/unit/reiserbuild.c).
PROGRAMS += $(BUILD)/pvreiseredit
$(BUILD)/pvreiseredit: $(call obj,tools/reiseredit/reiseredit.c suites/unit/reiserbuild.c) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(LIB) $(LIBS)

# ---- pvconform: tools/conform, all but main.c in a library its unit suite links too ----
CONFORM_SRC := $(filter-out tools/conform/main.c,$(wildcard tools/conform/*.c))
CONFORM_LIB := $(BUILD)/libpvbconform.a
PROGRAMS += $(BUILD)/pvconform
$(BUILD)/pvconform: $(BUILD)/obj/tools/conform/main.o $(CONFORM_LIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(CONFORM_LIB) $(LIB) $(LIBS)
$(eval $(call program,pvpoke,images/poke,))

# ---- libfsimage plugins (ref/compat/fsimage): stock pygrub reading through libpvboot ----
# The plugin code is also an archive, which the unit suites link with a stand-in
# loader. The plugins are libpvboot compiled again position-independent with hidden
# symbols ($(BUILD)/pic), one shared object per driver, linked against the host's
# libxenfsimage; it has no 32-bit package, so they are built natively only, as the
# oracles are. $(BUILD)/fsimage is then a plugin directory for XEN_FSIMAGE_FSDIR:
# pvboot's xfs and ext2fs beside links to the host's other plugins (fat, iso9660, ...),
# and $(BUILD)/pygrub-pvboot-fs runs the host's pygrub with it.
FSIMAGE_SRC := $(wildcard ref/compat/fsimage/*.c)
FSIMAGE_LIB := $(BUILD)/libpvbfsimage.a
XENFSIMAGE_LIBDIR ?= $(patsubst %/,%,$(dir $(firstword $(wildcard \
  /usr/lib/xen-4.17/lib/*/libxenfsimage.so /usr/lib/xen-*/lib/*/libxenfsimage.so \
  /usr/lib/*/libxenfsimage.so))))
XENFSIMAGE_PLUGINS ?= $(XENFSIMAGE_LIBDIR)/xenfsimage
FSIMAGE_PEERS := $(addprefix $(BUILD)/fsimage/,$(filter-out xfs ext2fs ext2fs-lib reiserfs,\
  $(notdir $(wildcard $(XENFSIMAGE_PLUGINS)/*))))
FSIMAGE := $(if $(XENFSIMAGE_LIBDIR),$(BUILD)/fsimage/xfs/fsimage.so \
  $(BUILD)/fsimage/ext2fs/fsimage.so $(BUILD)/fsimage/reiserfs/fsimage.so $(FSIMAGE_PEERS) \
  $(BUILD)/pygrub-pvboot-fs)
PIC_LIB  := $(BUILD)/pic/libpvboot.a
pic = $(patsubst %.c,$(BUILD)/pic/%.o,$(1))
.SECONDARY: $(call pic,$(FSIMAGE_SRC) $(wildcard ref/compat/fsimage/so/*.c))

$(BUILD)/fsimage/%/fsimage.so: $(call pic,ref/compat/fsimage/so/%.c $(FSIMAGE_SRC)) $(PIC_LIB) \
  ref/compat/fsimage/so/exports.map
	@# a build dir from before a plugin existed has a link to the host's plugin there
	@[ ! -L $(@D) ] || rm -f $(@D)
	@mkdir -p $(@D)
	$(CC) -shared $(ALL_LDFLAGS) -Wl,-z,defs -Wl,--version-script=ref/compat/fsimage/so/exports.map \
	  -o $@ $(filter %.o,$^) $(PIC_LIB) $(LIBS) \
	  -L$(XENFSIMAGE_LIBDIR) -Wl,-rpath,$(XENFSIMAGE_LIBDIR) -lxenfsimage

$(FSIMAGE_PEERS):
	@mkdir -p $(@D)
	ln -sfn $(XENFSIMAGE_PLUGINS)/$(@F) $@

$(BUILD)/pygrub-pvboot-fs: ref/compat/fsimage/pygrub-pvboot-fs.sh
	cp $< $@
	chmod +x $@

# ---- pvbench: tools/bench, all but main.c in a library its unit suite links too ----
BENCH_SRC := $(filter-out tools/bench/main.c,$(wildcard tools/bench/*.c))
BENCH_LIB := $(BUILD)/libpvbbench.a
PROGRAMS += $(BUILD)/pvbench
$(BUILD)/pvbench: $(BUILD)/obj/tools/bench/main.o $(BENCH_LIB) $(CONFORM_LIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(BENCH_LIB) $(CONFORM_LIB) $(LIB) $(LIBS) -lm

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

# ---- the fault sweep's tools (suites/fault): faultshim, an LD_PRELOAD library for
# whole-process faults, and faultrun. Native only, as the oracles (glibc's RTLD_NEXT, dladdr and
# backtrace; the p4 and tcc builds set NO_ORACLES=1), and never sanitised or instrumented
# (VFLAGS left out): it sits under the allocator of the program it runs in.
# faultrun runs and judges the thousands of faulted runs (a shell would spend more time
# starting processes than pvboot spends booting).
FAULTSHIM := $(BUILD)/faultshim.so $(BUILD)/faultrun
$(BUILD)/faultshim.so: suites/fault/faultshim.c $(FLAGS_STAMP)
	@$(if $(V),,echo "  CC  $@")
	$(Q)$(CC) $(CPPFLAGS) $(WARN) $(OPT) $(CFLAGS) -fPIC -shared -o $@ $< -ldl
$(BUILD)/faultrun: $(call obj,suites/fault/faultrun.c) $(CONFORM_LIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(CONFORM_LIB) $(LIB) $(LIBS)

# ---- unit suites (cmocka) and their shared helpers -----------------------------
UNIT_SRC  := $(wildcard suites/unit/test_*.c)
UNIT_HELP := $(filter-out $(UNIT_SRC),$(wildcard suites/unit/*.c))
UNIT_BIN  := $(patsubst suites/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

$(BUILD)/tests/%: $(BUILD)/obj/suites/unit/%.o $(call obj,$(UNIT_HELP)) $(CLI_LIB) $(BENCH_LIB) $(CONFORM_LIB) $(FSIMAGE_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(CLI_LIB) $(BENCH_LIB) $(CONFORM_LIB) $(FSIMAGE_LIB) $(LIB) -lcmocka $(LIBS) -lncurses -lm

# ---- fuzz targets: libFuzzer entry points, replayed from files on any compiler ----
FUZZ_SRC  := $(wildcard suites/fuzz/fuzz_*.c)
FUZZ_NAMES := $(patsubst suites/fuzz/%.c,%,$(FUZZ_SRC))
REPLAY_BIN := $(patsubst %,$(BUILD)/fuzz-replay/%,$(FUZZ_NAMES))
# fuzz_boot builds its disks with the unit suites' in-memory image builders.
FUZZ_BUILDERS := suites/unit/extbuild.c suites/unit/imgbuild.c suites/unit/xfsbuild.c suites/unit/bootdisk.c \
  suites/unit/cfgmem.c
FUZZ_HELP := $(wildcard suites/fuzz/lib/*.c) $(FUZZ_BUILDERS)

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

$(BENCH_LIB): $(call obj,$(BENCH_SRC))
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

$(FSIMAGE_LIB): $(call obj,$(FSIMAGE_SRC))
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

# Position-independent, with only the symbols marked FSI_EXPORT visible outside a plugin.
$(BUILD)/pic/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(@D)
	@$(if $(V),,echo "  CC  $(BUILD)/pic/$<")
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -fPIC -fvisibility=hidden $(DEPFLAGS) -c -o $@ $<

$(PIC_LIB): $(call pic,$(LIB_SRC))
	@rm -f $@
	$(Q)$(AR) rcs $@ $^

-include $(shell find $(BUILD)/obj $(BUILD)/pic -name '*.d' 2>/dev/null)

# ---- targets ----------------------------------------------------------------
.PHONY: all lib conformlib programs oracles fsimage faultshim unit replay check asan p4 tcc coverage fuzz deps clean conform report bench corpus corpus-pack boottest

all: lib programs $(FSIMAGE_LIB) $(if $(NO_ORACLES),,oracles fsimage faultshim)
lib: $(LIB)
conformlib: $(CONFORM_LIB)
programs: $(PROGRAMS)
oracles: $(ORACLES)
faultshim: $(FAULTSHIM)
fsimage: $(FSIMAGE)
unit: $(UNIT_BIN)
replay: $(REPLAY_BIN) $(BUILD)/mkseeds

deps:
	@sh ci/install-deps

# Script suites: suites/<area>/*.test, run with PVB_BUILD (and PVB_P4 for the
# 32-bit comparison) in the environment.
SCRIPT_TESTS := $(sort $(wildcard suites/*/*.test))
ASAN_BUILD := build/asan
P4_BUILD := build/p4
TCC_BUILD := build/tcc
HAVE_TCC := $(shell command -v tcc 2>/dev/null)

check: deps
	$(MAKE) all unit replay
	$(MAKE) -j2 corpus
	$(MAKE) BUILD=$(ASAN_BUILD) OPT="-O1 -g" VFLAGS="$(SAN_FLAGS)" unit replay
	$(MAKE) p4
	$(if $(HAVE_TCC),$(MAKE) tcc,@echo "check: no tcc (ci/install-deps installs it); suites/p4/tcc.test will say so")
	$(ASAN_BUILD)/mkseeds $(ASAN_BUILD)/fuzz-seeds
	PVB_BUILD=$(BUILD) PVB_P4=$(P4_BUILD) PVB_TCC=$(TCC_BUILD) PVB_SEEDS=$(ASAN_BUILD)/fuzz-seeds \
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

# tcc writes no dependency files (DEPFLAGS=), so a header change would leave stale objects
# behind: it builds from scratch every time (a second or two).
tcc:
	rm -rf $(TCC_BUILD)
	$(MAKE) CC=tcc BUILD=$(TCC_BUILD) ZSTD=0 DEPFLAGS= NO_ORACLES=1 all

coverage:
	$(MAKE) BUILD=build/cov OPT="-O0 -g" VFLAGS="--coverage" all unit replay
	@find build/cov -name '*.gcda' -delete
	build/cov/mkseeds build/cov/fuzz-seeds
	-PVB_BUILD=build/cov PVB_SEEDS=build/cov/fuzz-seeds suites/run-tests -l build/cov/test.log \
	  $(patsubst $(BUILD)/%,build/cov/%,$(UNIT_BIN) $(REPLAY_BIN)) $(SCRIPT_TESTS)
	sh ci/coverage-report build/cov build/coverage $(LIB_DIRS) ref/compat/fsimage tools/conform tools/bench

FUZZ_BUILD := build/fuzz
FUZZ_TARGETS ?= $(FUZZ_NAMES)
fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang OPT="-O1 -g" \
	  VFLAGS="-fsanitize=fuzzer-no-link,address,undefined" lib conformlib
	$(MAKE) replay
	$(BUILD)/mkseeds $(BUILD)/fuzz-seeds
	sh ci/fuzz $(FUZZ_BUILD) $(BUILD)/fuzz-seeds $(FUZZ_SECONDS) "$(LIBS)" "$(FUZZ_BUILDERS)" $(FUZZ_TARGETS)

CORPUS ?= $(BUILD)/corpus

# The corpus: images/mkcorpus expands the cases and writes one make rule per image,
# so only changed cases are rebuilt; -j is passed on to that make. The boot cases'
# kernel and initramfs are fetched into $(BUILD)/realboot on the way (images/realboot/fetch).
corpus: $(BUILD)/pvpayload $(BUILD)/pvpoke $(BUILD)/pvreiseredit
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
	@if [ -f $(BENCH_OUT)/REPORT-bench.md ]; then \
	  for f in REPORT-bench.md REPORT-bench-p4.md; do \
	    [ -f $(BENCH_OUT)/$$f ] && { echo; cat $(BENCH_OUT)/$$f; } >> REPORT.md; done; \
	  cp $(BENCH_OUT)/REPORT-bench.svg REPORT-bench.svg; \
	  echo "report: the speed sections of $(BENCH_OUT) appended (make bench measures them again)"; \
	else echo "report: no speed section: make bench writes it"; fi

# The benchmark (never part of make check: a benchmark is not a timed assertion). pvbench's
# realistic images (an 8 MiB kernel and a 60 MiB initrd on each filesystem variant) and the
# corpus's bootable cases; pvboot, its 32-bit build and every impl file's peer; niced.
BENCH_IMAGES := $(BUILD)/bench-images
BENCH_OUT := $(BUILD)/bench
BENCH_ARGS ?=
bench: all
	$(MAKE) p4
	sh tools/bench/mkimages.sh $(BUILD) $(BENCH_IMAGES)
	@mkdir -p $(BENCH_OUT)
	nice $(BUILD)/pvbench --corpus $(BENCH_IMAGES) \
	  $(if $(wildcard $(CORPUS)/*/*.expect),--corpus $(CORPUS) --exclude 'hostile/*') \
	  $(addprefix --impl-file ,$(wildcard tools/conform/impls/*) $(wildcard tools/bench/impls/*)) \
	  --json $(BENCH_OUT)/bench.json --report $(BENCH_OUT)/REPORT-bench.md $(BENCH_ARGS)
	nice $(P4_BUILD)/pvbench --corpus $(BENCH_IMAGES) --no-whole --quiet \
	  --json $(BENCH_OUT)/bench-p4.json --report $(BENCH_OUT)/REPORT-bench-p4.md > $(BENCH_OUT)/p4.txt
	@echo "bench: $(BENCH_OUT)/bench.json, REPORT-bench.md; the 32-bit build in-process: bench-p4.json, p4.txt, REPORT-bench-p4.md (make report includes both)"

# Real boots of every boot case for every implementation (tools/conform/boot.h):
# booted, booted-wrong-args or did-not-boot, each checked against the impl files.
boottest: all
	$(MAKE) corpus
	@[ ! -f $(BUILD)/realboot/UNAVAILABLE ] || echo "boottest: no boot cases: $$(cat $(BUILD)/realboot/UNAVAILABLE)"
	$(BUILD)/pvconform --corpus $(CORPUS) --boot-only --json $(BUILD)/boottest.json

clean:
	rm -rf build
